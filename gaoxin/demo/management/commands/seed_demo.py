"""Create the reference zone of shared/seed (日照高新区) for the demo. Safe to run again."""

from __future__ import annotations

import hashlib

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from stdnum.cn import uscc as stdnum_uscc

from gaoxin.accounts import services as account_services
from gaoxin.accounts.demo import DEMO_TOTP_SECRET, enrol_demo_authenticators
from gaoxin.accounts.models import Department, Role, User
from gaoxin.affairs.demo import seed_applications, seed_catalogue, seed_service_desk
from gaoxin.cockpit.demo import seed_zone_map
from gaoxin.core import workcalendar
from gaoxin.delivery.demo import ESTABLISHED_LINES, seed_delivery
from gaoxin.demo.channels import seed_channels
from gaoxin.demo.reference import ensure_reference_data
from gaoxin.demo.reminders import settle_reminders
from gaoxin.dispatch.demo import seed_dispatch, seed_problems
from gaoxin.enterprises import services as enterprise_services
from gaoxin.enterprises.demo import seed_register
from gaoxin.enterprises.models import Cluster, Enterprise, IndustryCode
from gaoxin.platforms.demo import seed_platforms
from gaoxin.policies.demo import seed_policies
from gaoxin.projects.demo import seed_projects
from gaoxin.spaces.demo import seed_spaces
from gaoxin.talent.demo import seed_talent
from gaoxin.visits.demo import seed_visits

DEMO_PASSWORD = "Gaoxin@2026"

DEPARTMENTS = [
    # code, name, short name
    ("office", "党政办公室", "党政办"),
    ("investment", "投资促进局", "投促局"),
    ("economy", "经济发展局", "经发局"),
    ("approval", "行政审批服务局", "审批局"),
    ("planning", "自然资源和规划局", "自规局"),
    ("construction", "建设管理局", "建管局"),
    ("science", "科技创新局", "科创局"),
    ("finance", "财政金融局", "财金局"),
    ("talent", "人才发展服务中心", "人才办"),
]

CLUSTERS = [
    ("equipment", "高端智能装备制造"),
    ("it", "新一代信息技术"),
    ("health", "生命大健康"),
]

# The enterprises the reference article names: (name, cluster, GB/T 4754 division, origin).
ENTERPRISES = [
    ("山东海声尼克微电子有限公司", "it", "39", "山东省青岛市", "硅麦芯片、光电继电器芯片"),
    ("日照东讯电子科技有限公司", "it", "39", "广东省深圳市", "智能移动通信射频芯片"),
    ("日照中兴新能源汽车有限公司", "equipment", "36", "广东省深圳市", "新能源整车"),
    ("日照腾飞耐压仓科技有限公司", "equipment", "35", "山东省日照市", "耐压仓，打破国外垄断"),
    ("日照飞奥航空动力有限公司", "equipment", "37", "北京市", "无人机发动机"),
    ("日照哈船船舶制造有限公司", "equipment", "37", "黑龙江省哈尔滨市", "船舶制造"),
    ("日照宝力马传感器有限公司", "it", "39", "浙江省宁波市", "传感器、聚酰胺介膜"),
    ("日照永而佳光通讯科技有限公司", "it", "39", "广东省东莞市", "5G光通讯器件"),
    ("日照兴华半导体有限公司", "it", "39", "江苏省无锡市", "半导体"),
    ("日照心脏病医院有限公司", "health", "84", "山东省济南市", "心血管专科医院"),
    ("山东迈格尼医疗科技有限公司", "health", "35", "山东省日照市", "医疗器械"),
    (
        "三三智能科技（苏州）有限公司",
        "equipment",
        "34",
        "江苏省苏州市",
        "智能装备；代办委托服务案例",
    ),
]

USERS = [
    # username, role, full name, department code, title
    ("admin", Role.ADMIN, "系统管理员", "office", "平台管理员"),
    ("leader", Role.LEADER, "王建华", "office", "管委会副主任"),
    ("staff", Role.STAFF, "李明", "investment", "招商专员"),
    ("steward", Role.STEWARD, "张伟", "investment", "项目管家"),
    ("leader2", Role.LEADER, "孙立新", "office", "党工委委员、管委会副主任"),
    ("leader3", Role.LEADER, "周海涛", "office", "管委会副主任"),
    ("steward2", Role.STEWARD, "赵磊", "investment", "项目管家"),
    ("builder", Role.STAFF, "马强", "construction", "建设管理局局长"),
    ("clerk", Role.CLERK, "刘芳", "approval", "综合窗口受理员"),
    ("agent", Role.AGENT, "韩雪", "approval", "企业服务中心代办员"),
    ("commissioner", Role.COMMISSIONER, "陈静", "talent", "人才服务专员"),
    # One reviewer in each department that reviews service cases in parallel (并联审批).
    ("approver", Role.STAFF, "王丽", "approval", "行政审批服务局审批科科长"),
    ("planner", Role.STAFF, "陈刚", "planning", "自然资源和规划局规划科科员"),
    ("economist", Role.STAFF, "刘洋", "economy", "经济发展局项目科科员"),
    ("scientist", Role.STAFF, "吴敏", "science", "科技创新局科员"),
    ("financier", Role.STAFF, "郑伟", "finance", "财政金融局科员"),
    ("talentdesk", Role.STAFF, "许晴", "talent", "人才发展服务中心科员"),
    ("secretary", Role.STAFF, "黄磊", "office", "党政办公室秘书"),
]
ENTERPRISE_USER = ("enterprise", "赵海", "山东海声尼克微电子有限公司")


