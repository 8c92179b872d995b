import datetime as dt

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone

from gaoxin.accounts.models import ApiToken
from gaoxin.accounts.services import api_token_create, api_token_revoke
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
