"""Talent: ID numbers checked and masked, personal data for talent staff and the talent only,
the batch workflow from call to awards, benefits, and the figures for a period."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gaoxin.accounts.services import api_token_create
from gaoxin.core.models import AuditEntry
from gaoxin.spaces import services as spaces
from gaoxin.talent import selectors, services
from gaoxin.talent.models import Instalment, Talent, TalentApplication, Team
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
D = dt.date
VALID_ID = "11010519491231002X"


MARCH = D(2026, 3, 1)


def _talent(by, name="张博士", id_number=VALID_ID, arrived=MARCH, **extra):
    return services.talent_create(
        by=by,
        data={"name": name, "id_number": id_number, "arrived_on": arrived, **extra},
    )


def test_id_numbers_are_checked_and_masked(commissioner, enterprise):
    with pytest.raises(ValidationError, match="身份证号码"):
        _talent(commissioner, id_number="110105194912310021")  # wrong check digit
    with pytest.raises(ValidationError):
        _talent(commissioner, id_number="110105194913310028")  # no 13th month
    with pytest.raises(ValidationError):
        _talent(commissioner, id_number="990105194912310021")  # no such province
    with pytest.raises(ValidationError):
        _talent(commissioner, id_number="1101051949123")  # too short
    # A Rizhao district (东港区 371102) is a real place even where lookup tables lack it.
    rizhao = _talent(commissioner, name="日照人", id_number="371102198506151236")
    assert rizhao.id_masked == "3711**********1236"
    talent = _talent(commissioner, id_number="11010519491231002x", enterprise=enterprise)
    assert talent.id_number == VALID_ID and talent.id_masked == "1101**********002X"
    with pytest.raises(ValidationError):  # registered once
        _talent(commissioner, name="同一人", id_number=VALID_ID)
    entry = AuditEntry.objects.filter(content_type__model="talent", object_id=str(talent.pk)).get()
    assert entry.after["id_number"] == "1101**********002X"  # no full number in the log


def test_personal_data_is_for_talent_staff_and_the_talent(
    client, commissioner, staff, leader, enterprise_user
):
    own_account = UserFactory(
        username="dr_zhang", role="enterprise", enterprise=enterprise_user.enterprise
    )
    talent = _talent(commissioner, phone="13906330001", user=own_account)
    for user in (staff, leader, enterprise_user):
        client.force_login(user)
        assert client.get(f"/talent/talents/{talent.pk}/").status_code in (403, 404)
        assert "13906330001" not in client.get("/talent/talents/").content.decode()
    for user in (commissioner, own_account):
        client.force_login(user)
        page = client.get(f"/talent/talents/{talent.pk}/").content.decode()
        assert "13906330001" in page and "1101**********002X" in page
        assert VALID_ID not in page  # masked on screen, for everyone
    with pytest.raises(PermissionDenied):
        _talent(staff, name="别人", id_number="110105199001010037")


def test_a_batch_goes_from_call_to_awards(commissioner, enterprise, staff, leader, admin_user):
    experts = [UserFactory(username=f"expert{n}", role="staff") for n in range(3)]
    batch = services.batch_create(
        by=commissioner, name="2026年第一批高新英才", closes_on=D(2026, 6, 30), panel=experts
    )
    leader_talent = _talent(
        commissioner, name="李教授", id_number="110105199001010037", enterprise=enterprise
    )
    team = services.team_create(
        by=commissioner,
        data={
            "name": "智能传感创业团队",
            "kind": "startup_team",
            "enterprise": enterprise,
            "leader": leader_talent,
            "arrived_on": D(2026, 5, 1),
        },
    )
    person = _talent(commissioner, enterprise=enterprise)
    strong = services.application_submit(
        batch=batch, by=commissioner, kind="startup_team", team=team, summary="传感器芯片"
    )
    weak = services.application_submit(
        batch=batch, by=commissioner, kind="innovative_talent", talent=person, summary="算法"
    )
    with pytest.raises(ValidationError):  # a person is not a team
        services.application_submit(
            batch=batch, by=commissioner, kind="startup_team", talent=person, summary="x"
        )
    with pytest.raises(ValidationError):  # scores wait for the review
        services.score_give(application=strong, by=experts[0], score=90)
    services.batch_close_call(batch=batch, by=commissioner)
    with pytest.raises(ValidationError):  # the call is closed
        services.application_submit(
            batch=batch, by=commissioner, kind="innovative_talent", talent=person, summary="再报"
        )
    with pytest.raises(PermissionDenied):  # not on the panel
        services.score_give(application=strong, by=staff, score=99)
    for expert, (s1, s2) in zip(experts, [(90, 70), (85, 80), (80, 60)], strict=True):
        services.score_give(application=strong, by=expert, score=s1)
        if expert != experts[2]:
            services.score_give(application=weak, by=expert, score=s2)
    with pytest.raises(ValidationError, match="张博士"):  # one expert has not scored
        services.batch_award(batch=batch, by=commissioner)
    services.score_give(application=weak, by=experts[2], score=60)
    with pytest.raises(ValidationError):
        services.score_give(application=weak, by=experts[2], score=100)  # once
    services.batch_award(batch=batch, by=commissioner)
    strong.refresh_from_db()
    weak.refresh_from_db()
    assert (strong.state, strong.mean_score) == ("awarded", Decimal("85.00"))
    assert (weak.state, weak.mean_score) == ("not_awarded", Decimal("70.00"))
    # The award brings a subsidy in instalments that must add up.
    with pytest.raises(ValidationError):
        services.benefit_grant(
            application=strong,
            by=commissioner,
            kind="subsidy",
            total=Decimal(100),
            instalments=[(D(2026, 7, 1), Decimal(50))],
        )
    benefit = services.benefit_grant(
        application=strong,
        by=commissioner,
        kind="subsidy",
        total=Decimal(100),
        instalments=[(D(2026, 7, 1), Decimal(50)), (D(2027, 7, 1), Decimal(50))],
    )
    services.instalment_pay(
        instalment=benefit.instalments.first(), on=D(2026, 7, 3), by=commissioner
    )
    assert [i.paid_on for i in benefit.instalments.all()] == [D(2026, 7, 3), None]
    with pytest.raises(ValidationError):  # benefits follow an award
        services.benefit_grant(
            application=weak,
            by=commissioner,
            kind="subsidy",
            total=Decimal(1),
            instalments=[(D(2026, 7, 1), Decimal(1))],
        )


def test_a_talent_apartment_is_a_lease_of_the_space_module(commissioner, enterprise, staff):
    flats = spaces.building_create(
        by=staff, data={"name": "高新人才公寓", "kind": "talent_apartment"}
    )
    flat = spaces.unit_create(building=flats, by=staff, data={"number": "1-201", "area_m2": 75})
    experts = [UserFactory(username=f"e{n}", role="staff") for n in range(3)]
    batch = services.batch_create(
        by=commissioner, name="第二批", closes_on=D(2026, 9, 30), panel=experts
    )
    talent = _talent(commissioner, enterprise=enterprise)
    application = services.application_submit(
        batch=batch, by=commissioner, kind="innovative_talent", talent=talent, summary="材料"
    )
    TalentApplication.objects.filter(pk=application.pk).update(state="awarded")
    application.refresh_from_db()
    benefit = services.benefit_grant(
        application=application,
        by=commissioner,
        kind="apartment",
        unit=flat,
        starts_on=D(2026, 10, 1),
        ends_on=D(2029, 9, 30),
    )
    assert benefit.lease.unit == flat and benefit.lease.enterprise == enterprise
    assert benefit.lease.rent_m2_month == 0


def test_figures_for_a_period_with_the_year_before(commissioner, enterprise):
    lead = _talent(
        commissioner, name="团队负责人", id_number="110105199001010037", arrived=D(2026, 2, 1)
    )
    for n, (kind, arrived) in enumerate(
        [
            ("startup_team", D(2026, 2, 1)),
            ("startup_team", D(2025, 3, 1)),
            ("innovation_team", D(2026, 5, 1)),
        ]
    ):
        services.team_create(
            by=commissioner,
            data={
                "name": f"团队{n}",
                "kind": kind,
                "enterprise": enterprise,
                "leader": lead,
                "arrived_on": arrived,
            },
        )
    _talent(commissioner, name="个人一", id_number="11010519491231002X", arrived=D(2026, 4, 1))
    rows = {f.kind: f for f in selectors.figures(D(2026, 1, 1), D(2026, 6, 30))}
    assert (rows["startup_team"].count, rows["startup_team"].last_year) == (1, 1)
    assert rows["startup_team"].yoy == 0.0
    assert (rows["innovation_team"].count, rows["innovation_team"].yoy) == (1, None)
    # The team's leader came with the team: one innovative talent on their own.
    assert rows["innovative_talent"].count == 1
    assert Talent.objects.count() == 2


def test_the_api_gives_talents_masked_and_only_to_talent_staff(client, commissioner, staff):
    _talent(commissioner)
    for user, status in ((staff, 403), (commissioner, 200)):
        token = api_token_create(user=user, name="t")[1]
        response = client.get(
            "/api/v1/talent/talents", headers={"Authorization": f"Bearer {token}"}
        )
        assert response.status_code == status
    assert response.json()[0]["id_number"] == "1101**********002X"
    assert VALID_ID not in response.content.decode()


def test_teams_subsidies_and_payments_through_the_pages(client, commissioner, enterprise):
    experts = [UserFactory(username=f"x{n}", role="staff") for n in range(3)]
    leader = _talent(commissioner, enterprise=enterprise)
    client.force_login(commissioner)
    client.post(
        "/talent/",
        {
            "name": "传感器创业团队",
            "kind": "startup_team",
            "enterprise": enterprise.pk,
            "leader": leader.pk,
            "arrived_on": "2026-04-01",
        },
    )
    team = Team.objects.get()
    assert list(team.members.all()) == [leader]
    batch = services.batch_create(
        by=commissioner, name="第三批", closes_on=D(2026, 9, 30), panel=experts
    )
    application = services.application_submit(
        batch=batch, by=commissioner, kind="innovative_talent", talent=leader, summary="传感器"
    )
    TalentApplication.objects.filter(pk=application.pk).update(state="awarded")
    bad = client.post(
        f"/talent/talents/{leader.pk}/applications/{application.pk}/subsidy/",
        {
            "total": "100",
            "due_on": ["2026-10-01", "2027-10-01"],
            "amount": ["50", "40"],
        },
        follow=True,
    )
    assert "各期金额之和应等于总额" in bad.content.decode() and not Instalment.objects.exists()
    client.post(
        f"/talent/talents/{leader.pk}/applications/{application.pk}/subsidy/",
        {
            "total": "100",
            "due_on": ["2026-10-01", "2027-10-01", ""],
            "amount": ["50", "50", ""],
        },
    )
    first = Instalment.objects.order_by("due_on").first()
    client.post(
        f"/talent/talents/{leader.pk}/instalments/{first.pk}/pay/", {"paid_on": "2026-10-08"}
    )
    first.refresh_from_db()
    assert (
        first.paid_on == D(2026, 10, 8)
        and Instalment.objects.filter(paid_on__isnull=True).count() == 1
    )
