"""The demo's 投产达效 on the reference zone: agreements kept, at risk, one broken, one where
the zone delivered the land late; last year's evaluation published with every class."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from gaoxin.accounts.models import User
from gaoxin.delivery import selectors, watch
from gaoxin.delivery.demo import seed_delivery
from gaoxin.delivery.models import Agreement, Evaluation, TermKind, TermStatus

pytestmark = pytest.mark.django_db


def test_the_demo_has_every_kind_of_agreement_and_a_published_evaluation():
    call_command("seed_demo", verbosity=0)
    admin = User.objects.get(username="admin")
    today = timezone.localdate()
    if not Agreement.objects.exists():  # seed_demo may already call seed_delivery
        assert seed_delivery(admin=admin, today=today) >= 6
    items = watch.watch(Agreement.objects.select_related("project"), today)
    statuses = {i.status for i in items}
    assert {TermStatus.KEPT, TermStatus.AT_RISK, TermStatus.BROKEN} <= statuses
    late = [
        i
        for i in items
        if any(
            s.term.kind == TermKind.LAND_DELIVERY and s.status == TermStatus.BROKEN
            for s in i.states
        )
    ]
    assert late and all(
        s.status == TermStatus.KEPT and s.excused_days > 0
        for s in late[0].states
        if s.term.kind == TermKind.START
    )
    evaluation = Evaluation.objects.get(year=today.year - 1)
    assert evaluation.status == "published"
    counts = selectors.distribution(evaluation)
    assert all(counts[k] >= 1 for k in ("A", "B", "C", "D", "T", "-")), counts
