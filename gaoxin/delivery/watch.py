"""Keeping watch on agreements (履约监管): each promise's status from what is recorded.

The one rule pages, the API, the Excel list and the alert job read (services and selectors
both import it). Nothing here is stored: a status is computed as of a day from

* the project's stage events (construction start, production start; corrected steps do not
  count),
* its money entries (investment completed, summed up to the day),
* the monthly ledger (output, tax, employees of the last 12 complete months),
* the dates recorded for the zone's promises and for construction completion,

on the work calendar: a date falling on a holiday is due on the next working day; "due soon"
is within ``DUE_SOON_WORKING_DAYS`` working days; lateness is counted in working days. The
zone's late delivery of a promise an enterprise term depends on moves that term's date by the
delay, in working days (a promise still not kept moves it day by day).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, Min
from django.utils.translation import gettext as _

from gaoxin.core import workcalendar
from gaoxin.delivery.models import (
    AMOUNT_KINDS,
    DATE_KINDS,
    YEARLY_KINDS,
    AgreementTerm,
    AgreementVersion,
    TermKind,
    TermStatus,
)
from gaoxin.dispatch.models import LedgerEntry
from gaoxin.projects.models import MoneyEntry, MoneyKind, Stage, StageEvent

DUE_SOON_WORKING_DAYS = 20
# Worst first: the light of an agreement is its worst term's.
SEVERITY = {
    TermStatus.BROKEN: 5,
    TermStatus.AT_RISK: 4,
    TermStatus.UNKNOWN: 3,
    TermStatus.DUE_SOON: 2,
    TermStatus.ON_TRACK: 1,
    TermStatus.KEPT: 0,
}
LIGHT = {
    TermStatus.BROKEN: "red",
    TermStatus.AT_RISK: "orange",
    TermStatus.UNKNOWN: "grey",
    TermStatus.DUE_SOON: "yellow",
    TermStatus.ON_TRACK: "green",
    TermStatus.KEPT: "green",
}


@dataclass
class Facts:
    """What is recorded about one project, as the watch needs it."""

    started_on: dt.date | None = None
    producing_on: dt.date | None = None
    investments: list[tuple[dt.date, Decimal]] = field(default_factory=list)
    # month (first day) → (output, tax, employees)
    ledger: dict[dt.date, tuple[Decimal, Decimal, int]] = field(default_factory=dict)

    def invested_by(self, day: dt.date) -> Decimal:
        return sum((amount for on, amount in self.investments if on <= day), Decimal(0))


@dataclass
class TermState:
    term: AgreementTerm
    status: str
    due: dt.date  # the effective date, on a working day, after any excuse
    certain: bool  # False when the date relies on a year the calendar does not know
    excused_days: int = 0  # working days the zone's late promise moved it
    actual: object = None  # the date kept, or the figure reached
    target: Decimal | None = None
    gap: Decimal | int | None = None  # short of the target, or working days late / left
    gap_unit: str = ""
    reason: str = ""
    missing: list[str] = field(default_factory=list)

    @property
    def light(self) -> str:
        return LIGHT[self.status]

    @property
    def status_label(self) -> str:
        return TermStatus(self.status).label


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def last_twelve_months(day: dt.date) -> list[dt.date]:
    """The 12 complete months before the month of ``day``, oldest first."""
    this = month_start(day)
    return [add_months(this, -n) for n in range(12, 0, -1)]


def load_facts(project_ids: Iterable[int], day: dt.date) -> dict[int, Facts]:
    """Facts of many projects in four queries."""
    ids = list(set(project_ids))
    facts: dict[int, Facts] = defaultdict(Facts)
    if not ids:
        return facts
    firsts = (
        StageEvent.objects.effective()
        .filter(
            project_id__in=ids,
            stage__in=[Stage.UNDER_CONSTRUCTION, Stage.IN_PRODUCTION],
            on__lte=day,
        )
        .values("project_id", "stage")
        .annotate(first=Min("on"))
    )
    for row in firsts:
        f = facts[row["project_id"]]
        if row["stage"] == Stage.UNDER_CONSTRUCTION:
            f.started_on = row["first"]
        else:
            f.producing_on = row["first"]
    for project_id, on, amount in MoneyEntry.objects.filter(
        project_id__in=ids, kind=MoneyKind.INVESTMENT_COMPLETED, on__lte=day
    ).values_list("project_id", "on", "amount"):
        facts[project_id].investments.append((on, amount))
    months = last_twelve_months(day)
    for project_id, month, output, tax, employees in LedgerEntry.objects.filter(
        project_id__in=ids, month__gte=months[0], month__lte=months[-1]
    ).values_list("project_id", "month", "output_value", "tax", "employees"):
        facts[project_id].ledger[month_start(month)] = (output, tax, employees)
    return facts


def _working_day(day: dt.date) -> workcalendar.CalendarResult:
    return workcalendar.add_working_days(day, 0)


def excuse(zone_term: AgreementTerm, day: dt.date) -> workcalendar.CalendarResult:
    """Working days the zone was late with a promise (as of ``day`` while not yet kept)."""
    promised = _working_day(zone_term.due_on)
    until = zone_term.fulfilled_on or day
    if until <= promised.value:
        return workcalendar.CalendarResult(0, promised.certain, promised.unknown_years)
    late = workcalendar.working_days_between(promised.value, until)
    return workcalendar.CalendarResult(
        late.value,
        promised.certain and late.certain,
        tuple(sorted(set(promised.unknown_years) | set(late.unknown_years))),
    )


def effective_due(term: AgreementTerm, day: dt.date) -> tuple[dt.date, bool, int]:
    """The date the term is due, after moving it to a working day and by the zone's delay."""
    due = _working_day(term.due_on)
    certain = due.certain
    shift = 0
    if term.depends_on_id is not None and term.depends_on is not None:
        late = excuse(term.depends_on, day)
        shift = late.value
        certain = certain and late.certain
        if shift:
            moved = workcalendar.add_working_days(due.value, shift)
            return moved.value, certain and moved.certain, shift
    return due.value, certain, shift


