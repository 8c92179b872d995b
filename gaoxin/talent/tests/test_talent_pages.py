"""The talent pages: one URL and one small form per action; a page's form comes back with the
errors next to the fields and the input kept; refusals are a 403 that says why."""

import datetime as dt

import pytest

from gaoxin.core.models import AuditEntry
from gaoxin.talent import services
from gaoxin.talent.models import (
    Batch,
    PanelScore,
    ServiceLogEntry,
    Talent,
    TalentApplication,
    Team,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
VALID_ID = "11010519491231002X"


def _talent(by, **extra):
    return services.talent_create(
        by=by,
        data={
            "name": "张博士",
            "id_number": VALID_ID,
            "arrived_on": dt.date(2026, 3, 1),
            **extra,
        },
    )


def _field_error(page: str, field: str) -> bool:
    return f'data-field-error="{field}"' in page


def test_a_bad_id_number_is_shown_at_its_field_with_the_input_kept(client, commissioner):
    client.force_login(commissioner)
    response = client.post(
        "/talent/talents/",
        {"name": "王研究员", "id_number": "110105194912310021", "arrived_on": "2026-05-01"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert _field_error(page, "id_number") and "不是有效的居民身份证号码" in page
    assert 'value="王研究员"' in page and 'value="2026-05-01"' in page
    assert not Talent.objects.exists()


def test_a_talent_registered_by_a_commissioner_is_theirs(client, commissioner, enterprise):
    client.force_login(commissioner)
    response = client.post(
        "/talent/talents/",
        {
            "name": "王研究员",
            "id_number": "11010519491231002x",
            "enterprise": enterprise.pk,
            "arrived_on": "2026-05-01",
        },
    )
    talent = Talent.objects.get()
    assert response.status_code == 302 and response.url == f"/talent/talents/{talent.pk}/"
    assert (talent.id_number, talent.commissioner, talent.enterprise) == (
        VALID_ID,
        commissioner,
        enterprise,
    )


def test_a_registered_id_number_is_refused_at_its_field(client, commissioner):
    _talent(commissioner)
    client.force_login(commissioner)
    response = client.post(
        "/talent/talents/",
        {"name": "同一人", "id_number": VALID_ID, "arrived_on": "2026-05-01"},
    )
    assert response.status_code == 400
    assert _field_error(response.content.decode(), "id_number")
    assert Talent.objects.count() == 1


def test_a_team_without_its_leader_or_date_is_refused_at_the_fields(
    client, commissioner, enterprise
):
    client.force_login(commissioner)
    response = client.post(
        "/talent/",
        {"name": "传感器创业团队", "kind": "startup_team", "enterprise": enterprise.pk},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert _field_error(page, "leader") and "请指定团队带头人" in page
    assert _field_error(page, "arrived_on") and 'value="传感器创业团队"' in page
    assert not Team.objects.exists()


def test_only_talent_staff_register_a_team(client, staff, commissioner, enterprise):
    leader = _talent(commissioner)
    client.force_login(staff)
    response = client.post(
        "/talent/",
        {
            "name": "传感器创业团队",
            "kind": "startup_team",
            "enterprise": enterprise.pk,
            "leader": leader.pk,
            "arrived_on": "2026-04-01",
        },
    )
    assert response.status_code == 403 and not Team.objects.exists()


def test_a_batch_needs_three_experts_and_a_pass_score_in_range(client, commissioner):
    experts = [UserFactory(username=f"e{n}", role="staff") for n in range(3)]
    client.force_login(commissioner)
    short = client.post(
        "/talent/batches/",
        {"name": "第四批", "closes_on": "2026-09-30", "panel": [experts[0].pk, experts[1].pk]},
    )
    assert short.status_code == 400 and "评审专家组至少三人" in short.content.decode()
    assert _field_error(short.content.decode(), "panel")
    out_of_range = client.post(
        "/talent/batches/",
        {
            "name": "第四批",
            "closes_on": "2026-09-30",
            "pass_score": "101",
            "panel": [e.pk for e in experts],
        },
    )
    assert out_of_range.status_code == 400
    assert _field_error(out_of_range.content.decode(), "pass_score")
    made = client.post(
        "/talent/batches/",
        {"name": "第四批", "closes_on": "2026-09-30", "panel": [e.pk for e in experts]},
    )
    batch = Batch.objects.get()
    assert made.status_code == 302 and batch.pass_score == 75 and batch.panel.count() == 3


def test_a_batch_from_call_to_awards_through_its_own_urls(client, commissioner, enterprise):
    experts = [UserFactory(username=f"p{n}", role="staff") for n in range(3)]
    batch = services.batch_create(
        by=commissioner, name="第五批", closes_on=dt.date(2026, 9, 30), panel=experts
    )
    talent = _talent(commissioner, enterprise=enterprise)
    client.force_login(commissioner)
    wrong = client.post(
        f"/talent/batches/{batch.pk}/applications/new/",
        {"kind": "innovative_talent", "summary": "传感器"},
    )
    assert wrong.status_code == 400 and 'value="innovative_talent" selected' in (
        wrong.content.decode()
    )
    assert not TalentApplication.objects.exists()
    client.post(
        f"/talent/batches/{batch.pk}/applications/new/",
        {"kind": "innovative_talent", "talent": talent.pk, "summary": "传感器"},
    )
    application = TalentApplication.objects.get()
    assert client.post(f"/talent/batches/{batch.pk}/close-call/").status_code == 302
    batch.refresh_from_db()
    assert batch.state == "review"
    client.force_login(experts[0])
    refused = client.post(
        f"/talent/batches/{batch.pk}/applications/{application.pk}/score/",
        {"score": "abc"},
        follow=True,
    )
    assert "评分应在 0 至 100 之间" in refused.content.decode()
    assert not PanelScore.objects.exists()
    for expert in experts:
        client.force_login(expert)
        client.post(
            f"/talent/batches/{batch.pk}/applications/{application.pk}/score/",
            {"score": "90", "opinion": "好"},
        )
    assert PanelScore.objects.count() == 3
    client.force_login(experts[0])
    assert client.post(f"/talent/batches/{batch.pk}/award/").status_code == 403
    client.force_login(commissioner)
    client.post(f"/talent/batches/{batch.pk}/award/")
    application.refresh_from_db()
    assert application.state == "awarded"


def test_the_service_log_and_a_payment_date_are_checked(client, commissioner):
    talent = _talent(commissioner)
    client.force_login(commissioner)
    empty = client.post(
        f"/talent/talents/{talent.pk}/log/", {"on": "2026-05-01", "note": ""}, follow=True
    )
    assert "请填写服务内容" in empty.content.decode()
    assert not ServiceLogEntry.objects.exists()
    bad_day = client.post(
        f"/talent/talents/{talent.pk}/log/", {"on": "9999-12-31", "note": "走访"}, follow=True
    )
    assert "请按 YYYY-MM-DD 格式填写日期" in bad_day.content.decode()
    client.post(f"/talent/talents/{talent.pk}/log/", {"on": "2026-05-01", "note": "走访"})
    entry = ServiceLogEntry.objects.get()
    assert (entry.on, entry.note, entry.commissioner) == (dt.date(2026, 5, 1), "走访", commissioner)
    assert AuditEntry.objects.filter(content_type__model="servicelogentry").count() == 1


def test_another_talents_application_is_not_found_from_this_record(client, commissioner):
    experts = [UserFactory(username=f"q{n}", role="staff") for n in range(3)]
    batch = services.batch_create(
        by=commissioner, name="第六批", closes_on=dt.date(2026, 9, 30), panel=experts
    )
    first = _talent(commissioner)
    second = _talent(commissioner, name="李教授", id_number="110105199001010037")
    application = services.application_submit(
        batch=batch, by=commissioner, kind="innovative_talent", talent=second, summary="x"
    )
    client.force_login(commissioner)
    response = client.post(
        f"/talent/talents/{first.pk}/applications/{application.pk}/subsidy/",
        {"total": "10", "due_on": ["2026-10-01"], "amount": ["10"]},
    )
    assert response.status_code == 404
