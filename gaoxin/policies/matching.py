"""The matching engine: the enterprises eligible for a clause, the clauses an enterprise is
eligible for, each with the reasons; the not determinable listed apart with what is missing.

The facts of all enterprises are loaded in a fixed number of queries — the enterprises, their
qualifications of the types the clauses name, one grouped ledger sum per figure and period,
the talents per enterprise — then every clause is evaluated in memory
(``criteria.evaluate``). The number of queries grows with the figures the clauses read, never
with the enterprises (``bench/policies.py`` measures it at 20,000)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum

from gaoxin.dispatch.models import LedgerEntry
from gaoxin.enterprises.models import Enterprise, Qualification, QualificationType
from gaoxin.policies import criteria as rules
from gaoxin.policies.models import Clause
from gaoxin.talent.models import Talent

CENT = Decimal("0.01")

__all__ = ["ClauseMatch", "clauses_for", "load_facts", "match", "match_clause"]


@dataclass(slots=True)
class Row:
    enterprise_id: int
    name: str
    outcome: rules.Outcome


@dataclass
class ClauseMatch:
    clause: Clause
    labels: list[str]
    eligible: list[Row] = field(default_factory=list)
    ineligible: list[Row] = field(default_factory=list)
    undeterminable: list[Row] = field(default_factory=list)

    @property
    def total(self):
        return sum(row.outcome.amount for row in self.eligible)


def load_facts(
    enterprises, *, codes: set[str], figures: set[rules.FigureKey]
) -> tuple[dict[int, rules.Facts], dict[int, str]]:
    """Facts of the enterprises (a queryset), and their names: the enterprises, their
    qualifications of the types named, one ledger query per period, the talents — a number of
    queries that does not depend on how many enterprises there are."""
    facts: dict[int, rules.Facts] = {}
    names: dict[int, str] = {}
    for row in enterprises.values_list(
        "pk",
        "name",
        "industry_id",
        "industry__parent_id",
        "cluster__code",
        "headcount",
        "in_zone",
        "established_on",
    ).order_by():
        pk, name, industry, section, cluster, headcount, in_zone, established = row
        names[pk] = name
        facts[pk] = rules.Facts(pk, industry, section, cluster, headcount, in_zone, established)
    ids = enterprises.values("pk")
    narrowed = bool(enterprises.query.where)  # the whole register needs no IN (…)
    if codes:
        for enterprise_id, code, start, end in (
            Qualification.objects.filter(type__code__in=codes)
            .filter(**({"enterprise__in": ids} if narrowed else {}))
            .values_list("enterprise_id", "type__code", "valid_from", "valid_to")
            .order_by()
        ):
            if enterprise_id in facts:
                facts[enterprise_id].qualifications.append((code, start, end))
    # One grouped query per period, every figure of that period summed in it.
    periods: dict[tuple[dt.date, dt.date], set[str]] = {}
    for figure, start, end in figures:
        periods.setdefault((start, end), set()).add(figure)
    for (start, end), names_ in periods.items():
        ordered = sorted(names_)
        sums = {f"sum_{f}": Sum(f) for f in ordered} | {f"n_{f}": Count(f) for f in ordered}
        ledger = LedgerEntry.objects.filter(month__gte=start.replace(day=1), month__lte=end)
        ledger = ledger.filter(project__enterprise__in=ids) if narrowed else ledger
        rows = (
            ledger.filter(project__enterprise__isnull=False)
            .values("project__enterprise_id")
            .annotate(**sums)
            .order_by()
        )
        for row in rows:
            known = facts.get(row["project__enterprise_id"])
            if known is None:
                continue
            for f in ordered:
                # Count(field) counts the months with a value: none means no data, not zero.
                # SQLite and PostgreSQL give the sum alike, in 0.01 万元.
                if row[f"n_{f}"]:
                    known.figures[(f, start, end)] = Decimal(row[f"sum_{f}"]).quantize(CENT)
    for enterprise_id, n in (
        Talent.objects.filter(enterprise__isnull=False)
        .filter(**({"enterprise__in": ids} if narrowed else {}))
        .values("enterprise_id")
        .annotate(n=Count("pk"))
        .values_list("enterprise_id", "n")
        .order_by()
    ):
        if enterprise_id in facts:
            facts[enterprise_id].talents = n
    return facts, names


def match(clauses: list[Clause], enterprises=None) -> list[ClauseMatch]:
    """Every clause against every enterprise (default: the whole register)."""
    enterprises = enterprises if enterprises is not None else Enterprise.objects.all()
    codes: set[str] = set()
    figures: set[rules.FigureKey] = set()
    for clause in clauses:
        codes |= rules.qualification_codes(clause.criteria)
        figures |= rules.figure_keys(clause.criteria, clause.amount_rule)
    facts, names = load_facts(enterprises, codes=codes, figures=figures)
    type_names = dict(QualificationType.objects.filter(code__in=codes).values_list("code", "name"))
    results = []
    for clause in clauses:
        compiled = rules.compile_clause(clause.criteria, clause.amount_rule, type_names)
        found = ClauseMatch(clause, [check[2] for check in compiled.checks])
        lists = {
            rules.ELIGIBLE: found.eligible,
            rules.INELIGIBLE: found.ineligible,
            rules.UNDETERMINABLE: found.undeterminable,
        }
        evaluate = rules.evaluate_compiled
        for pk, enterprise_facts in facts.items():
            outcome = evaluate(compiled, enterprise_facts)
            lists[outcome.status].append(Row(pk, names[pk], outcome))
        for rows in lists.values():
            rows.sort(key=lambda r: r.name)
        results.append(found)
    return results


def match_clause(clause: Clause, enterprises=None) -> ClauseMatch:
    return match([clause], enterprises)[0]


def clauses_for(enterprise, clauses=None, *, as_of: dt.date | None = None) -> list[tuple]:
    """The active clauses of policies in force for one enterprise: (clause, outcome), eligible
    first, then not determinable, then ineligible."""
    if clauses is None:
        clauses = Clause.objects.filter(is_active=True, policy__is_published=True)
        if as_of:
            clauses = clauses.filter(policy__starts_on__lte=as_of).filter(
                Q(policy__ends_on__isnull=True) | Q(policy__ends_on__gte=as_of)
            )
        clauses = list(clauses.select_related("policy"))
    matches = match(clauses, Enterprise.objects.filter(pk=enterprise.pk))
    order = {rules.ELIGIBLE: 0, rules.UNDETERMINABLE: 1, rules.INELIGIBLE: 2}
    rows = []
    for found in matches:
        for status_rows in (found.eligible, found.undeterminable, found.ineligible):
            rows.extend((found.clause, row.outcome) for row in status_rows)
    return sorted(rows, key=lambda pair: order[pair[1].status])
