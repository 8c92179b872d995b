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
    "Facts",
    "Outcome",
    "check_amount_rule",
    "check_criteria",
    "describe",
    "evaluate",
    "figure_keys",
    "qualification_codes",
]

ELIGIBLE, INELIGIBLE, UNDETERMINABLE = "eligible", "ineligible", "undeterminable"
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


@dataclass
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


@dataclass
class Outcome:
    status: str
    reasons: list[dict[str, Any]]  # {"criterion": text, "holds": True/False/None, "value": text}
    missing: list[str]
    amount: Decimal | None = None


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


def _qualification(item: dict, facts: Facts) -> tuple[bool | None, str]:
    held = [(start, end) for code, start, end in facts.qualifications if code == item["code"]]
    if "on" in item:
        day = dt.date.fromisoformat(item["on"])
        covering = [(s, e) for s, e in held if s <= day and (e is None or e >= day)]
    else:
        start, end = dt.date.fromisoformat(item["from"]), dt.date.fromisoformat(item["to"])
        covering = [(s, e) for s, e in held if s <= start and (e is None or e >= end)]
    if covering:
        s, e = covering[0]
        return True, f"{s} – {e or '∞'}"
    if held:
        return False, "；".join(f"{s} – {e or '∞'}" for s, e in held)
    return False, _("not held")


def _criterion(item: dict, facts: Facts) -> tuple[bool | None, str, str | None]:
    """(holds, the value seen, what is missing)."""
    kind = item["type"]
    if kind == "qualification":
        holds, value = _qualification(item, facts)
        return holds, value, None
    if kind == "industry":
        if facts.industry is None:
            return None, "—", _("industry code")
        holds = facts.industry in item["codes"] or facts.section in item["codes"]
        return holds, facts.industry, None
    if kind == "cluster":
        if facts.cluster is None:
            return None, "—", _("industrial cluster")
        return facts.cluster in item["codes"], facts.cluster, None
    if kind == "headcount":
        if facts.headcount is None:
            return None, "—", _("headcount")
        return _within(facts.headcount, *_bounds(item)), str(facts.headcount), None
    if kind == "talents":
        return _within(facts.talents, *_bounds(item)), str(facts.talents), None
    if kind == "figure":
        key = (
            item["figure"],
            dt.date.fromisoformat(item["from"]),
            dt.date.fromisoformat(item["to"]),
        )
        value = facts.figures.get(key)
        if value is None:
            missing = _("%(f)s from %(a)s to %(b)s in the ledger") % {
                "f": _figure_names()[item["figure"]],
                "a": item["from"],
                "b": item["to"],
            }
            return None, "—", missing
        return _within(value, *_bounds(item)), str(value), None
    if kind == "in_zone":
        if facts.in_zone is None:
            return None, "—", _("location in the zone")
        return facts.in_zone, _("yes") if facts.in_zone else _("no"), None
    # registered
    if facts.established_on is None:
        return None, "—", _("date of establishment")
    start, end = dt.date.fromisoformat(item["from"]), dt.date.fromisoformat(item["to"])
    return start <= facts.established_on <= end, str(facts.established_on), None


def _amount(rule: dict, facts: Facts) -> tuple[Decimal | None, str | None]:
    if rule.get("kind") == "fixed":
        return Decimal(str(rule["amount"])), None
    key = (rule["figure"], dt.date.fromisoformat(rule["from"]), dt.date.fromisoformat(rule["to"]))
    base = facts.figures.get(key)
    if base is None:
        return None, _("%(f)s from %(a)s to %(b)s in the ledger (for the amount)") % {
            "f": _figure_names()[rule["figure"]],
            "a": rule["from"],
            "b": rule["to"],
        }
    amount = base * Decimal(str(rule["rate"]))
    if rule.get("cap") is not None:
        amount = min(amount, Decimal(str(rule["cap"])))
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), None


def evaluate(
    criteria: list[dict], amount_rule: dict, facts: Facts, labels: list[str] | None = None
) -> Outcome:
    """One enterprise against one clause; ``labels`` are the criteria in words (computed once
    per clause by the caller)."""
    labels = labels or [describe(item) for item in criteria]
    reasons, missing = [], []
    failed = False
    for item, label in zip(criteria, labels, strict=True):
        holds, value, lacking = _criterion(item, facts)
        reasons.append({"criterion": label, "holds": holds, "value": value})
        if holds is False:
            failed = True
        elif holds is None:
            missing.append(lacking)
    if failed:
        return Outcome(INELIGIBLE, reasons, missing)
    if missing:
        return Outcome(UNDETERMINABLE, reasons, missing)
    amount, lacking = _amount(amount_rule, facts) if amount_rule else (Decimal(0), None)
    if lacking:
        return Outcome(UNDETERMINABLE, reasons, [lacking])
    return Outcome(ELIGIBLE, reasons, [], amount)
