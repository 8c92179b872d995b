"""The usual node flows of the zone's projects, as plan templates: reference data that the
data migration 0004_plan_templates loads, and that seed_demo and generate_data load again
after a `flush` (gaoxin.demo.reference). Editable afterwards in the admin."""

from __future__ import annotations

__all__ = ["TEMPLATES", "add_templates"]

TEMPLATES = {
    "工业项目标准节点": (
        "新建工业项目：土地、规划、环评并联，施工许可后开工，至竣工投产。",
        [
            # order, name, working days, predecessors, marks the construction start
            (1, "土地摘牌", 20, [], False),
            (2, "规划许可", 15, [1], False),
            (3, "环评批复", 20, [1], False),
            (4, "施工许可", 10, [2, 3], False),
            (5, "开工建设", 1, [4], True),
            (6, "主体封顶", 120, [5], False),
            (7, "设备进场", 40, [6], False),
            (8, "试生产", 30, [7], False),
            (9, "竣工投产", 10, [8], False),
        ],
    ),
    "技改扩建项目节点": (
        "利用现有厂房的技术改造或扩建：备案后设备采购与厂房改造并联。",
        [
            (1, "项目备案", 5, [], False),
            (2, "设备采购", 30, [1], False),
            (3, "厂房改造", 20, [1], True),
            (4, "设备安装调试", 30, [2, 3], False),
            (5, "试生产", 20, [4], False),
            (6, "投产", 5, [5], False),
        ],
    ),
}


def add_templates(template_model, step_model) -> int:
    """Create the templates that do not exist yet (an existing one, perhaps edited in the
    admin, is left alone). The models are passed in: a migration's historical ones, or
    ``PlanTemplate`` and ``PlanTemplateStep``. Returns how many templates were created."""
    created_count = 0
    for name, (description, steps) in TEMPLATES.items():
        template, created = template_model.objects.get_or_create(
            name=name, defaults={"description": description}
        )
        if not created:
            continue
        created_count += 1
        made = {}
        for order, step_name, days, _deps, marks_start in steps:
            made[order] = step_model.objects.create(
                template=template,
                order=order,
                name=step_name,
                duration_days=days,
                marks_start=marks_start,
            )
        for order, _name, _days, deps, _marks in steps:
            made[order].depends_on.set([made[d] for d in deps])
    return created_count