def demo_uscc(name: str) -> str:
    """A stable, checksum-valid code for a demo enterprise (91 = enterprise, 371100 = 日照)."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    digest = hashlib.sha256(name.encode()).digest()
    body = "91371100" + "MA" + "".join(alphabet[b % len(alphabet)] for b in digest[:7])
    return body + stdnum_uscc.calc_check_digit(body)


class Command(BaseCommand):
    help = "Load the demo zone (departments, clusters, enterprises, one user per role)."

    @transaction.atomic
    def handle(self, *args, **options):
        started, today = timezone.now(), timezone.localdate()
        ensure_reference_data()
        years = workcalendar.calendar_seed_from_package(by=None)
        depts = {
            code: account_services.department_upsert(
                by=None, code=code, name=name, short_name=short, order=i
            )
            for i, (code, name, short) in enumerate(DEPARTMENTS)
        }
        for i, (code, name) in enumerate(CLUSTERS):
            Cluster.objects.get_or_create(code=code, defaults={"name": name, "order": i})
        clusters = {c.code: c for c in Cluster.objects.all()}

        for username, role, full_name, dept, title in USERS:
            if not User.objects.filter(username=username).exists():
                account_services.user_create(
                    by=None,
                    username=username,
                    password=DEMO_PASSWORD,
                    role=role,
                    full_name=full_name,
                    department=depts[dept],
                    title=title,
                    phone="13806330000",
                )
        admin = User.objects.get(username="admin")
        for dept_code, head in [
            ("investment", "staff"),
            ("approval", "clerk"),
            ("talent", "commissioner"),
            ("construction", "builder"),
        ]:
            Department.objects.filter(code=dept_code, head__isnull=True).update(
                head=User.objects.get(username=head)
            )

        for name, cluster, division, origin, notes in ENTERPRISES:
            code = demo_uscc(name)
            if Enterprise.objects.filter(uscc=code).exists():
                continue
            enterprise_services.enterprise_create(
                by=admin,
                data={
                    "name": name,
                    "uscc": code,
                    "cluster": clusters[cluster],
                    "industry": IndustryCode.objects.get(code=division),
                    "origin_region": origin,
                    "address": "山东省日照市高新区",
                    "notes": notes,
                },
                contacts=[
                    {
                        "name": "联系人",
                        "title": "总经理",
                        "phone": "13906331234",
                        "is_primary": True,
                    }
                ],
            )

        ent_username, ent_full_name, enterprise_name = ENTERPRISE_USER
        if not User.objects.filter(username=ent_username).exists():
            account_services.user_create(
                by=None,
                username=ent_username,
                password=DEMO_PASSWORD,
                role=Role.ENTERPRISE,
                full_name=ent_full_name,
                enterprise=Enterprise.objects.get(name=enterprise_name),
                title="办事员",
            )

        created = seed_projects(admin=admin, today=today, register_elsewhere=ESTABLISHED_LINES)
        seed_problems(admin=admin, today=today)
        key_projects = seed_dispatch(admin=admin, today=today)
        if key_projects:
            self.stdout.write(f"Key-project dispatch: {key_projects} key projects with plans.")
        if seed_catalogue(admin=admin):
            self.stdout.write("Service catalogue: 265 items.")
        if seed_applications(admin=admin):
            self.stdout.write("Applications: a working window of cases in every state.")
        if seed_service_desk(admin=admin, today=today):
            self.stdout.write(
                "Service desk: windows and slots, 企业开办一件事, an agent, appointments, ratings."
            )
        if seed_spaces(by=admin, today=today):
            self.stdout.write("Space: factories, offices, an incubator and talent apartments.")
        if seed_platforms(by=admin, today=today):
            self.stdout.write("Platforms and events, with on-site signings in the register.")
        if seed_talent(by=admin, today=today):
            self.stdout.write("Talent: teams and talents brought in, a programme batch decided.")
        if seed_zone_map(admin=admin, today=today):
            self.stdout.write("Battle map: the zone's plots with the key projects placed.")
        if seed_delivery(admin=admin, today=today):
            self.stdout.write(
                "投产达效: agreements kept, at risk and broken, the zone's late land; "
                "last year's per-mu evaluation published."
            )
        # Issue 20: the register at scale, visits and appeals, policies and payouts.
        if seed_register(admin=admin, today=today):
            self.stdout.write("Register: sizes, liaison officers, qualifications.")
        if seed_visits(admin=admin, today=today):
            self.stdout.write("Visits and appeals (诉求直达), one from the 12345 hotline.")
        if seed_policies(admin=admin, today=today):
            self.stdout.write("Policies: a 高企 award (paid), an R&D subsidy, a talent allowance.")
        if created:
            self.stdout.write(f"Project register: {created} projects with their history.")
        if seed_channels(admin=admin):
            self.stdout.write("Channels: event rules and two group robots (switched off).")
        # Reminders at their events' dates, the daily archive rule applied (issue 17).
        settle_reminders(started)
        self.stdout.write(self.style.SUCCESS("Demo zone ready (日照高新区)."))
        if years:
            self.stdout.write(f"Work calendar loaded for {years[0]}–{years[-1]}.")
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
        for username, role, full_name, *_rest in USERS:
            self.stdout.write(f"  {username:<13} {Role(role).label!s:<28} {full_name}")
        self.stdout.write(
            f"  {ent_username:<13} {Role.ENTERPRISE.label!s:<28} "
            f"{ent_full_name} ({enterprise_name})"
        )
        with_code = enrol_demo_authenticators()
        if with_code:
            self.stdout.write(
                f"Two-factor sign-in for {', '.join(with_code)}: after the password, enter the "
                "code from `.venv/bin/python manage.py demo_otp_code <username>`, or add the "
                f"demo key {DEMO_TOTP_SECRET} to an authenticator app (demo only)."
            )
