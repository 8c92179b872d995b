"""The matching engine: each criterion type, combinations, missing data (not determinable, with
what is missing), a qualification expiring inside the period, the amount rules, and a property
test that the eligible set equals a plain-Python oracle on generated data."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gaoxin.dispatch.models import LedgerEntry
from gaoxin.enterprises.models import Enterprise, Qualification, QualificationType
from gaoxin.policies import criteria as rules
from gaoxin.policies.matching import match, match_clause
from gaoxin.policies.models import Clause, ClauseMode, Policy
from gaoxin.projects.models import Project
from gaoxin.talent.models import Talent
from tests.factories import ClusterFactory, EnterpriseFactory, UserFactory, industry_code

pytestmark = pytest.mark.django_db
D = dt.date
YEAR = {"from": "2026-01-01", "to": "2026-12-31"}


@pytest.fixture
def policy(db):
    return Policy.objects.create(
        title="高新区促进科技创新若干政策", issuing_body="高新区管委会", starts_on=D(2026, 1, 1)
    )


def clause(policy, criteria, amount_rule=None, number="1"):
    return Clause.objects.create(
        policy=policy,
        number=number,
        title="条款",
        mode=ClauseMode.AUTOMATIC,
        criteria=rules.check_criteria(criteria),
        amount_rule=amount_rule or {"kind": "fixed", "amount": "20"},
    )


def qualify(enterprise, code, start, end):
    return Qualification.objects.create(
        enterprise=enterprise,
        type=QualificationType.objects.get(code=code),
        valid_from=start,
        valid_to=end,
    )


def ledger(enterprise, month, **figures):
    project, _created = Project.objects.get_or_create(
        name=f"{enterprise.name}项目", defaults={"enterprise": enterprise}
    )
    values = {"output_value": 0, "tax": 0, "employees": 1, **figures}
    clerk = UserFactory(username="ledger_clerk")
    return LedgerEntry.objects.create(project=project, month=month, entered_by=clerk, **values)


def statuses(found):
    return {
        "eligible": {r.enterprise_id for r in found.eligible},
        "ineligible": {r.enterprise_id for r in found.ineligible},
        "undeterminable": {r.enterprise_id for r in found.undeterminable},
    }


def test_qualification_held_on_a_date(policy):
    held, lapsed, never = EnterpriseFactory.create_batch(3)
    qualify(held, "hnte", D(2025, 1, 1), D(2027, 12, 31))
    qualify(lapsed, "hnte", D(2023, 1, 1), D(2025, 12, 31))
    found = match_clause(
        clause(policy, [{"type": "qualification", "code": "hnte", "on": "2026-06-30"}])
    )
    assert statuses(found)["eligible"] == {held.pk}
    assert statuses(found)["ineligible"] == {lapsed.pk, never.pk}
    reason = next(r for r in found.ineligible if r.enterprise_id == lapsed.pk).outcome.reasons[0]
    assert reason["holds"] is False and "2025-12-31" in reason["value"]


def test_a_qualification_expiring_inside_the_period_does_not_hold_the_whole_period(policy):
    expiring = EnterpriseFactory()
    qualify(expiring, "srdi", D(2024, 1, 1), D(2026, 8, 31))
    throughout = clause(policy, [{"type": "qualification", "code": "srdi", **YEAR}], number="1")
    at_start = clause(
        policy, [{"type": "qualification", "code": "srdi", "on": "2026-01-01"}], number="2"
    )
    results = match([throughout, at_start])
    assert statuses(results[0])["ineligible"] == {expiring.pk}
    assert statuses(results[1])["eligible"] == {expiring.pk}


def test_industry_division_or_section_and_cluster(policy):
    chips = EnterpriseFactory(industry=industry_code("39"), cluster=ClusterFactory(code="ict"))
    food = EnterpriseFactory(industry=industry_code("14"))
    unknown = EnterpriseFactory(industry=None, cluster=None)
    by_division = match_clause(clause(policy, [{"type": "industry", "codes": ["39"]}], number="1"))
    by_section = match_clause(clause(policy, [{"type": "industry", "codes": ["C"]}], number="2"))
    by_cluster = match_clause(clause(policy, [{"type": "cluster", "codes": ["ict"]}], number="3"))
    assert statuses(by_division)["eligible"] == {chips.pk}
    assert statuses(by_division)["ineligible"] == {food.pk}
    assert statuses(by_section)["eligible"] == {chips.pk, food.pk}
    assert statuses(by_cluster)["eligible"] == {chips.pk}
    assert statuses(by_cluster)["ineligible"] == {food.pk}
    missing = {r.enterprise_id: r.outcome.missing for r in by_division.undeterminable}
    assert missing == {unknown.pk: [_("industry code")]}


def test_headcount_bounds_and_missing_headcount(policy):
    small, big, unknown = (
        EnterpriseFactory(headcount=12),
        EnterpriseFactory(headcount=900),
        EnterpriseFactory(headcount=None),
    )
    found = match_clause(clause(policy, [{"type": "headcount", "min": 10, "max": 500}]))
    assert statuses(found) == {
        "eligible": {small.pk},
        "ineligible": {big.pk},
        "undeterminable": {unknown.pk},
    }


def test_ledger_figure_over_a_period_and_no_ledger_is_not_determinable(policy):
    rich, poor, silent = EnterpriseFactory.create_batch(3)
    for month in (D(2026, 1, 1), D(2026, 2, 1)):
        ledger(rich, month, tax=300)
        ledger(poor, month, tax=100)
    ledger(silent, D(2025, 12, 1), tax=9999)  # outside the period
    found = match_clause(clause(policy, [{"type": "figure", "figure": "tax", **YEAR, "min": 500}]))
    assert statuses(found) == {
        "eligible": {rich.pk},
        "ineligible": {poor.pk},
        "undeterminable": {silent.pk},
    }
    row = found.undeterminable[0]
    assert row.outcome.missing and "2026-01-01" in row.outcome.missing[0]
    assert found.eligible[0].outcome.reasons[0]["value"] == "600.00"


def test_rd_spending_rate_capped_and_missing_rd_is_not_determinable(policy):
    big, modest, no_rd = EnterpriseFactory.create_batch(3)
    ledger(big, D(2026, 3, 1), rd_spending=Decimal("5000"))
    ledger(modest, D(2026, 3, 1), rd_spending=Decimal("120"))
    ledger(no_rd, D(2026, 3, 1), tax=10)  # a ledger month without R&D spending
    rule = {"kind": "rate", "figure": "rd_spending", **YEAR, "rate": "0.1", "cap": "200"}
    found = match_clause(clause(policy, [], rule))
    amounts = {r.enterprise_id: r.outcome.amount for r in found.eligible}
    assert amounts == {big.pk: Decimal("200.00"), modest.pk: Decimal("12.00")}
    assert statuses(found)["undeterminable"] == {no_rd.pk}


def test_talents_location_and_registration(policy):
    new_in_zone = EnterpriseFactory(in_zone=True, established_on=D(2026, 3, 1))
    old = EnterpriseFactory(in_zone=True, established_on=D(2010, 1, 1))
    outside = EnterpriseFactory(in_zone=False, established_on=D(2026, 3, 1))
    Talent.objects.create(
        name="张博士",
        id_number="11010519491231002X",
        enterprise=new_in_zone,
        arrived_on=D(2026, 4, 1),
    )
    found = match_clause(
        clause(
            policy,
            [
                {"type": "in_zone"},
                {"type": "registered", **YEAR},
                {"type": "talents", "min": 1},
            ],
        )
    )
    assert statuses(found)["eligible"] == {new_in_zone.pk}
    assert {old.pk, outside.pk} <= statuses(found)["ineligible"]
    reasons = found.eligible[0].outcome.reasons
    assert [r["holds"] for r in reasons] == [True, True, True]
    assert reasons[2]["value"] == "1"


def test_a_failed_criterion_is_ineligible_even_when_another_lacks_data(policy):
    # Headcount unknown, but the qualification is definitely not held: ineligible, and the
    # missing headcount is still named.
    enterprise = EnterpriseFactory(headcount=None)
    found = match_clause(
        clause(
            policy,
            [
                {"type": "qualification", "code": "hnte", "on": "2026-06-30"},
                {"type": "headcount", "min": 1},
            ],
        )
    )
    row = found.ineligible[0]
    assert row.enterprise_id == enterprise.pk and row.outcome.missing == [_("headcount")]


def test_combination_all_must_hold(policy):
    both = EnterpriseFactory(headcount=50)
    qualify(both, "hnte", D(2025, 1, 1), None)
    only_one = EnterpriseFactory(headcount=50)
    found = match_clause(
        clause(
            policy,
            [
                {"type": "qualification", "code": "hnte", "on": "2026-06-30"},
                {"type": "headcount", "min": 20},
            ],
        )
    )
    assert statuses(found)["eligible"] == {both.pk}
    assert statuses(found)["ineligible"] == {only_one.pk}


@pytest.mark.parametrize(
    ("criteria", "message"),
    [
        ([{"type": "weather"}], "unknown type"),
        ([{"type": "figure", "figure": "profit", **YEAR, "min": 1}], "unknown figure"),
        (
            [
                {
                    "type": "figure",
                    "figure": "tax",
                    "from": "2026-12-31",
                    "to": "2026-01-01",
                    "min": 1,
                }
            ],
            "ends before",
        ),
        ([{"type": "headcount"}], "minimum or a maximum"),
        ([{"type": "headcount", "min": -1}], "zero or more"),
        ([{"type": "qualification", "code": "hnte", "on": "next year"}], "YYYY-MM-DD"),
    ],
)
def test_bad_criteria_are_refused(criteria, message):
    with pytest.raises(ValidationError) as error, translation.override("en"):
        rules.check_criteria(criteria)
    assert message in str(error.value)


# --- the property: the engine against a plain-Python oracle ---------------------------------

QUAL_WINDOW = st.tuples(
    st.dates(D(2024, 1, 1), D(2027, 12, 31)), st.one_of(st.none(), st.integers(0, 900))
)
ENTERPRISE = st.fixed_dictionaries(
    {
        "headcount": st.one_of(st.none(), st.integers(0, 400)),
        "in_zone": st.one_of(st.none(), st.booleans()),
        "quals": st.lists(QUAL_WINDOW, max_size=2),
        "tax": st.one_of(st.none(), st.lists(st.integers(0, 300), min_size=1, max_size=3)),
    }
)
CRITERIA = st.lists(
    st.one_of(
        st.builds(lambda n: {"type": "headcount", "min": n}, st.integers(0, 400)),
        st.just({"type": "in_zone"}),
        st.builds(
            lambda d: {"type": "qualification", "code": "hnte", "on": d.isoformat()},
            st.dates(D(2024, 1, 1), D(2027, 12, 31)),
        ),
        st.builds(
            lambda n: {"type": "figure", "figure": "tax", **YEAR, "min": n}, st.integers(0, 600)
        ),
    ),
    min_size=1,
    max_size=3,
)


def oracle(data: dict, criteria: list[dict]) -> str:
    """Written apart from the engine: eligible / ineligible / undeterminable from plain data."""
    results = []
    for c in criteria:
        if c["type"] == "headcount":
            results.append(None if data["headcount"] is None else data["headcount"] >= c["min"])
        elif c["type"] == "in_zone":
            results.append(data["in_zone"])
        elif c["type"] == "qualification":
            day = D.fromisoformat(c["on"])
            results.append(
                any(
                    start <= day and (length is None or start + dt.timedelta(days=length) >= day)
                    for start, length in data["quals"]
                )
            )
        else:
            results.append(None if data["tax"] is None else sum(data["tax"]) >= c["min"])
    if False in results:
        return "ineligible"
    return "undeterminable" if None in results else "eligible"


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(enterprises=st.lists(ENTERPRISE, min_size=1, max_size=6), criteria=CRITERIA)
def test_eligible_sets_equal_a_plain_python_oracle(policy, enterprises, criteria):
    Clause.objects.all().delete()
    LedgerEntry.objects.all().delete()
    Project.objects.all().delete()
    Qualification.objects.all().delete()
    Enterprise.objects.all().delete()
    hnte = QualificationType.objects.get(code="hnte")
    created = []
    for n, data in enumerate(enterprises):
        enterprise = EnterpriseFactory(headcount=data["headcount"], in_zone=data["in_zone"])
        for start, length in data["quals"]:
            Qualification.objects.create(
                enterprise=enterprise,
                type=hnte,
                valid_from=start,
                valid_to=None if length is None else start + dt.timedelta(days=length),
            )
        for month, tax in enumerate(data["tax"] or [], 1):
            ledger(enterprise, D(2026, month, 1), tax=tax)
        created.append((enterprise, data, n))
    found = statuses(match_clause(clause(policy, criteria)))
    expected = {"eligible": set(), "ineligible": set(), "undeterminable": set()}
    for enterprise, data, _n in created:
        expected[oracle(data, criteria)].add(enterprise.pk)
    assert found == expected
