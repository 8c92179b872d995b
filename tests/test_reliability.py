"""Nothing lost: concurrent edits, repeated submissions, the database going away."""

import threading

import pytest
from django.db import connection

from gaoxin.core.locking import ConflictError
from gaoxin.core.models import AuditEntry
from gaoxin.enterprises import services as enterprise_services
from gaoxin.enterprises.models import Enterprise
from tests.factories import valid_uscc


def run_together(*functions):
    """Run the functions in threads released at the same moment; return results/exceptions."""
    barrier = threading.Barrier(len(functions))
    results = [None] * len(functions)

    def runner(i, fn):
        try:
            barrier.wait()
            results[i] = fn()
        except Exception as exc:  # collected for the assertions
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=runner, args=(i, fn)) for i, fn in enumerate(functions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


@pytest.mark.django_db(transaction=True)
def test_concurrent_edits_of_one_record_one_wins_one_conflicts(staff, clerk, enterprise):
    def edit(user, address):
        def run():
            mine = Enterprise.objects.get(pk=enterprise.pk)
            enterprise_services.enterprise_update(
                enterprise=mine, by=user, data={"address": address}, expected_version=1
            )
            return address

        return run

    results = run_together(edit(staff, "北京路1号"), edit(clerk, "上海路9号"))
    winners = [r for r in results if isinstance(r, str)]
    conflicts = [r for r in results if isinstance(r, ConflictError)]
    assert len(winners) == 1 and len(conflicts) == 1, results
    enterprise.refresh_from_db()
    assert enterprise.address == winners[0]
    assert enterprise.version == 2
    assert AuditEntry.objects.filter(action="update").count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_stage_advances_record_one_step(staff):
    import datetime as dt

    from gaoxin.projects import services
    from gaoxin.projects.stages import Stage

    project = services.project_create(
        by=staff,
        data={"name": "并发项目", "prospective_investor": "某投资方"},
        stage=Stage.NEGOTIATING,
        on=dt.date(2026, 3, 1),
    )

    def advance():
        return services.project_advance(
            project=project, to_stage=Stage.SIGNED, on=dt.date(2026, 4, 1), by=staff
        )

    results = run_together(advance, advance)
    assert sum(1 for r in results if not isinstance(r, Exception)) == 1, results
    assert project.events.filter(stage=Stage.SIGNED).count() == 1


@pytest.mark.django_db
def test_the_same_api_submission_twice_creates_one_record(client, staff):
    from gaoxin.accounts.services import api_token_create

    _t, raw = api_token_create(user=staff, name="retry")
    headers = {"Authorization": f"Bearer {raw}", "Idempotency-Key": "create-hs-0001"}
    body = {"name": "日照兴华半导体有限公司", "uscc": valid_uscc(901)}
    first = client.post(
        "/api/v1/enterprises/", body, content_type="application/json", headers=headers
    )
    second = client.post(
        "/api/v1/enterprises/", body, content_type="application/json", headers=headers
    )
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second["Idempotent-Replayed"] == "true"
    assert Enterprise.objects.count() == 1


@pytest.mark.django_db
def test_a_failed_submission_is_not_remembered(client, staff):
    from gaoxin.accounts.services import api_token_create

    _t, raw = api_token_create(user=staff, name="retry")
    headers = {"Authorization": f"Bearer {raw}", "Idempotency-Key": "k-2"}
    bad = client.post(
        "/api/v1/enterprises/",
        {"name": "x", "uscc": "123"},
        content_type="application/json",
        headers=headers,
    )
    assert bad.status_code == 400
    good = client.post(
        "/api/v1/enterprises/",
        {"name": "x", "uscc": valid_uscc(902)},
        content_type="application/json",
        headers=headers,
    )
    assert good.status_code == 201


@pytest.mark.django_db
def test_keys_are_per_principal(client, staff, clerk):
    from gaoxin.accounts.services import api_token_create

    for user, n in ((staff, 903), (clerk, 904)):
        _t, raw = api_token_create(user=user, name="k")
        response = client.post(
            "/api/v1/enterprises/",
            {"name": f"企业{n}", "uscc": valid_uscc(n)},
            content_type="application/json",
            headers={"Authorization": f"Bearer {raw}", "Idempotency-Key": "same-key"},
        )
        assert response.status_code == 201
    assert Enterprise.objects.count() == 2


@pytest.mark.django_db
def test_a_double_clicked_form_creates_one_record_and_both_land_on_it(client, staff):
    client.force_login(staff)
    form = {"name": "日照某某科技有限公司", "uscc": valid_uscc(905), "submission_key": "abc123"}
    first = client.post("/enterprises/new/", form)
    second = client.post("/enterprises/new/", form)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Enterprise.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_simultaneous_duplicates_wait_for_the_first_and_replay_it(staff):
    from django.test import Client

    from gaoxin.accounts.services import api_token_create

    _t, raw = api_token_create(user=staff, name="race")
    headers = {"Authorization": f"Bearer {raw}", "Idempotency-Key": "race-1"}

    def send():
        response = Client().post(
            "/api/v1/enterprises/",
            {"name": "并发企业", "uscc": valid_uscc(906)},
            content_type="application/json",
            headers=headers,
        )
        return response.status_code

    assert sorted(run_together(send, send, send)) == [201, 201, 201]
    assert Enterprise.objects.count() == 1
