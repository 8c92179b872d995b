"""Ratings (好差评): a bad rating opens a remediation the enterprise follows, an unrated case counts
as satisfied, rating on the case page."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gaoxin.affairs import services
from gaoxin.affairs.models import (
    ApplicationState,
    Rating,
)
from gaoxin.affairs.tests.support import (
    at,
    closed_case,
)
from gaoxin.core.models import Notification

pytestmark = pytest.mark.django_db
A = ApplicationState


def test_a_bad_rating_opens_a_remediation_the_enterprise_follows(
    client, licence, enterprise, enterprise_user, reviewers, approval, time_machine
):
    approval.head = reviewers["approval"]
    approval.save()
    time_machine.move_to(at(2026, 11, 2, 9), tick=False)
    case = closed_case(enterprise, enterprise_user, licence, reviewers)
    with pytest.raises(ValidationError):  # a bad rating says why
        services.rating_give(application=case, by=enterprise_user, level=2)
    with pytest.raises(PermissionDenied):
        services.rating_give(application=case, by=reviewers["clerk"], level=5)
    rating = services.rating_give(
        application=case, by=enterprise_user, level=2, reasons="窗口让我跑了两次"
    )
    with pytest.raises(ValidationError):
        services.rating_give(application=case, by=enterprise_user, level=5)
    remediation = rating.remediation
    assert remediation.department == approval
    assert remediation.due_on == dt.date(2026, 11, 23)  # fifteen working days
    assert Notification.objects.filter(
        user=reviewers["approval"], key__startswith="remediation"
    ).exists()
    taxer = reviewers["tax"]
    with pytest.raises(PermissionDenied):  # another department
        services.remediation_reply(remediation=remediation, by=taxer, reply="x")
    with pytest.raises(ValidationError):  # reply first
        services.remediation_visit(remediation=remediation, by=reviewers["approval"], notes="x")
    services.remediation_reply(
        remediation=remediation, by=reviewers["approval"], reply="已约谈窗口人员，推行一次告知"
    )
    services.remediation_visit(
        remediation=remediation, by=reviewers["approval"], notes="企业表示满意"
    )
    client.force_login(enterprise_user)
    page = client.get(f"/affairs/remediations/{remediation.pk}/").content.decode()
    assert "推行一次告知" in page and "企业表示满意" in page


def test_a_case_not_rated_in_time_counts_as_satisfied(
    licence, enterprise, enterprise_user, reviewers, time_machine
):
    time_machine.move_to(at(2026, 11, 2, 9), tick=False)
    case = closed_case(enterprise, enterprise_user, licence, reviewers)
    with pytest.raises(ValidationError):  # only closed cases are rated
        open_case = services.application_create(
            enterprise=enterprise, items=[licence], by=enterprise_user, channel="online"
        )
        services.rating_give(application=open_case, by=enterprise_user, level=5)
    time_machine.move_to(at(2026, 11, 9, 18), tick=False)  # the fifth working day: still open
    assert services.ratings_default() == 0
    time_machine.move_to(at(2026, 11, 10, 1), tick=False)
    assert services.ratings_default() == 1
    assert services.ratings_default() == 0
    rating = Rating.objects.get(application=case)
    assert rating.defaulted and rating.level == 4 and rating.by is None
    with pytest.raises(ValidationError):
        services.rating_give(application=case, by=enterprise_user, level=1, reasons="迟到的差评")


def test_the_enterprise_rates_on_the_case_page_and_sees_it_on_its_home(
    client, licence, enterprise, enterprise_user, reviewers, time_machine
):
    time_machine.move_to(at(2026, 11, 2, 9), tick=False)
    case = closed_case(enterprise, enterprise_user, licence, reviewers)
    client.force_login(enterprise_user)
    home = client.get("/").content.decode()
    assert 'data-testid="portal-to-rate"' in home and case.number in home
    page = client.get(f"/affairs/applications/{case.pk}/").content.decode()
    assert 'data-testid="rate-form"' in page and "2026-11-09" in page  # rate by, or satisfied
    bad = client.post(f"/affairs/applications/{case.pk}/rate/", {"level": "1"}, follow=True)
    assert "差评请说明原因" in bad.content.decode() and not Rating.objects.exists()
    client.post(f"/affairs/applications/{case.pk}/rate/", {"level": "5"})
    assert Rating.objects.get().level == 5
    assert 'data-testid="portal-to-rate"' not in client.get("/").content.decode()
    client.force_login(reviewers["clerk"])
    assert client.post(f"/affairs/applications/{case.pk}/rate/", {"level": "1"}).status_code == 403
