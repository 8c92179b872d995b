"""Eligibility criteria and amount rules: their shapes, their checks and their evaluation on one
enterprise's facts. Pure rules (no queries): the matching engine loads the facts of many
enterprises in a fixed number of queries and evaluates here; the services check a clause's JSON
here before saving it.

Criteria (all must hold):
  {"type": "qualification", "code": "hnte", "on": "2026-12-31"}          held on the date
  {"type": "qualification", "code": "hnte", "from": "…", "to": "…"}     held the whole period
  {"type": "industry", "codes": ["39", "C"]}         a GB/T 4754 division, or its section
  {"type": "cluster", "codes": ["ict"]}
  {"type": "headcount", "min": 10, "max": 500}      either bound may be left out
  {"type": "figure", "figure": "output_value" | "tax" | "rd_spending",
   "from": "2026-01-01", "to": "2026-12-31", "min": "500", "max": …}   ledger sum over months
  {"type": "talents", "min": 1}                      talents employed (the talent register)
  {"type": "in_zone"}                                located in the zone
  {"type": "registered", "from": "…", "to": "…"}     established within the period
Amount rules (万元):
  {"kind": "fixed", "amount": "20"}
  {"kind": "rate", "figure": "rd_spending", "from": "…", "to": "…", "rate": "0.1", "cap": "100"}

Three-valued: a criterion holds, fails, or cannot be decided for want of data. An enterprise is
eligible when every criterion holds (and its amount can be computed), ineligible when one fails
on data it has, and otherwise *not determinable*, listed with what is missing — never silently
eligible or ineligible.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

__all__ = [
    "CRITERION_TYPES",
    "ELIGIBLE",
    "FIGURES",
    "INELIGIBLE",
    "UNDETERMINABLE",
    "Compiled",
    "Facts",
    "Outcome",
    "check_amount_rule",
    "check_criteria",
    "compile_clause",
    "describe",
    "evaluate",
    "evaluate_compiled",
    "figure_keys",
    "qualification_codes",
]

ELIGIBLE, INELIGIBLE, UNDETERMINABLE = "eligible", "ineligible", "undeterminable"
CENT = Decimal("0.01")
CRITERION_TYPES = (
    "qualification",
    "industry",
    "cluster",
    "headcount",
    "figure",
    "talents",
    "in_zone",
    "registered",
)
# The ledger's figures a criterion or an amount rule may read (dispatch.LedgerEntry fields).
FIGURES = ("output_value", "tax", "rd_spending")
FigureKey = tuple[str, dt.date, dt.date]


def _figure_names() -> dict[str, str]:
    return {
        "output_value": _("output value"),
        "tax": _("tax paid"),
        "rd_spending": _("R&D spending"),
    }


@dataclass(slots=True)
class Facts:
    """What the engine knows of one enterprise; ``None`` is “no data”."""

    enterprise_id: int
    industry: str | None = None  # division code
    section: str | None = None
    cluster: str | None = None
    headcount: int | None = None
    in_zone: bool | None = None
    established_on: dt.date | None = None
    qualifications: list[tuple[str, dt.date, dt.date | None]] = field(default_factory=list)
    figures: dict[FigureKey, Decimal | None] = field(default_factory=dict)
    talents: int = 0


class Outcome:
    """The verdict with its reasons: ``reasons`` as {"criterion", "holds", "value"} dicts, built
    when read (the engine keeps plain tuples for 100,000 verdicts)."""

    __slots__ = ("_reasons", "amount", "missing", "status")

    def __init__(self, status: str, reasons: list, missing: list[str], amount=None):
        self.status, self._reasons, self.missing, self.amount = status, reasons, missing, amount

    @property
    def reasons(self) -> list[dict[str, Any]]:
        return [
            r if isinstance(r, dict) else {"criterion": r[0], "holds": r[1], "value": r[2]}
            for r in self._reasons
        ]


def _date(value, where: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value))
    except (TypeError, ValueError):
        raise ValidationError(
            _("%(where)s: give a date as YYYY-MM-DD.") % {"where": where}
        ) from None


def _number(value, where: str) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError(_("%(where)s: give a number.") % {"where": where}) from None
    if not number.is_finite() or number < 0:
        raise ValidationError(_("%(where)s: give a number of zero or more.") % {"where": where})
    return number


def _period(item: dict, where: str) -> tuple[dt.date, dt.date]:
    start, end = _date(item.get("from"), where), _date(item.get("to"), where)
    if end < start:
        raise ValidationError(_("%(where)s: the period ends before it starts.") % {"where": where})
    return start, end


def check_criteria(criteria, *, qualification_codes: set[str] | None = None) -> list[dict]:
    """The criteria list, checked; a ValidationError in Chinese names the first bad one."""
    if not isinstance(criteria, list):
        raise ValidationError(_("The criteria are a list."))
    for n, item in enumerate(criteria, 1):
        where = _("Criterion %(n)d") % {"n": n}
        if not isinstance(item, dict) or item.get("type") not in CRITERION_TYPES:
            raise ValidationError(_("%(where)s: unknown type.") % {"where": where})
        kind = item["type"]
        if kind == "qualification":
            code = item.get("code")
            if not code or (qualification_codes is not None and code not in qualification_codes):
                raise ValidationError(_("%(where)s: unknown qualification.") % {"where": where})
            if "on" in item:
                _date(item["on"], where)
            else:
                _period(item, where)
        elif kind in ("industry", "cluster"):
            codes = item.get("codes")
            if (
                not isinstance(codes, list)
                or not codes
                or not all(isinstance(c, str) for c in codes)
            ):
                raise ValidationError(_("%(where)s: list the codes.") % {"where": where})
        elif kind in ("headcount", "talents"):
            if "min" not in item and "max" not in item:
                raise ValidationError(
                    _("%(where)s: give a minimum or a maximum.") % {"where": where}
                )
            for bound in ("min", "max"):
                if bound in item:
                    _number(item[bound], where)
        elif kind == "figure":
            if item.get("figure") not in FIGURES:
                raise ValidationError(_("%(where)s: unknown figure.") % {"where": where})
            _period(item, where)
            if "min" not in item and "max" not in item:
                raise ValidationError(
                    _("%(where)s: give a minimum or a maximum.") % {"where": where}
                )
            for bound in ("min", "max"):
                if bound in item:
                    _number(item[bound], where)
        elif kind == "registered":
            _period(item, where)
    return criteria


def check_amount_rule(rule) -> dict:
    where = _("Amount rule")
    if not isinstance(rule, dict) or rule.get("kind") not in ("fixed", "rate"):
        raise ValidationError(_("The amount rule is fixed or a rate of a figure."))
    if rule["kind"] == "fixed":
        _number(rule.get("amount"), where)
    else:
        if rule.get("figure") not in FIGURES:
            raise ValidationError(_("%(where)s: unknown figure.") % {"where": where})
        _period(rule, where)
        _number(rule.get("rate"), where)
        if rule.get("cap") is not None:
            _number(rule["cap"], where)
    return rule


def qualification_codes(criteria: list[dict]) -> set[str]:
    return {c["code"] for c in criteria if c["type"] == "qualification"}


def figure_keys(criteria: list[dict], amount_rule: dict) -> set[FigureKey]:
    """The ledger sums the criteria and the amount rule read."""
    keys = {
        (c["figure"], dt.date.fromisoformat(c["from"]), dt.date.fromisoformat(c["to"]))
        for c in criteria
        if c["type"] == "figure"
    }
    if amount_rule.get("kind") == "rate":
        keys.add(
            (
                amount_rule["figure"],
                dt.date.fromisoformat(amount_rule["from"]),
                dt.date.fromisoformat(amount_rule["to"]),
            )
        )
    return keys


def _bounds(item: dict) -> tuple[Decimal | None, Decimal | None]:
    low = Decimal(str(item["min"])) if item.get("min") is not None else None
    high = Decimal(str(item["max"])) if item.get("max") is not None else None
    return low, high


def _within(value, low, high) -> bool:
    return (low is None or value >= low) and (high is None or value <= high)


def _range_text(low, high) -> str:
    if low is not None and high is not None:
        return f"{low}–{high}"
    return f"≥ {low}" if low is not None else f"≤ {high}"


def describe(item: dict, names: dict[str, str] | None = None) -> str:
    """A criterion in words (Chinese through the catalogue); ``names`` maps qualification codes
    to their names."""
    kind = item["type"]
    if kind == "qualification":
        name = (names or {}).get(item["code"], item["code"])
        if "on" in item:
            return _("Holds %(q)s on %(d)s") % {"q": name, "d": item["on"]}
        return _("Holds %(q)s from %(a)s to %(b)s") % {
            "q": name,
            "a": item["from"],
            "b": item["to"],
        }
    if kind == "industry":
        return _("Industry in %(codes)s") % {"codes": "、".join(item["codes"])}
    if kind == "cluster":
        return _("Cluster in %(codes)s") % {"codes": "、".join(item["codes"])}
    if kind == "headcount":
        return _("Headcount %(r)s") % {"r": _range_text(*_bounds(item))}
    if kind == "talents":
        return _("Talents employed %(r)s") % {"r": _range_text(*_bounds(item))}
    if kind == "figure":
        return _("%(f)s from %(a)s to %(b)s %(r)s (10k CNY)") % {
            "f": _figure_names()[item["figure"]],
            "a": item["from"],
            "b": item["to"],
            "r": _range_text(*_bounds(item)),
        }
    if kind == "in_zone":
        return _("Located in the zone")
    return _("Established from %(a)s to %(b)s") % {"a": item["from"], "b": item["to"]}


@dataclass
class Compiled:
    """A clause ready to evaluate many enterprises: dates parsed, bounds as decimals, the words
    (criteria in words, what is missing) translated once, not once per enterprise."""

    checks: list[tuple]  # (kind, parameters, label, missing text)
    amount: tuple | None  # ("fixed", amount) or ("rate", key, rate, cap, missing text)
    words: dict[str, str]
    functions: list[tuple] = field(default_factory=list)  # (check(facts), label, missing)

    def __post_init__(self):
        self.functions = [(_checker(c, self.words), c[2], c[3]) for c in self.checks]


def _words() -> dict[str, str]:
    return {"not held": _("not held"), "yes": _("yes"), "no": _("no")}


def compile_clause(
    criteria: list[dict], amount_rule: dict, names: dict[str, str] | None = None
) -> Compiled:
    figure_names = _figure_names()

    def key(item: dict) -> FigureKey:
        return (
            item["figure"],
            dt.date.fromisoformat(item["from"]),
            dt.date.fromisoformat(item["to"]),
        )

    def ledger_missing(item: dict) -> str:
        return _("%(f)s from %(a)s to %(b)s in the ledger") % {
            "f": figure_names[item["figure"]],
            "a": item["from"],
            "b": item["to"],
        }

    checks = []
    for item in criteria:
        kind, label = item["type"], describe(item, names)
        if kind == "qualification":
            if "on" in item:
                day = dt.date.fromisoformat(item["on"])
                params = (item["code"], day, day)
            else:
                params = (
                    item["code"],
                    dt.date.fromisoformat(item["from"]),
                    dt.date.fromisoformat(item["to"]),
                )
            checks.append((kind, params, label, None))
        elif kind == "industry":
            checks.append((kind, frozenset(item["codes"]), label, _("industry code")))
        elif kind == "cluster":
            checks.append((kind, frozenset(item["codes"]), label, _("industrial cluster")))
        elif kind == "headcount":
            checks.append((kind, _bounds(item), label, _("headcount")))
        elif kind == "talents":
            checks.append((kind, _bounds(item), label, None))
        elif kind == "figure":
            checks.append((kind, (key(item), *_bounds(item)), label, ledger_missing(item)))
        elif kind == "in_zone":
            checks.append((kind, None, label, _("location in the zone")))
        else:  # registered
            params = (dt.date.fromisoformat(item["from"]), dt.date.fromisoformat(item["to"]))
            checks.append((kind, params, label, _("date of establishment")))
    amount = None
    if amount_rule.get("kind") == "fixed":
        amount = ("fixed", Decimal(str(amount_rule["amount"])))
    elif amount_rule.get("kind") == "rate":
        missing = _("%(f)s from %(a)s to %(b)s in the ledger (for the amount)") % {
            "f": figure_names[amount_rule["figure"]],
            "a": amount_rule["from"],
            "b": amount_rule["to"],
        }
        cap = amount_rule.get("cap")
        amount = (
            "rate",
            key(amount_rule),
            Decimal(str(amount_rule["rate"])),
            Decimal(str(cap)) if cap is not None else None,
            missing,
        )
    return Compiled(checks, amount, _words())


def _qualification(params, facts: Facts, words) -> tuple[bool, str]:
    code, start, end = params
    held = [(s, e) for c, s, e in facts.qualifications if c == code]
    for s, e in held:
        if s <= start and (e is None or e >= end):
            return True, f"{s} – {e or '∞'}"
    if held:
        return False, "；".join(f"{s} – {e or '∞'}" for s, e in held)
    return False, words["not held"]


def _checker(check: tuple, words: dict[str, str]):
    """The check as one function of the facts: (holds — None for no data —, the value seen)."""
    kind, params = check[0], check[1]
    if kind == "qualification":
        return lambda facts: _qualification(params, facts, words)
    if kind == "industry":
        return lambda facts: (
            (None, "—")
            if facts.industry is None
            else ((facts.industry in params or facts.section in params), facts.industry)
        )
    if kind == "cluster":
        return lambda facts: (
            (None, "—") if facts.cluster is None else (facts.cluster in params, facts.cluster)
        )
    if kind == "headcount":
        low, high = params
        return lambda facts: (
            (None, "—")
            if facts.headcount is None
            else (_within(facts.headcount, low, high), str(facts.headcount))
        )
    if kind == "talents":
        low, high = params
        return lambda facts: (_within(facts.talents, low, high), str(facts.talents))
    if kind == "figure":
        key, low, high = params

        def figure(facts):
            value = facts.figures.get(key)
            return (None, "—") if value is None else (_within(value, low, high), str(value))

        return figure
    if kind == "in_zone":
        yes, no = words["yes"], words["no"]
        return lambda facts: (
            (None, "—") if facts.in_zone is None else (facts.in_zone, yes if facts.in_zone else no)
        )
    first, last = params
    return lambda facts: (
        (None, "—")
        if facts.established_on is None
        else (first <= facts.established_on <= last, str(facts.established_on))
    )


def _amount(amount: tuple | None, facts: Facts) -> tuple[Decimal | None, str | None]:
    if amount is None:
        return Decimal(0), None
    if amount[0] == "fixed":
        return amount[1], None
    _kind, key, rate, cap, missing = amount
    base = facts.figures.get(key)
    if base is None:
        return None, missing
    value = base * rate
    if cap is not None and value > cap:
        value = cap
    return value.quantize(CENT, rounding=ROUND_HALF_UP), None


def evaluate_compiled(compiled: Compiled, facts: Facts) -> Outcome:
    reasons, missing = [], []
    failed = False
    for fn, label, lacking in compiled.functions:
        holds, value = fn(facts)
        reasons.append((label, holds, value))
        if holds is False:
            failed = True
        elif holds is None:
            missing.append(lacking)
    if failed:
        return Outcome(INELIGIBLE, reasons, missing)
    if missing:
        return Outcome(UNDETERMINABLE, reasons, missing)
    amount, lacking = _amount(compiled.amount, facts)
    if lacking:
        return Outcome(UNDETERMINABLE, reasons, [lacking])
    return Outcome(ELIGIBLE, reasons, [], amount)


def evaluate(
    criteria: list[dict], amount_rule: dict, facts: Facts, names: dict[str, str] | None = None
) -> Outcome:
    """One enterprise against one clause (the engine compiles a clause once for all)."""
    return evaluate_compiled(compile_clause(criteria, amount_rule, names), facts)
