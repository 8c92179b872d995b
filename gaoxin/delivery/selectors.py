"""Reads of 投产达效: the 履约 list with its lights, and the evaluation's results, class
history, class distribution and the zone's tax per mu (for the cockpit and the battle map)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, DecimalField, Q, Sum
from django.db.models.fields.json import KT
from django.db.models.functions import Cast

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
SCORED = [Klass.A, Klass.B, Klass.C, Klass.D]
# The battle map's colours by class (T and not scored stay neutral).
CLASS_COLOURS = {
    Klass.A: "#2fb344",
    Klass.B: "#4299e1",
    Klass.C: "#f59f00",
    Klass.D: "#d63939",
    Klass.T: "#ced4da",
    Klass.NOT_SCORED: "#adb5bd",
}


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
    sums = evaluation.scores.filter(klass__in=SCORED).aggregate(
        tax=Sum(Cast(KT("figures__tax"), DecimalField(max_digits=16, decimal_places=2))),
        land=Sum("land_mu"),
    )
    if not sums["land"]:
        return None
    return (Decimal(sums["tax"]) / Decimal(sums["land"])).quantize(Decimal("0.01"))


def class_history(user, enterprise) -> list[EvaluationScore]:
    """An enterprise's class in each year's current evaluation (published or frozen)."""
    return list(
        EvaluationScore.objects.restrict(user)
        .filter(enterprise=enterprise, evaluation__status__in=SHOWN_TO_ENTERPRISES)
        .select_related("evaluation")
        .order_by("-evaluation__year")
    )


def plot_classes(evaluation: Evaluation | None) -> dict[str, str]:
    """Each plot's class for the battle map: the best class among the enterprises on it (by a
    project placed there or a recorded share)."""
    if evaluation is None:
        return {}
    order = {k: i for i, k in enumerate(CLASSES)}
    result: dict[str, str] = {}
    scores = EvaluationScore.objects.filter(evaluation=evaluation)
    rows = list(
        scores.filter(enterprise__projects__plot_placement__isnull=False).values_list(
            "enterprise__projects__plot_placement__plot__code", "klass"
        )
    ) + list(
        scores.filter(enterprise__land_shares__isnull=False).values_list(
            "enterprise__land_shares__plot__code", "klass"
        )
    )
    for code, klass in rows:
        if code not in result or order[klass] < order[result[code]]:
            result[code] = klass
    return result


def corrections(evaluation: Evaluation) -> list[Evaluation]:
    """The versions of the evaluation's year, newest first."""
    return list(Evaluation.objects.filter(year=evaluation.year).order_by("-number"))


def is_editable(evaluation: Evaluation) -> bool:
    return evaluation.status == EvaluationStatus.DRAFT