def _days_between(start: dt.date, end: dt.date) -> int:
    return workcalendar.working_days_between(start, end).value


def _date_state(state: TermState, actual: dt.date | None, prerequisite_met: bool, day) -> None:
    due = state.due
    state.actual = actual
    state.gap_unit = _("working days")
    if actual is not None:
        if actual <= due:
            state.status, state.gap = TermStatus.KEPT, 0
        else:
            state.status, state.gap = TermStatus.BROKEN, _days_between(due, actual)
            state.reason = _("Kept %(n)s working days late.") % {"n": state.gap}
        return
    if day > due:
        state.status, state.gap = TermStatus.BROKEN, _days_between(due, day)
        state.reason = _("Not kept; %(n)s working days overdue.") % {"n": state.gap}
        return
    left = _days_between(day, due)
    state.gap = left
    if left <= DUE_SOON_WORKING_DAYS:
        if not prerequisite_met:
            state.status = TermStatus.AT_RISK
            state.reason = _("%(n)s working days left and the step before it is not done.") % {
                "n": left
            }
        else:
            state.status = TermStatus.DUE_SOON
            state.reason = _("%(n)s working days left.") % {"n": left}
    else:
        state.status = TermStatus.ON_TRACK


def _amount_state(state, value: Decimal, version: AgreementVersion, day: dt.date) -> None:
    target = state.target or Decimal(0)
    state.actual = value.quantize(Decimal("0.01"))
    state.gap_unit = _("short of the target")
    state.gap = max(target - state.actual, Decimal(0))
    if state.actual >= target:
        state.status, state.gap = TermStatus.KEPT, Decimal(0)
        return
    if day > state.due:
        state.status = TermStatus.BROKEN
        state.reason = _("Not reached by the date; %(gap)s short.") % {"gap": state.gap}
        return
    span = (state.due - version.signed_on).days
    elapsed = (day - version.signed_on).days
    expected = target * Decimal(max(elapsed, 0)) / Decimal(span) if span > 0 else target
    if state.actual < expected:
        state.status = TermStatus.AT_RISK
        state.reason = _(
            "Behind a straight line from signing to the date (%(expected)s due by now)."
        ) % {"expected": expected.quantize(Decimal("0.01"))}
    elif _days_between(day, state.due) <= DUE_SOON_WORKING_DAYS:
        state.status = TermStatus.DUE_SOON
    else:
        state.status = TermStatus.ON_TRACK


