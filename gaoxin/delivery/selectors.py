"""Reads of 投产达效: the 履约 list with its lights, and the evaluation's results, class
history, class distribution and the zone's tax per mu (for the cockpit and the battle map)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Q

from gaoxin.delivery import watch
from gaoxin.delivery.models import (
    SHOWN_TO_ENTERPRISES,
    Agreement,
    Evaluation,
    EvaluationScore,
    EvaluationStatus,
    Klass,
    TermStatus,
)

CLASSES = [Klass.A, Klass.B, Klass.C, Klass.D, Klass.T, Klass.NOT_SCORED]


def agreements(user, *, q: str = "", project: int | None = None):
    qs = Agreement.objects.restrict(user).select_related(
        "project__enterprise", "project__steward", "project__department"
    )
    if q:
        qs = qs.filter(
            Q(number__icontains=q)
            | Q(title__icontains=q)
            | Q(project__name__icontains=q)
            | Q(project__enterprise__name__icontains=q)
        )
    if project:
        qs = qs.filter(project_id=project)
    return qs.order_by("-id")


def watched(user, day: dt.date, *, q: str = "", status: str = "", project=None):
    """The 履约 list: each agreement's current version with every promise's state; ``status``
    keeps those whose enterprise light (or, for ``zone_late``, the zone's) is that status."""
    items = watch.watch(agreements(user, q=q, project=project), day)
    if status == "zone_late":
        return [i for i in items if i.zone_status == TermStatus.BROKEN]
    if status in TermStatus.values:
        return [i for i in items if i.status == status]
    return items


def watch_one(agreement: Agreement, day: dt.date) -> watch.AgreementWatch:
    (item,) = watch.watch([agreement], day)
    return item


def watch_summary(items) -> dict[str, int]:
    counts = {s: 0 for s in TermStatus.values}
    for item in items:
        counts[item.status] += 1
    return counts


def evaluations(user):
    return Evaluation.objects.restrict(user).order_by("-year", "-number")


def current_evaluation(year: int | None = None) -> Evaluation | None:
    """The published (or frozen) evaluation of ``year``, or of the latest year that has one."""
    qs = Evaluation.objects.filter(status__in=SHOWN_TO_ENTERPRISES)
    if year is not None:
        qs = qs.filter(year=year)
    return qs.order_by("-year").first()


def scores(user, evaluation: Evaluation, *, klass: str = "", q: str = ""):
    qs = (
        EvaluationScore.objects.restrict(user)
        .filter(evaluation=evaluation)
        .select_related("enterprise")
    )
    if klass in Klass.values:
        qs = qs.filter(klass=klass)
    if q:
        qs = qs.filter(Q(enterprise__name__icontains=q) | Q(enterprise__uscc__icontains=q))
    return qs.order_by("klass", "-score", "enterprise__name")


def distribution(evaluation: Evaluation | None) -> dict[str, int]:
    counts = {k: 0 for k in CLASSES}
    if evaluation is None:
        return counts
    for klass, n in (
        evaluation.scores.values_list("klass").annotate(n=Count("id")).order_by("klass")
    ):
        counts[klass] = n
    return counts


def tax_per_mu(evaluation: Evaluation | None) -> Decimal | None:
    """The zone's 亩均税收 of the scored enterprises: their tax over their land (万元/亩)."""
    if evaluation is None:
        return None
    tax = land = Decimal(0)
    for figures, land_mu in evaluation.scores.filter(
        klass__in=[Klass.A, Klass.B, Klass.C, Klass.D]
    ).values_list("figures", "land_mu"):
        tax += Decimal(figures["tax"])
        land += land_mu
    return (tax / land).quantize(Decimal("0.01")) if land else None


def class_history(user, enterprise) -> list[EvaluationScore]:
    """An enterprise's class in each year's current evaluation (published or frozen)."""
    return list(
        EvaluationScore.objects.restrict(user)
        .filter(enterprise=enterprise, evaluation__status__in=SHOWN_TO_ENTERPRISES)
        .select_related("evaluation")
        .order_by("-evaluation__year")
    )


def plot_classes(evaluation: Evaluation | None) -> dict[str, str]:
    """Each plot's class for the battle map: the best class among the enterprises on it."""
    if evaluation is None:
        return {}
    order = {k: i for i, k in enumerate(CLASSES)}
    result: dict[str, str] = {}
    for code, klass in EvaluationScore.objects.filter(
        evaluation=evaluation,
        enterprise__projects__plot_placement__isnull=False,
    ).values_list("enterprise__projects__plot_placement__plot__code", "klass"):
        if code not in result or order[klass] < order[result[code]]:
            result[code] = klass
    return result


def corrections(evaluation: Evaluation) -> list[Evaluation]:
    """The versions of the evaluation's year, newest first."""
    return list(Evaluation.objects.filter(year=evaluation.year).order_by("-number"))


def is_editable(evaluation: Evaluation) -> bool:
    return evaluation.status == EvaluationStatus.DRAFT
