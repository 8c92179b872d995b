"""The per-mu evaluation against a small zone worked out by hand, its rules and its life:
draft → published (公示) → frozen, and a correction as a new version with its reason."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from gaoxin.core.models import AuditEntry
from gaoxin.delivery import selectors, services
from gaoxin.delivery.models import Evaluation, EvaluationStatus, Klass
from gaoxin.delivery.tests.zone import THREE, D, lease, months, place, plot, project
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rules_2025(admin_user):
    return services.evaluation_year_set(
        year=2025, cut_a=110, cut_b=80, cut_c=50, cap=2, indicators=THREE, by=admin_user
    )


@pytest.fixture
def zone(admin_user):
    """Nine enterprises; the expected figures are worked out in the comments."""
    e = {n: EnterpriseFactory(name=f"企业{n}") for n in range(1, 10)}
    since = D(2022, 5, 1)
    # E1: plot P1 of 20 mu alone. Year: output 3000, tax 300, R&D 60.
    # tax/mu 15 → 50 × 1.5 = 75; output/mu 150 → 30 × 1.5 = 45; R&D 2% → 20 × 1 = 20.
    # Score 140.00 → A.
    p1 = project(e[1], producing_on=since)
    place(p1, plot("P1", "20"))
    months(p1, 2025, admin_user, output="250", tax="25", rd="5")
    # E2 and E3 share P2 (30 mu) 60 % / 40 %: E2 holds 18 mu.
    # E2: output 1440, tax 108, R&D 14.4. tax/mu 6 → 30; output/mu 80 → 24; R&D 1% → 10.
    # Score 64.00 → C.
    shared = plot("P2", "30")
    p2 = project(e[2], producing_on=since)
    place(p2, shared)
    months(p2, 2025, admin_user, output="120", tax="9", rd="1.2")
    # E3: 12 mu of P2 + a 1000 m² unit all year (1000 × 15 / 10000 = 1.5 mu) = 13.5 mu.
    # Output 600, tax 10.8, R&D 6. tax/mu 0.8 → 4.00; output/mu 44.4444 → 13.33;
    # R&D 1% → 10.00. Score 27.33 → D.
    p3 = project(e[3], producing_on=since)
    place(p3, shared)
    months(p3, 2025, admin_user, output="50", tax="0.9", rd="0.5")
    lease(e[3], "1000", D(2024, 1, 1), D(2027, 12, 31))
    services.land_shares_set(plot=shared, shares={e[2]: "60", e[3]: "40"}, by=admin_user)
    # E4: P3 of 10 mu, tax/mu 60 → 6 times the benchmark, capped at 2 → 100;
    # output/mu 120 → 36; R&D 1% → 10. Score 146.00 → A.
    p4 = project(e[4], producing_on=since)
    place(p4, plot("P3", "10"))
    months(p4, 2025, admin_user, output="100", tax="50", rd="1")
    # E5: no ledger for March → not scored, the month named.
    p5 = project(e[5], producing_on=since)
    place(p5, plot("P5", "10"))
    months(p5, 2025, admin_user, output="100", tax="5", skip={3})
    # E6: in production since June 2024 → T (under two years), whatever its figures.
    p6 = project(e[6], producing_on=D(2024, 6, 1))
    place(p6, plot("P6", "10"))
    months(p6, 2025, admin_user, output="100", tax="5")
    # E7: complete ledger, no land → not scored.
    p7 = project(e[7], producing_on=since)
    months(p7, 2025, admin_user, output="100", tax="5")
    # E8 and E9 on P4 without recorded shares → both not scored, the plot named.
    shared_unrecorded = plot("P4", "40")
    p8 = project(e[8], producing_on=since)
    place(p8, shared_unrecorded)
    months(p8, 2025, admin_user, output="100", tax="5")
    p9 = project(e[9], producing_on=since)
    place(p9, shared_unrecorded)
    months(p9, 2025, admin_user, output="100", tax="5", rd=None)
    return e


def _by_enterprise(evaluation):
    return {s.enterprise.name: s for s in evaluation.scores.select_related("enterprise")}


def test_small_zone_scores_and_classes_match_the_hand_computation(zone, rules_2025, admin_user):
    evaluation = services.evaluation_compute(year=2025, by=admin_user)
    got = _by_enterprise(evaluation)
    assert (got["企业1"].score, got["企业1"].klass) == (Decimal("140.00"), Klass.A)
    assert [v["score"] for v in got["企业1"].values] == ["75.00", "45.00", "20.00"]
    assert got["企业1"].land_mu == Decimal("20.0000")
    assert (got["企业2"].score, got["企业2"].klass) == (Decimal("64.00"), Klass.C)
    assert got["企业2"].land_mu == Decimal("18.0000")
    assert (got["企业3"].score, got["企业3"].klass) == (Decimal("27.33"), Klass.D)
    assert got["企业3"].land_mu == Decimal("13.5000")
    assert [v["value"] for v in got["企业3"].values] == ["0.8000", "44.4444", "1.0000"]
    assert (got["企业4"].score, got["企业4"].klass) == (Decimal("146.00"), Klass.A)
    assert got["企业4"].values[0]["score"] == "100.00"  # capped at twice the weight


def test_missing_figures_and_land_are_named_never_scored_as_zero(zone, rules_2025, admin_user):
    got = _by_enterprise(services.evaluation_compute(year=2025, by=admin_user))
    assert got["企业5"].klass == Klass.NOT_SCORED and got["企业5"].score is None
    assert "2025-03" in got["企业5"].missing[0]
    assert got["企业6"].klass == Klass.T and got["企业6"].score is None
    assert got["企业7"].klass == Klass.NOT_SCORED
    assert got["企业7"].missing == [_("No land recorded (plots or leases).")]
    for name in ("企业8", "企业9"):
        assert got[name].klass == Klass.NOT_SCORED
        assert any("P4" in m and "2" in m for m in got[name].missing)
    # E9 also reported no R&D: named by month.
    no_rd = _("R&D spending not reported for %(months)s.") % {"months": ""}
    assert any(m.startswith(no_rd[:4]) and "2025-01" in m for m in got["企业9"].missing)
    counts = selectors.distribution(Evaluation.objects.get())
    assert counts == {"A": 2, "B": 0, "C": 1, "D": 1, "T": 1, "-": 4}


def test_zone_tax_per_mu_counts_scored_enterprises_only(zone, rules_2025, admin_user):
    evaluation = services.evaluation_compute(year=2025, by=admin_user)
    # (300 + 108 + 10.8 + 600) / (20 + 18 + 13.5 + 10) = 1018.8 / 61.5 = 16.5658…
    assert selectors.tax_per_mu(evaluation) == Decimal("16.57")


def test_weights_not_summing_to_100_are_refused_with_the_sum(admin_user):
    bad = [dict(THREE[0], weight=50), dict(THREE[1], weight=25), dict(THREE[2], weight=20)]
    with pytest.raises(ValidationError) as error:
        services.evaluation_year_set(
            year=2025, cut_a=110, cut_b=80, cut_c=50, indicators=bad, by=admin_user
        )
    assert "95%" in str(error.value.message_dict["indicators"])
    assert not Evaluation.objects.exists()


def test_land_shares_must_sum_to_100(zone, admin_user):
    target = plot("P9", "10")
    with pytest.raises(ValidationError) as error:
        services.land_shares_set(plot=target, shares={zone[1]: "60", zone[2]: "30"}, by=admin_user)
    assert "90%" in str(error.value.message_dict["shares"])


def test_only_the_admin_sets_a_years_rules(staff):
    with pytest.raises(PermissionDenied):
        services.evaluation_year_set(
            year=2025, cut_a=110, cut_b=80, cut_c=50, indicators=THREE, by=staff
        )


def test_draft_published_frozen_and_a_correction_is_a_new_version(zone, rules_2025, admin_user):
    draft = services.evaluation_compute(year=2025, by=admin_user)
    again = services.evaluation_compute(year=2025, by=admin_user)  # recomputing a draft
    assert again.pk == draft.pk and draft.scores.count() == 9
    services.evaluation_publish(evaluation=draft, by=admin_user)
    services.evaluation_freeze(evaluation=draft, by=admin_user)
    frozen_scores = list(draft.scores.values_list("enterprise_id", "score", "klass"))
    with pytest.raises(ValidationError):  # a correction needs its reason
        services.evaluation_compute(year=2025, by=admin_user)
    # E7's land is found: a correction.
    place(zone[7].projects.get(), plot("P7", "10"))
    correction = services.evaluation_compute(
        year=2025, by=admin_user, reason="企业7用地漏登，补录后重算"
    )
    assert (correction.number, correction.corrects_id) == (2, draft.pk)
    draft.refresh_from_db()
    # Unchanged until the correction is published.
    assert draft.status == EvaluationStatus.FROZEN
    assert list(draft.scores.values_list("enterprise_id", "score", "klass")) == frozen_scores
    services.evaluation_publish(evaluation=correction, by=admin_user)
    draft.refresh_from_db()
    assert draft.status == EvaluationStatus.SUPERSEDED
    assert correction.scores.get(enterprise=zone[7]).klass != Klass.NOT_SCORED
    entries = AuditEntry.objects.filter(
        content_type__app_label="delivery", content_type__model="evaluation"
    )
    assert entries.filter(object_id=str(correction.pk)).count() == 2  # computed, published
    assert entries.get(object_id=str(draft.pk), after__status="superseded")


def test_enterprises_see_only_their_own_published_result(zone, rules_2025, admin_user):
    from tests.factories import UserFactory

    user = UserFactory(role="enterprise", enterprise=zone[1], username="e1")
    draft = services.evaluation_compute(year=2025, by=admin_user)
    assert not selectors.scores(user, draft).exists()
    services.evaluation_publish(evaluation=draft, by=admin_user)
    assert [s.enterprise for s in selectors.scores(user, draft)] == [zone[1]]
    assert [s.klass for s in selectors.class_history(user, zone[1])] == [Klass.A]


def test_the_engine_reads_a_fixed_number_of_queries(
    zone, rules_2025, django_assert_max_num_queries
):
    from gaoxin.delivery import scoring

    rules = scoring.rules_for(rules_2025)
    # ledger sums, short months, missing energy/R&D, producing projects, first production,
    # plots by placement, shares, leases — the same for nine enterprises or twenty thousand.
    with django_assert_max_num_queries(9):
        results = scoring.evaluate(2025, rules)
    assert len(results) == 9