def _yearly_state(state, facts: Facts, version: AgreementVersion, day: dt.date) -> None:
    term = state.term
    target = state.target or Decimal(0)
    if day < state.due:
        left = _days_between(day, state.due)
        state.status = TermStatus.DUE_SOON if left <= DUE_SOON_WORKING_DAYS else TermStatus.ON_TRACK
        state.gap, state.gap_unit = left, _("working days")
        return
    months = last_twelve_months(day)
    missing = [m for m in months if m not in facts.ledger]
    if missing:
        state.status = TermStatus.UNKNOWN
        state.missing = [m.strftime("%Y-%m") for m in missing]
        state.reason = _("Ledger months missing: %(months)s.") % {
            "months": ", ".join(state.missing)
        }
        return
    rows = [facts.ledger[m] for m in months]
    if term.kind == TermKind.HEADCOUNT:
        value = Decimal(sum(r[2] for r in rows)) / 12
    else:
        index = 0 if term.kind == TermKind.OUTPUT_PER_MU else 1
        value = sum((r[index] for r in rows), Decimal(0)) / version.land_area_mu
    state.actual = value.quantize(Decimal("0.01"))
    state.gap_unit = _("short of the target")
    if state.actual >= target:
        state.status, state.gap = TermStatus.KEPT, Decimal(0)
        return
    state.gap = target - state.actual
    if months[0] >= month_start(state.due):
        state.status = TermStatus.BROKEN
        state.reason = _("A full year under the promise and %(gap)s short.") % {"gap": state.gap}
    else:
        state.status = TermStatus.AT_RISK
        state.reason = _("Short by %(gap)s in the months so far.") % {"gap": state.gap}


def term_state(
    term: AgreementTerm, version: AgreementVersion, facts: Facts, day: dt.date
) -> TermState:
    due, certain, shift = effective_due(term, day)
    state = TermState(term=term, status=TermStatus.ON_TRACK, due=due, certain=certain)
    state.excused_days = shift
    state.target = term.target
    if term.kind in DATE_KINDS:
        if term.kind == TermKind.START:
            actual = facts.started_on
            zone = term.depends_on
            prerequisite = zone is None or zone.fulfilled_on is not None
        elif term.kind == TermKind.PRODUCTION:
            actual = facts.producing_on
            prerequisite = facts.started_on is not None
        elif term.kind == TermKind.COMPLETION:
            actual = term.fulfilled_on or facts.producing_on
            prerequisite = facts.started_on is not None
        else:  # the zone's own promise
            actual = term.fulfilled_on
            prerequisite = True
        if actual is not None and actual > day:
            actual = None
        _date_state(state, actual, prerequisite, day)
    elif term.kind in AMOUNT_KINDS:
        invested = facts.invested_by(min(day, due))
        if term.kind == TermKind.INTENSITY:
            invested = invested / version.land_area_mu
        _amount_state(state, invested, version, day)
    elif term.kind in YEARLY_KINDS:
        _yearly_state(state, facts, version, day)
    return state


def worst(states: Iterable[TermState]) -> str:
    states = list(states)
    if not states:
        return TermStatus.ON_TRACK
    return max((s.status for s in states), key=lambda s: SEVERITY[s])


@dataclass
class AgreementWatch:
    version: AgreementVersion
    states: list[TermState]

    @property
    def agreement(self):
        return self.version.agreement

    @property
    def status(self) -> str:
        return worst(s for s in self.states if not s.term.is_zones)

    @property
    def zone_status(self) -> str:
        return worst(s for s in self.states if s.term.is_zones)

    @property
    def light(self) -> str:
        return LIGHT[self.status]

    @property
    def zone_light(self) -> str:
        return LIGHT[self.zone_status]

    @property
    def status_label(self) -> str:
        return TermStatus(self.status).label

    @property
    def zone_status_label(self) -> str:
        return TermStatus(self.zone_status).label


def current_versions(agreements) -> list[AgreementVersion]:
    """The current version of each agreement, with its terms, in two queries."""
    by_id = {a.pk: a for a in agreements}
    if not by_id:
        return []
    position = {pk: i for i, pk in enumerate(by_id)}
    versions = list(
        AgreementVersion.objects.filter(
            agreement_id__in=list(by_id), number=F("agreement__current_version")
        ).prefetch_related("terms__depends_on")
    )
    for v in versions:
        v.agreement = by_id[v.agreement_id]
    versions.sort(key=lambda v: position[v.agreement_id])
    return versions


def watch(agreements, day: dt.date) -> list[AgreementWatch]:
    """Every term's state for the agreements' current versions, as of ``day``."""
    agreements = list(agreements)
    versions = current_versions(agreements)
    facts = load_facts([a.project_id for a in agreements], day)
    return [
        AgreementWatch(
            version=v,
            states=[term_state(t, v, facts[v.agreement.project_id], day) for t in v.terms.all()],
        )
        for v in versions
    ]
