import datetime as dt

import pytest
import time_machine
from django.contrib import admin
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.utils import timezone

from gaoxin.accounts.models import ApiToken, Role, User
from gaoxin.accounts.services import (
    TOKEN_CACHE_SECONDS,
    api_token_authenticate,
    api_token_create,
    api_token_revoke,
)
from gaoxin.core.models import AuditEntry
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def test_login_page_is_chinese_by_default_even_for_an_english_browser(client):
    response = client.get("/login/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert response.status_code == 200
    assert "登录" in response.text
    assert 'lang="zh-hans"' in response.text


def test_english_is_selectable(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert "Sign in to your account" in client.get("/login/").text


def test_demo_style_login_works_and_lands_on_home(client, staff):
    response = client.post("/login/", {"username": staff.username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert response.url == "/"
    assert client.get("/").status_code == 200


def test_account_is_locked_after_five_failures_even_with_the_right_password(client, staff):
    for _ in range(5):
        failed = client.post("/login/", {"username": staff.username, "password": "wrong"})
        assert failed.status_code in (200, 429)
    locked = client.post("/login/", {"username": staff.username, "password": TEST_PASSWORD})
    assert locked.status_code == 429
    assert "账号暂时锁定" in locked.text
    assert "_auth_user_id" not in client.session


def test_failures_on_one_account_do_not_lock_another(client, staff, clerk):
    for _ in range(5):
        client.post(
            "/login/",
            {"username": staff.username, "password": "wrong"},
            headers={"User-Agent": "browser-a"},
        )
    ok = client.post(
        "/login/",
        {"username": clerk.username, "password": TEST_PASSWORD},
        headers={"User-Agent": "browser-b"},
    )
    assert ok.status_code == 302


@pytest.mark.parametrize(
    "password", ["short1A!", "alllowercaseletters", "1234567890123", "password123"]
)
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_strong_password_passes():
    validate_password("Rizhao#Gaoxin2026")


def test_idle_session_expires(client, staff, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST
    client.force_login(staff)
    assert client.get("/").status_code == 200
    session = client.session
    session.set_expiry(timezone.now() - dt.timedelta(seconds=1))
    session.save()
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith("/login/")


def test_token_is_stored_only_as_a_digest_and_audited(staff):
    token, raw = api_token_create(user=staff, name="统计报送系统", expires_in_days=30)
    assert raw.startswith("gx_")
    assert raw not in {token.digest, token.key_prefix}
    assert ApiToken.objects.get().digest == ApiToken.digest_of(raw)
    entry = AuditEntry.objects.get(content_type__model="apitoken")
    assert raw not in str(entry.after)


def test_revoked_and_expired_tokens_are_refused(client, staff):
    token, raw = api_token_create(user=staff, name="a")
    headers = {"Authorization": f"Bearer {raw}"}
    assert client.get("/api/v1/accounts/me", headers=headers).status_code == 200
    api_token_revoke(token=token, by=staff)
    assert client.get("/api/v1/accounts/me", headers=headers).status_code == 401

    token2, raw2 = api_token_create(user=staff, name="b")
    ApiToken.objects.filter(pk=token2.pk).update(expires_at=timezone.now() - dt.timedelta(1))
    assert (
        client.get("/api/v1/accounts/me", headers={"Authorization": f"Bearer {raw2}"}).status_code
        == 401
    )


def test_token_of_a_disabled_user_is_refused(client, staff):
    _token, raw = api_token_create(user=staff, name="a")
    staff.is_active = False
    staff.save()
    assert (
        client.get("/api/v1/accounts/me", headers={"Authorization": f"Bearer {raw}"}).status_code
        == 401
    )


def test_me_lists_the_permissions_of_the_role(client, leader, enterprise_user):
    _t, raw = api_token_create(user=leader, name="a")
    body = client.get("/api/v1/accounts/me", headers={"Authorization": f"Bearer {raw}"}).json()
    assert body["role"] == "leader"
    assert "enterprises.view_enterprise" in body["permissions"]
    assert "enterprises.add_enterprise" not in body["permissions"]


def test_token_created_on_the_profile_page_is_shown_once(client, staff):
    client.force_login(staff)
    page = client.post("/accounts/profile/", {"name": "统计报送系统", "expires_in_days": 30})
    assert 'data-testid="new-token"' in page.text
    again = client.get("/accounts/profile/")
    assert 'data-testid="new-token"' not in again.text
    assert "统计报送系统" in again.text


def test_token_validity_is_bounded(client, staff):
    client.force_login(staff)
    page = client.post("/accounts/profile/", {"name": "x", "expires_in_days": 5000})
    assert page.status_code == 400
    assert not ApiToken.objects.exists()


# --- Remembered tokens (issue 18: an API request costs no authentication query) ------------


def test_a_verified_token_is_remembered_and_costs_no_query(staff, django_assert_num_queries):
    _token, raw = api_token_create(user=staff, name="a")
    assert api_token_authenticate(raw) == staff
    with django_assert_num_queries(0):
        remembered = api_token_authenticate(raw)
    assert remembered == staff and remembered.role == staff.role
    assert api_token_authenticate(raw[:-1] + ("A" if raw[-1] != "A" else "B")) is None


def test_a_remembered_token_still_expires_on_time(staff):
    token, raw = api_token_create(user=staff, name="a", expires_in_days=1)
    expires_at = timezone.now() + dt.timedelta(seconds=TOKEN_CACHE_SECONDS // 2)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=expires_at)
    assert api_token_authenticate(raw) == staff
    # Still remembered when it expires: the remembered expiry refuses it.
    with time_machine.travel(expires_at + dt.timedelta(seconds=1)):
        assert api_token_authenticate(raw) is None


def test_last_use_is_still_noted_once_a_minute(staff):
    token, raw = api_token_create(user=staff, name="a")
    api_token_authenticate(raw)
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    assert first is not None
    api_token_authenticate(raw)
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first  # remembered: no write
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=TOKEN_CACHE_SECONDS + 5)):
        assert api_token_authenticate(raw) == staff
        assert ApiToken.objects.get(pk=token.pk).last_used_at > first


def test_a_user_disabled_or_given_another_role_in_the_admin_is_seen_at_once(
    client, staff, admin_user
):
    _token, raw = api_token_create(user=staff, name="a")
    headers = {"Authorization": f"Bearer {raw}"}
    assert client.get("/api/v1/accounts/me", headers=headers).json()["role"] == "staff"
    request = RequestFactory().post("/admin/")
    request.user = admin_user
    staff.role = Role.LEADER
    admin.site._registry[User].save_model(request, staff, form=None, change=True)
    assert client.get("/api/v1/accounts/me", headers=headers).json()["role"] == "leader"
    staff.is_active = False
    admin.site._registry[User].save_model(request, staff, form=None, change=True)
    assert client.get("/api/v1/accounts/me", headers=headers).status_code == 401


def test_a_token_revoked_in_the_admin_is_refused_at_once(client, staff, admin_user):
    token, raw = api_token_create(user=staff, name="a")
    headers = {"Authorization": f"Bearer {raw}"}
    assert client.get("/api/v1/accounts/me", headers=headers).status_code == 200
    request = RequestFactory().post("/admin/")
    request.user = admin_user
    token.revoked_at = timezone.now()
    admin.site._registry[ApiToken].save_model(request, token, form=None, change=True)
    assert client.get("/api/v1/accounts/me", headers=headers).status_code == 401
    entry = AuditEntry.objects.filter(object_id=str(token.pk), action="update").latest("seq")
    assert entry.before == {"revoked_at": None}
    assert entry.after == {"revoked_at": token.revoked_at.isoformat()}


def test_a_user_saved_anywhere_reaches_the_api_at_once(staff):
    _token, raw = api_token_create(user=staff, name="a")
    assert api_token_authenticate(raw).is_active
    staff.is_active = False
    staff.save()  # not through the admin: a service or the shell
    assert api_token_authenticate(raw) is None


def test_a_sign_in_alone_keeps_the_token_remembered(staff, django_assert_num_queries):
    _token, raw = api_token_create(user=staff, name="a")
    api_token_authenticate(raw)
    staff.last_login = timezone.now()
    staff.save(update_fields=["last_login"])
    with django_assert_num_queries(0):
        assert api_token_authenticate(raw) == staff


def test_a_remembered_token_keeps_no_secret_of_its_user(staff):
    import pickle

    from django.core.cache import cache

    staff.phone = "13912345678"
    staff.save()
    _token, raw = api_token_create(user=staff, name="a")
    assert api_token_authenticate(raw) == staff
    stored = pickle.dumps(cache.get(f"apitoken:{ApiToken.digest_of(raw)}"))
    assert b"13912345678" not in stored
    assert staff.password.encode() not in stored
    # Read from the database when a request needs it.
    remembered = api_token_authenticate(raw)
    assert remembered.phone == "13912345678"
