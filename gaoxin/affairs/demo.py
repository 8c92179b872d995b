"""A realistic catalogue for the demo zone: the article's 265 items of the 一次办好 list across the
committee's departments, each named once as Shandong's lists name them (新办/变更/延续/注销 as
separate items only where those lists carry them), with limits, materials and reviewing
departments."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from gaoxin.accounts.models import Department, Role, User
from gaoxin.affairs import services
from gaoxin.affairs.models import (
    Application,
    Appointment,
    Bundle,
    BundleStep,
    CaseMaterial,
    ServiceItem,
    Slot,
    Window,
)
from gaoxin.enterprises.models import Enterprise

ITEMS_IN_THE_ARTICLE = 265

# (department code, subject, legal days, promised, unit, fee, reviewing departments, materials)
# Materials: (name, essential).
SUBJECTS = [
    (
        "approval",
        "企业设立登记",
        15,
        30,
        "working_minutes",
        0,
        [],
        [
            ("公司登记（备案）申请书", True),
            ("公司章程", True),
            ("股东主体资格证明", True),
            ("住所使用证明", False),
        ],
    ),
    (
        "approval",
        "个体工商户登记",
        15,
        30,
        "working_minutes",
        0,
        [],
        [("个体工商户登记申请书", True), ("经营者身份证明", True), ("经营场所证明", False)],
    ),
    (
        "approval",
        "食品经营许可",
        20,
        5,
        "working_days",
        0,
        [],
        [
            ("食品经营许可申请书", True),
            ("营业执照", True),
            ("食品安全管理制度", True),
            ("经营场所平面图", False),
        ],
    ),
    (
        "approval",
        "药品零售企业许可",
        30,
        10,
        "working_days",
        0,
        ["science"],
        [
            ("申请书", True),
            ("执业药师资格证明", True),
            ("经营场所证明", True),
            ("质量管理文件", False),
        ],
    ),
    (
        "approval",
        "印章刻制备案",
        5,
        2,
        "working_hours",
        0,
        [],
        [("营业执照", True), ("法定代表人身份证明", True)],
    ),
    (
        "approval",
        "道路货物运输经营许可",
        20,
        5,
        "working_days",
        0,
        [],
        [
            ("申请表", True),
            ("车辆情况说明", True),
            ("安全生产管理制度", True),
            ("驾驶人员资格证明", False),
        ],
    ),
    (
        "approval",
        "人力资源服务许可",
        20,
        5,
        "working_days",
        0,
        ["talent"],
        [("申请书", True), ("营业执照", True), ("专职工作人员资格证明", True), ("场所证明", False)],
    ),
    (
        "approval",
        "劳务派遣经营许可",
        20,
        5,
        "working_days",
        0,
        ["talent"],
        [("申请书", True), ("营业执照", True), ("注册资本证明", True), ("劳务派遣协议样本", False)],
    ),
    (
        "approval",
        "特种设备使用登记",
        15,
        5,
        "working_days",
        0,
        [],
        [("使用登记表", True), ("产品合格证", True), ("监督检验证明", True)],
    ),
    (
        "approval",
        "排污许可",
        20,
        10,
        "working_days",
        0,
        ["construction"],
        [("排污许可证申请表", True), ("环评批复文件", True), ("自行监测方案", False)],
    ),
    (
        "approval",
        "建设项目环境影响报告书审批",
        60,
        20,
        "working_days",
        0,
        ["planning", "construction"],
        [
            ("环境影响报告书", True),
            ("申请函", True),
            ("公众参与说明", True),
            ("技术评估意见", False),
        ],
    ),
    (
        "approval",
        "建设项目环境影响报告表审批",
        30,
        10,
        "working_days",
        0,
        ["planning"],
        [("环境影响报告表", True), ("申请函", True)],
    ),
    (
        "approval",
        "企业投资项目备案",
        5,
        1,
        "working_days",
        0,
        ["economy"],
        [("项目备案信息表", True), ("营业执照", True)],
    ),
    (
        "approval",
        "企业投资项目核准",
        20,
        10,
        "working_days",
        0,
        ["economy", "planning"],
        [
            ("项目申请报告", True),
            ("规划选址意见", True),
            ("用地预审意见", True),
            ("节能审查意见", False),
        ],
    ),
    (
        "approval",
        "固定资产投资项目节能审查",
        15,
        8,
        "working_days",
        0,
        ["economy"],
        [("节能报告", True), ("申请函", True)],
    ),
    (
        "approval",
        "出版物零售业务许可",
        20,
        5,
        "working_days",
        0,
        [],
        [("申请书", True), ("经营场所证明", True)],
    ),
    (
        "approval",
        "营业性演出许可",
        20,
        5,
        "working_days",
        0,
        [],
        [("申请书", True), ("演出节目内容", True), ("场所安全证明", False)],
    ),
    (
        "approval",
        "危险化学品经营许可",
        30,
        15,
        "working_days",
        0,
        ["construction"],
        [
            ("申请书", True),
            ("安全评价报告", True),
            ("安全管理制度", True),
            ("从业人员培训证明", False),
        ],
    ),
    (
        "approval",
        "医疗机构执业登记",
        45,
        20,
        "working_days",
        0,
        ["science"],
        [
            ("执业登记申请书", True),
            ("设置批准书", True),
            ("人员资质证明", True),
            ("设备清单", False),
        ],
    ),
    (
        "planning",
        "建设用地规划许可",
        20,
        5,
        "working_days",
        0,
        ["approval"],
        [("申请表", True), ("用地批准文件", True), ("宗地图", True)],
    ),
    (
        "planning",
        "建设工程规划许可",
        20,
        5,
        "working_days",
        0,
        ["construction"],
        [("申请表", True), ("设计方案", True), ("不动产权证书", True), ("方案审查意见", False)],
    ),
    (
        "planning",
        "乡村建设规划许可",
        20,
        10,
        "working_days",
        0,
        [],
        [("申请表", True), ("村民委员会意见", True)],
    ),
    (
        "planning",
        "临时用地审批",
        20,
        10,
        "working_days",
        0,
        [],
        [("申请书", True), ("土地复垦方案", True), ("临时用地协议", False)],
    ),
    (
        "planning",
        "不动产首次登记",
        30,
        5,
        "working_days",
        80,
        [],
        [("登记申请书", True), ("权属来源材料", True), ("测绘成果", True)],
    ),
    (
        "planning",
        "规划条件核实",
        20,
        7,
        "working_days",
        0,
        ["construction"],
        [("申请表", True), ("竣工测量成果", True)],
    ),
    (
        "construction",
        "建筑工程施工许可",
        15,
        3,
        "working_days",
        0,
        ["planning"],
        [
            ("申请表", True),
            ("建设工程规划许可证", True),
            ("施工合同", True),
            ("质量安全监督手续", False),
        ],
    ),
    (
        "construction",
        "建设工程消防设计审查",
        15,
        10,
        "working_days",
        0,
        [],
        [("消防设计审查申报表", True), ("消防设计文件", True)],
    ),
    (
        "construction",
        "建设工程消防验收",
        15,
        10,
        "working_days",
        0,
        [],
        [
            ("消防验收申请表", True),
            ("工程竣工验收报告", True),
            ("涉及消防的建设工程竣工图纸", True),
        ],
    ),
    (
        "construction",
        "房屋建筑工程竣工验收备案",
        15,
        5,
        "working_days",
        0,
        ["planning"],
        [("竣工验收备案表", True), ("竣工验收报告", True), ("规划核实意见", True)],
    ),
    (
        "construction",
        "城市建筑垃圾处置核准",
        20,
        5,
        "working_days",
        0,
        [],
        [("申请表", True), ("处置方案", True)],
    ),
    (
        "construction",
        "占用、挖掘城市道路审批",
        20,
        5,
        "working_days",
        0,
        ["planning"],
        [("申请表", True), ("施工方案", True), ("交通组织方案", False)],
    ),
    (
        "construction",
        "城镇污水排入排水管网许可",
        20,
        5,
        "working_days",
        0,
        [],
        [("申请书", True), ("排水户内部管网图", True), ("水质检测报告", False)],
    ),
    (
        "economy",
        "工业企业技术改造项目备案",
        5,
        2,
        "working_days",
        0,
        [],
        [("备案表", True), ("项目说明", True)],
    ),
    (
        "economy",
        "高新技术企业认定推荐",
        60,
        30,
        "working_days",
        0,
        ["science"],
        [
            ("认定申请书", True),
            ("知识产权证明", True),
            ("财务审计报告", True),
            ("研发项目说明", False),
        ],
    ),
    (
        "economy",
        "工业企业入统申报",
        20,
        5,
        "working_days",
        0,
        [],
        [("申报表", True), ("营业收入证明", True)],
    ),
    (
        "science",
        "科技型中小企业评价入库",
        20,
        10,
        "working_days",
        0,
        [],
        [("评价信息表", True), ("知识产权清单", False)],
    ),
    (
        "science",
        "技术合同认定登记",
        10,
        3,
        "working_days",
        0,
        [],
        [("技术合同文本", True), ("登记申请表", True)],
    ),
    (
        "science",
        "研发费用加计扣除鉴定",
        30,
        15,
        "working_days",
        0,
        ["finance"],
        [("鉴定申请", True), ("研发项目立项文件", True), ("研发费用辅助账", True)],
    ),
    (
        "finance",
        "政府性基金减免申请",
        20,
        10,
        "working_days",
        0,
        [],
        [("申请书", True), ("减免依据材料", True)],
    ),
    (
        "finance",
        "产业扶持资金兑现",
        30,
        15,
        "working_days",
        0,
        ["economy"],
        [("兑现申请表", True), ("项目验收材料", True), ("银行账户证明", True)],
    ),
    (
        "talent",
        "高新英才计划申报",
        60,
        30,
        "working_days",
        0,
        ["science"],
        [("申报书", True), ("身份证明", True), ("学历学位证书", True), ("业绩证明材料", False)],
    ),
    (
        "talent",
        "人才公寓配租",
        20,
        5,
        "working_days",
        0,
        [],
        [("配租申请表", True), ("劳动合同", True), ("人才认定证明", True)],
    ),
    (
        "talent",
        "外国人来华工作许可",
        20,
        10,
        "working_days",
        0,
        ["approval"],
        [("申请表", True), ("护照", True), ("学历证明", True), ("无犯罪记录证明", True)],
    ),
    (
        "investment",
        "招商引资项目落地协调",
        15,
        5,
        "working_days",
        0,
        ["economy"],
        [("协调申请", True), ("项目协议", True)],
    ),
    (
        "office",
        "政府信息公开申请",
        20,
        15,
        "working_days",
        0,
        [],
        [("信息公开申请表", True), ("身份证明", True)],
    ),
]
# Items of the demo's 一次办好 list, grouped under the subject whose department, limits and
# materials they share. The subject's own name is the group's first item (code …01). Variants
# (新办/变更/延续/注销) only where the province's lists carry them as separate items.
CATALOGUE = {
    "企业设立登记": [
        "企业设立登记",
        "企业变更登记",
        "企业注销登记",
        "企业简易注销登记",
        "企业备案（章程、董事、监事、经理、联络员）",
        "外商投资企业设立登记",
        "外商投资企业变更登记",
        "外商投资企业注销登记",
        "非公司企业法人设立登记",
        "非公司企业法人变更登记",
        "个人独资企业设立登记",
        "个人独资企业变更登记",
        "个人独资企业注销登记",
        "合伙企业设立登记",
        "合伙企业变更登记",
        "合伙企业注销登记",
        "分公司设立登记",
        "分公司变更登记",
        "分公司注销登记",
        "农民专业合作社设立登记",
        "农民专业合作社变更登记",
        "农民专业合作社注销登记",
        "股权出质登记",
        "动产抵押登记",
        "营业执照遗失补领、换发",
        "企业名称自主申报",
        "企业名称争议裁决",
        "企业歇业备案",
        "市场主体除名后注销",
        "外国企业常驻代表机构登记",
    ],
    "个体工商户登记": ["个体工商户设立登记", "个体工商户变更登记", "个体工商户注销登记"],
    "食品经营许可": [
        "食品经营许可（新办）",
        "食品经营许可（变更）",
        "食品经营许可（延续）",
        "食品经营许可（注销）",
        "食品生产许可（新办）",
        "食品生产许可（变更）",
        "食品生产许可（延续）",
        "小餐饮登记",
        "食品小作坊登记",
        "食品摊点备案",
        "仅销售预包装食品备案",
        "食品生产许可（注销）",
        "食品经营许可（补证）",
        "保健食品经营备案",
        "特殊医学用途配方食品经营备案",
    ],
    "药品零售企业许可": [
        "药品零售企业许可（新办）",
        "药品零售企业许可（变更）",
        "药品零售企业许可（换证）",
        "第二类医疗器械经营备案",
        "第三类医疗器械经营许可",
        "第一类医疗器械生产备案",
        "药品网络销售备案",
        "化妆品经营备案",
    ],
    "印章刻制备案": ["印章刻制备案", "公章刻制业特种行业许可"],
    "道路货物运输经营许可": [
        "道路货物运输经营许可",
        "道路旅客运输经营许可",
        "机动车维修经营备案",
        "道路运输车辆营运证配发",
        "道路运输从业人员从业资格证核发",
        "机动车驾驶员培训经营备案",
        "出租汽车经营许可",
        "网络预约出租汽车运输证核发",
        "道路危险货物运输经营许可",
        "超限运输车辆行驶公路许可",
        "港口经营许可",
    ],
    "人力资源服务许可": [
        "人力资源服务许可",
        "人力资源服务备案",
        "职业技能等级认定机构备案",
        "民办职业培训学校设立审批",
    ],
    "劳务派遣经营许可": [
        "劳务派遣经营许可（新办）",
        "劳务派遣经营许可（变更）",
        "劳务派遣经营许可（延续）",
        "劳务派遣经营许可（注销）",
        "企业实行不定时工作制和综合计算工时工作制审批",
    ],
    "特种设备使用登记": [
        "特种设备使用登记",
        "特种设备安全管理和作业人员资格认定",
        "计量标准器具核准",
        "检验检测机构资质认定",
    ],
    "排污许可": [
        "排污许可",
        "排污许可变更",
        "排污许可延续",
        "辐射安全许可",
        "危险废物经营许可",
        "建设项目环境影响登记表备案",
        "固体废物跨省转移审批",
        "环境保护设施拆除或闲置备案",
    ],
    "建设项目环境影响报告书审批": ["建设项目环境影响报告书审批", "建设项目环境影响后评价备案"],
    "建设项目环境影响报告表审批": [
        "建设项目环境影响报告表审批",
        "建设项目竣工环境保护验收信息公开备查",
    ],
    "企业投资项目备案": [
        "企业投资项目备案",
        "企业投资项目备案变更",
        "外商投资项目备案",
        "境外投资项目备案",
    ],
    "企业投资项目核准": [
        "企业投资项目核准",
        "企业投资项目核准变更",
        "政府投资项目可行性研究报告审批",
        "政府投资项目初步设计审批",
    ],
    "固定资产投资项目节能审查": ["固定资产投资项目节能审查"],
    "出版物零售业务许可": [
        "出版物零售业务许可",
        "印刷经营许可（包装装潢印刷品）",
        "电影放映单位设立审批",
        "广播电视节目制作经营许可",
        "设置卫星电视广播地面接收设施审批",
    ],
    "营业性演出许可": [
        "营业性演出许可",
        "娱乐场所经营许可",
        "互联网上网服务营业场所经营许可",
        "艺术品经营单位备案",
        "旅行社设立许可",
        "高危险性体育项目经营许可",
        "演出场所经营单位备案",
        "文物保护单位建设控制地带内建设工程设计方案审批",
    ],
    "危险化学品经营许可": [
        "危险化学品经营许可（新办）",
        "危险化学品经营许可（变更）",
        "危险化学品经营许可（延续）",
        "烟花爆竹经营（零售）许可",
        "非药品类易制毒化学品生产、经营备案",
        "成品油零售经营资格审批",
        "燃气经营许可",
        "生产经营单位生产安全事故应急预案备案",
        "危险化学品建设项目安全条件审查",
        "危险化学品建设项目安全设施设计审查",
        "金属冶炼建设项目安全设施设计审查",
    ],
    "医疗机构执业登记": [
        "医疗机构执业登记",
        "医疗机构设置审批",
        "医疗机构执业登记变更",
        "医疗机构校验",
        "公共场所卫生许可（新办）",
        "公共场所卫生许可（变更）",
        "公共场所卫生许可（延续）",
        "放射诊疗许可",
        "母婴保健技术服务执业许可",
        "医师执业注册",
        "护士执业注册",
        "饮用水供水单位卫生许可",
        "诊所备案",
        "养老机构备案",
        "托育机构备案",
        "乡村医生执业注册",
    ],
    "建设用地规划许可": [
        "建设用地规划许可",
        "建设项目用地预审与选址意见书核发",
        "建设用地规划条件核提",
    ],
    "建设工程规划许可": [
        "建设工程规划许可",
        "临时建设工程规划许可",
        "建设工程设计方案审查",
        "建设工程规划放线",
        "建设工程规划许可变更",
    ],
    "乡村建设规划许可": ["乡村建设规划许可"],
    "临时用地审批": [
        "临时用地审批",
        "国有建设用地使用权划拨审批",
        "国有建设用地使用权出让后土地使用权分割转让批准",
        "建设项目压覆重要矿产资源审批",
    ],
    "不动产首次登记": [
        "不动产首次登记",
        "不动产转移登记",
        "不动产变更登记",
        "不动产抵押登记",
        "不动产注销登记",
        "不动产更正登记",
        "预告登记",
        "查封登记",
        "不动产登记资料查询",
        "不动产权证书补发、换发",
        "地役权登记",
        "居住权登记",
        "不动产登记与水电气热联合过户",
    ],
    "规划条件核实": ["规划条件核实", "建设工程竣工规划核实"],
    "建筑工程施工许可": [
        "建筑工程施工许可",
        "建筑工程施工许可变更",
        "建设工程质量监督手续办理",
        "建设工程安全监督手续办理",
        "建设工程施工图设计文件审查备案",
        "房屋建筑和市政基础设施工程招标文件备案",
        "建设工程施工合同备案",
        "建筑起重机械使用登记",
        "建设工程竣工联合验收",
        "建筑业企业资质核准",
        "建设工程监理企业资质核准",
        "房地产开发企业资质核定",
    ],
    "建设工程消防设计审查": ["建设工程消防设计审查", "建设工程消防设计备案"],
    "建设工程消防验收": [
        "建设工程消防验收",
        "建设工程消防验收备案",
        "公众聚集场所投入使用、营业前消防安全检查",
    ],
    "房屋建筑工程竣工验收备案": [
        "房屋建筑工程竣工验收备案",
        "城建档案验收",
        "人民防空工程竣工验收备案",
        "商品房预售许可",
        "商品房现售备案",
    ],
    "城市建筑垃圾处置核准": [
        "城市建筑垃圾处置核准",
        "从事城市生活垃圾经营性清扫、收集、运输、处理服务审批",
    ],
    "占用、挖掘城市道路审批": [
        "占用、挖掘城市道路审批",
        "城市道路上设置户外广告设施审批",
        "临时占用城市绿地审批",
        "砍伐、迁移城市树木审批",
        "改变绿化规划、绿化用地使用性质审批",
        "设置大型户外广告审批",
        "城镇临时占道经营许可",
        "城市桥梁上架设各类市政管线审批",
        "因工程建设需要拆除、改动、迁移供水设施审批",
    ],
    "城镇污水排入排水管网许可": [
        "城镇污水排入排水管网许可",
        "取水许可",
        "河道管理范围内建设项目工程建设方案审批",
        "生产建设项目水土保持方案审批",
        "洪水影响评价审批",
    ],
    "工业企业技术改造项目备案": [
        "工业企业技术改造项目备案",
        "企业技术中心认定推荐",
        "专精特新中小企业认定申报",
        "首台（套）技术装备认定申报",
        "工业设计中心认定推荐",
        "节能技术改造奖励申报",
    ],
    "高新技术企业认定推荐": [
        "高新技术企业认定推荐",
        "瞪羚企业认定推荐",
        "工程技术研究中心认定推荐",
        "技术先进型服务企业认定推荐",
    ],
    "工业企业入统申报": ["工业企业入统申报", "统计调查项目审批", "统计数据报送"],
    "科技型中小企业评价入库": [
        "科技型中小企业评价入库",
        "科技企业孵化器认定推荐",
        "众创空间备案推荐",
        "新型研发机构备案推荐",
    ],
    "技术合同认定登记": ["技术合同认定登记", "科技成果登记", "科学技术奖提名"],
    "研发费用加计扣除鉴定": ["研发费用加计扣除鉴定", "企业研发投入后补助申报"],
    "政府性基金减免申请": [
        "政府性基金减免申请",
        "行政事业性收费减免申请",
        "残疾人就业保障金减免申请",
    ],
    "产业扶持资金兑现": [
        "产业扶持资金兑现",
        "招商引资奖励兑现",
        "企业上市挂牌奖励申报",
        "融资担保费补贴申报",
        "贷款贴息申报",
        "政府采购合同融资申请",
    ],
    "高新英才计划申报": [
        "高新英才计划申报",
        "高层次人才认定",
        "人才引进落户",
        "博士后科研工作站设立推荐",
        "人才安家补贴申领",
        "高校毕业生就业见习补贴申领",
        "泰山产业领军人才工程推荐",
    ],
    "人才公寓配租": ["人才公寓配租", "人才公寓续租", "人才公寓退租", "人才公寓租金补贴申领"],
    "外国人来华工作许可": [
        "外国人来华工作许可",
        "外国人来华工作许可延期",
        "外国人来华工作许可注销",
        "外国高端人才确认函",
        "外国人来华工作许可证补办",
    ],
    "招商引资项目落地协调": [
        "招商引资项目落地协调",
        "重点项目代办帮办服务",
        "项目用地需求预审",
        "“1+3项目预审”申请",
    ],
    "政府信息公开申请": ["政府信息公开申请", "人大代表建议和政协提案办理", "12345热线诉求办理"],
}

# The two 企业开办 steps of other agencies (COMPANY_SETUP_EXTRA) complete the article's 265.
ITEMS_IN_THE_LIST = ITEMS_IN_THE_ARTICLE - 2

# A cancellation, a reissue or a filing is simpler than a first application: one visit, quick.
_SIMPLE = ("注销", "补领", "补发", "补证", "补办", "备案", "退租", "查询")


def catalogue_rows():
    """(code, name, subject) for the demo catalogue: each item once, as the list names it."""
    subjects = {subject[1]: subject for subject in SUBJECTS}
    rows = []
    for n, (subject_name, names) in enumerate(CATALOGUE.items(), start=1):
        for v, name in enumerate(names, start=1):
            rows.append((f"37110{n:03d}{v:02d}", name, subjects[subject_name]))
    if len(rows) != ITEMS_IN_THE_LIST:
        raise ValueError(f"the demo list has {len(rows)} items, not {ITEMS_IN_THE_LIST}")
    return rows


@transaction.atomic
def seed_catalogue(*, admin) -> int:

    if ServiceItem.objects.exists():
        return 0
    departments = {d.code: d for d in Department.objects.all()}
    for code, name, subject in catalogue_rows():
        dept, _subject, legal, promised, unit, fee, reviewers, materials = subject
        simple = name != subject[1] and any(word in name for word in _SIMPLE)
        if simple:
            legal, promised, unit, fee = min(legal, 10), 1, "working_days", 0
            materials = materials[:2]
            reviewers = []
        services.item_create(
            by=admin,
            data={
                "code": code,
                "name": name,
                "department": departments[dept],
                "legal_limit_days": legal,
                "promised_limit": promised,
                "promised_unit": unit,
                "fee": fee,
                "fee_note": "按《不动产登记收费标准》" if fee else "",
                "one_go": True,
                "appointment_allowed": True,
                "online_allowed": dept != "office" or code.endswith("01"),
            },
            reviewing_departments=[departments[c] for c in reviewers if c in departments],
            materials=[{"name": m, "essential": e} for m, e in materials],
        )
    return ServiceItem.objects.count()


def _demo_file(name: str):
    """A small placeholder PDF standing for a scanned material."""

    return SimpleUploadedFile(f"{name}.pdf", b"%PDF-1.4\n% demo material\n", "application/pdf")


def _hand_in(case, by, *, skip=()) -> None:
    for item in case.items.all():
        for material in item.materials.all():
            if material.name not in skip:
                services.material_upload(
                    application=case, upload=_demo_file(material.name), by=by, material=material
                )


def _reviewer(review, admin):
    """The demo's reviewer of the review's department (an administrator where none)."""

    return (
        User.objects.filter(department_id=review.department_id, role=Role.STAFF, is_active=True)
        .order_by("pk")
        .first()
        or admin
    )


@transaction.atomic
def seed_applications(*, admin) -> int:
    """A working window: cases in every state — a draft, waiting at the window, under review
    (some conditional, one department waiting for a supplement, committed materials waiting
    for the window's check), approved, rejected and closed — decided by each department's
    reviewer."""

    if Application.objects.exists():
        return 0
    clerk = User.objects.filter(role=Role.CLERK).first() or admin
    enterprise_user = User.objects.filter(role=Role.ENTERPRISE).first()
    enterprises = list(Enterprise.objects.order_by("pk")[:8])
    items = list(
        ServiceItem.objects.filter(code__endswith="01").order_by("code")[:12]
    )  # first applications of each subject
    made = 0
    for n in range(24):
        enterprise = enterprises[n % len(enterprises)]
        online = enterprise_user and enterprise == enterprise_user.enterprise
        by = enterprise_user if online else clerk
        case = services.application_create(
            enterprise=enterprise,
            items=[items[n % len(items)]],
            by=by,
            channel="online" if online else "window",
        )
        made += 1
        if online:
            if n == 0:
                # A draft the enterprise has begun: the first material uploaded.
                first = case.items.first().materials.first()
                if first is not None:
                    services.material_upload(
                        application=case, upload=_demo_file(first.name), by=by, material=first
                    )
                continue
            _hand_in(case, by)
        services.application_submit(application=case, by=by)
        if n % 6 == 5:
            continue  # waiting at the window
        waivable = [m for m in case.items.first().materials.all() if not m.essential]
        day_limited = case.items.first().promised_unit == "working_days"
        conditional = n % 4 == 1 and waivable and day_limited and not enterprise.is_dishonest
        if conditional:
            services.application_accept(
                application=case,
                by=clerk,
                missing=waivable[:1],
                due_on=timezone.localdate() + dt.timedelta(days=1),
                signatory="企业负责人",
            )
        else:
            services.application_accept(application=case, by=clerk)
        reviews = list(case.reviews.all())
        if n % 3 == 0 or n in (7, 10):
            for review in reviews:
                services.review_decide(
                    review=review, by=_reviewer(review, admin), decision="approved"
                )
            if conditional and n % 2:
                # The applicant has handed in the committed material: the window is to check.
                by = enterprise_user if online else clerk
                services.material_upload(
                    application=case,
                    upload=_demo_file(waivable[0].name),
                    by=by,
                    material=waivable[0],
                )
                if online:
                    services.commitment_supply(application=case, by=enterprise_user)
        elif n % 3 == 1 and len(reviews) > 1:
            # One department asks for a supplement; the others go on (their clocks run).
            services.review_decide(
                review=reviews[-1],
                by=_reviewer(reviews[-1], admin),
                decision="supplement",
                reasons="请补充加盖公章的申请书",
            )
            services.review_decide(
                review=reviews[0], by=_reviewer(reviews[0], admin), decision="approved"
            )
        elif n % 3 == 1 and reviews:
            services.review_decide(
                review=reviews[0],
                by=_reviewer(reviews[0], admin),
                decision="supplement",
                reasons="请补充加盖公章的申请书",
            )
        elif n % 12 == 2 and reviews:
            services.review_decide(
                review=reviews[0],
                by=_reviewer(reviews[0], admin),
                decision="rejected",
                reasons="申请事项不属于本区受理范围内的情形，不予许可",
            )
            services.application_close(application=case, by=clerk)
    return made


# --- the service desk -------------------------------------------------------------------------

COMPANY_SETUP_EXTRA = [
    # (code, name, promised hours, materials)
    (
        "3711099901",
        "新办纳税人涉税事项及发票申领",
        2,
        [("营业执照", True), ("办税人员身份证明", True)],
    ),
    ("3711099902", "社会保险参保登记", 2, [("营业执照", True), ("参保人员名册", False)]),
]


def _company_setup_items(admin, approval):

    licence = ServiceItem.objects.get(name="企业设立登记")
    seal = ServiceItem.objects.get(name="印章刻制备案")
    extra = []
    for code, name, hours, materials in COMPANY_SETUP_EXTRA:
        item = ServiceItem.objects.filter(code=code).first() or services.item_create(
            by=admin,
            data={
                "code": code,
                "name": name,
                "department": approval,
                "legal_limit_days": 5,
                "promised_limit": hours,
                "promised_unit": "working_hours",
            },
            materials=[{"name": m, "essential": e} for m, e in materials],
        )
        extra.append(item)
    return [licence, seal, *extra]


@transaction.atomic
def seed_service_desk(*, admin, today) -> int:
    """Windows with two weeks of slots, the company-setup bundle (企业开办一件事), an agent's
    authorisation and its work, appointments in every state, ratings with one remediation."""

    if Window.objects.exists():
        return 0
    departments = {d.code: d for d in Department.objects.all()}
    approval = departments["approval"]
    setup_items = _company_setup_items(admin, approval)
    by_department = {}
    for item in ServiceItem.objects.exclude(pk__in=[i.pk for i in setup_items]).order_by("code"):
        by_department.setdefault(item.department.code, []).append(item)
    plan = [
        ("A01", "综合受理窗口", "approval", by_department.get("approval", []), "政务服务大厅一楼"),
        ("B01", "企业开办专区", "approval", setup_items, "政务服务大厅一楼东侧"),
        (
            "C01",
            "工程建设项目审批窗口",
            "construction",
            by_department.get("construction", []) + by_department.get("planning", []),
            "政务服务大厅二楼",
        ),
        (
            "D01",
            "投资项目审批窗口",
            "economy",
            by_department.get("economy", []),
            "政务服务大厅二楼",
        ),
        ("E01", "人才服务窗口", "talent", by_department.get("talent", []), "人才服务中心"),
    ]
    windows = {}
    for number, name, dept, items, location in plan:
        window = Window.objects.create(
            number=number,
            name=name,
            department=departments[dept],
            location=location,
            slot_capacity=3 if number == "B01" else 2,
        )
        window.items.set(items)
        windows[number] = window
        services.slots_open(
            window=window, first=today - dt.timedelta(days=10), last=today + dt.timedelta(days=14)
        )

    # The cases accepted before the windows existed: at the window that serves their item.
    for case in Application.objects.filter(accepted_at__isnull=False, window__isnull=True):
        serving = Window.objects.filter(items__in=case.items.all()).order_by("number").first()
        Application.objects.filter(pk=case.pk).update(window=serving)

    bundle = Bundle.objects.create(
        code="QYKB",
        name="企业开办一件事",
        promised_limit=1,
        promised_unit="working_days",
        description="营业执照30分钟办结；公章刻制、涉税事项及发票申领、社保参保登记同步办理，"
        "一个工作日内全部办结。",
    )
    licence_step = BundleStep.objects.create(bundle=bundle, order=1, item=setup_items[0])
    for order, item in enumerate(setup_items[1:], start=2):
        BundleStep.objects.create(bundle=bundle, order=order, item=item).after.set([licence_step])

    agent = User.objects.get(username="agent")
    clerk = User.objects.filter(role=Role.CLERK).first()
    enterprise_user = User.objects.filter(role=Role.ENTERPRISE).first()
    own = enterprise_user.enterprise
    other = Enterprise.objects.exclude(pk=own.pk).order_by("pk").first()
    services.authorization_grant(
        enterprise=own,
        agent=agent,
        scope="items",
        items=setup_items,
        valid_from=today - dt.timedelta(days=20),
        valid_until=today + dt.timedelta(days=70),
        signatory=enterprise_user.full_name,
        by=enterprise_user,
    )
    paper = services.authorization_grant(
        enterprise=other,
        agent=agent,
        scope="items",
        items=setup_items[:2],
        valid_from=today - dt.timedelta(days=40),
        valid_until=today + dt.timedelta(days=20),
        signatory="企业负责人",
        by=clerk,
    )
    services.authorization_revoke(authorization=paper, by=clerk)

    # A company-setup run done within the day by the agent, and one in progress.
    done = services.bundle_file(bundle=bundle, enterprise=own, by=agent)
    for _round in range(2):
        for case in done.cases.filter(state="submitted"):
            services.application_accept(application=case, by=clerk)
            for review in case.reviews.all():
                services.review_decide(
                    review=review, by=_reviewer(review, admin), decision="approved"
                )
    services.bundle_file(bundle=bundle, enterprise=other, by=clerk)

    # Appointments: upcoming for the enterprise, one by the agent, one checked in, one missed.
    # The seed's own day, at the present time of day (a seed run for another day stays whole).
    now = timezone.make_aware(dt.datetime.combine(today, timezone.localtime().time()))
    upcoming = list(
        Slot.objects.filter(window=windows["B01"], starts_at__gt=now + dt.timedelta(days=1))[:3]
    )
    services.appointment_book(
        slot=upcoming[0], enterprise=own, item=setup_items[1], by=enterprise_user, note="刻章"
    )
    services.appointment_book(
        slot=upcoming[2], enterprise=own, item=setup_items[2], by=agent, note="代办发票申领"
    )
    general = windows["A01"]
    future = Slot.objects.filter(window=general, starts_at__gt=now).order_by("starts_at")
    for slot, enterprise in zip(future[5:9], Enterprise.objects.order_by("pk")[1:5], strict=False):
        services.appointment_book(
            slot=slot, enterprise=enterprise, item=general.items.first(), by=clerk
        )
    past = list(Slot.objects.filter(window=general, ends_at__lt=now).order_by("-starts_at")[:2])
    for slot in past:
        Slot.objects.filter(pk=slot.pk).update(booked=1)

    for slot, state in zip(past, ("checked_in", "no_show"), strict=False):
        Appointment.objects.create(
            number=f"YY{timezone.localtime(slot.starts_at):%y%m%d}D{slot.pk:05d}",
            slot=slot,
            enterprise=own,
            item=general.items.first(),
            booked_by=enterprise_user,
            state=state,
            checked_in_at=slot.starts_at if state == "checked_in" else None,
        )

    # Close the decided cases and rate them; one bad rating with its remediation answered.
    rated = 0
    for case in Application.objects.filter(state__in=("approved", "rejected")).order_by("pk"):
        case = services.application_close(application=case, by=clerk)
        if case.enterprise_id != own.pk or rated >= 2:
            continue  # the rest wait for the enterprise's rating
        level, reasons = (2, "材料要求前后不一致，跑了两趟") if rated == 0 else (5, "")
        rating = services.rating_give(
            application=case, by=enterprise_user, level=level, reasons=reasons
        )
        if rating.is_bad:
            remediation = rating.remediation
            head = remediation.department.head or admin
            services.remediation_reply(
                remediation=remediation,
                by=head,
                reply="已核实：窗口一次性告知不到位。已修订材料清单并对窗口人员培训，"
                "今后同类事项首问负责、一次告知。",
            )
        rated += 1
    _seed_cases_in_every_state(admin=admin, clerk=clerk, enterprise_user=enterprise_user)
    return Window.objects.count()


def _seed_cases_in_every_state(*, admin, clerk, enterprise_user) -> None:
    """The enterprise's own cases the window and the reviewers find on their desks today: one
    approved and one rejected awaiting closing, and one conditional case whose committed
    material is waiting for the window's check."""

    items = (
        ServiceItem.objects.filter(
            promised_unit="working_days", materials__essential=False, online_allowed=True
        )
        .exclude(reviewing_departments=None)
        .distinct()
        .order_by("code")
    )
    chosen = list(items[:3])
    if len(chosen) < 3:
        return
    cases = []
    for item in chosen:
        case = services.application_create(
            enterprise=enterprise_user.enterprise,
            items=[item],
            by=enterprise_user,
            channel="online",
        )
        _hand_in(case, enterprise_user)
        services.application_submit(application=case, by=enterprise_user)
        cases.append(case)
    approved, rejected, conditional = cases
    for case, decision in ((approved, "approved"), (rejected, "rejected")):
        services.application_accept(application=case, by=clerk)
        for review in case.reviews.all():
            services.review_decide(
                review=review,
                by=_reviewer(review, admin),
                decision=decision,
                reasons="" if decision == "approved" else "建设用地规划条件不符，不予许可",
            )
            if decision == "rejected":
                break
    waivable = next(m for m in conditional.items.first().materials.all() if not m.essential)
    services.application_accept(
        application=conditional,
        by=clerk,
        missing=[waivable],
        due_on=timezone.localdate() + dt.timedelta(days=3),
        signatory=enterprise_user.full_name,
    )
    for review in conditional.reviews.all():
        services.review_decide(review=review, by=_reviewer(review, admin), decision="approved")
    # A later moment than the acceptance, as it would be: the material comes in afterwards.
    services.material_upload(
        application=conditional,
        upload=_demo_file(waivable.name),
        by=enterprise_user,
        material=waivable,
    )

    CaseMaterial.objects.filter(application=conditional, material=waivable).update(
        uploaded_at=timezone.now() + dt.timedelta(seconds=1)
    )
    services.commitment_supply(application=conditional, by=enterprise_user)
