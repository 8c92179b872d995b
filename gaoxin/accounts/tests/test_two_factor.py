"""Two-factor sign-in (TOTP): enrolment, codes, recovery codes, refusals, reset, API tokens.

These tests sign in through the real pages (``/login/`` then the second factor); the shared
fixture that lets ``force_login`` include the second factor is not involved.
"""

import datetime as dt
import re
from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from gaoxin.accounts import services, twofactor
from gaoxin.accounts.demo import enrol_demo_authenticators
from gaoxin.accounts.services import api_token_create
from gaoxin.core.models import AuditEntry
from tests.factories import TEST_PASSWORD
from tests.second_factor import otp_code, totp_device

pytestmark = pytest.mark.django_db


def password_sign_in(client, user, next_url=None):
    data = {"username": user.username, "password": TEST_PASSWORD}
    if next_url:
        data["next"] = next_url
    response = client.post("/login/", data)
    assert response.status_code == 302, response.status_code
    return response


def enter_code(client, code, next_url="/"):
    return client.post("/accounts/two-factor/", {"code": code, "next": next_url})


def test_admin_without_an_authenticator_must_enrol_before_any_page(client, admin_user):
    password_sign_in(client, admin_user)
    for path in ("/", "/projects/", "/admin/", "/accounts/profile/", "/accounts/password/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.url.startswith("/accounts/two-factor/enrol/"), (path, response.url)

    page = client.get("/accounts/two-factor/enrol/?next=/projects/")
    assert page.status_code == 200
    assert 'data-testid="totp-qr"' in page.text and "<svg" in page.text
    assert 'data-testid="enrol-required"' in page.text
    secret = re.search(r'data-testid="totp-secret">([A-Z2-7 ]+)<', page.text).group(1)
    device = TOTPDevice.objects.get(user=admin_user)
    assert not device.confirmed
    assert secret.replace(" ", "") in device.config_url  # the QR code carries the same key
    # Reloading keeps the same key, so a scanned code stays valid.
    client.get("/accounts/two-factor/enrol/")
    assert TOTPDevice.objects.filter(user=admin_user).count() == 1

    wrong = client.post("/accounts/two-factor/enrol/", {"code": "000000", "next": "/projects/"})
    assert wrong.status_code == 400
    assert "验证码不正确" in wrong.text
    device.refresh_from_db()
    assert not device.confirmed
    device.throttling_failure_timestamp = timezone.now() - dt.timedelta(minutes=1)
    device.save()

    done = client.post(
        "/accounts/two-factor/enrol/",
        {"code": twofactor.code_now(device), "next": "/projects/"},
    )
    assert done.status_code == 200
    codes = re.findall(r'<li class="col">([a-z2-7]{8})</li>', done.text)
    assert len(codes) == twofactor.RECOVERY_CODES
    assert 'href="/projects/"' in done.text
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/projects/").status_code == 200
    assert client.get("/admin/").status_code == 200
    entry = AuditEntry.objects.filter(object_id=str(admin_user.pk)).latest("seq")
    assert entry.after == {"two_factor": "enrolled", "recovery_codes": 10}
    assert device.key not in str(entry.after) and codes[0] not in str(entry.after)


def test_sign_in_with_a_code_then_the_same_code_is_refused(client, leader):
    code = otp_code(leader)
    password_sign_in(client, leader, next_url="/projects/")
    held = client.get("/projects/")
    assert held.status_code == 302
    assert held.url == "/accounts/two-factor/?next=%2Fprojects%2F"
    page = client.get(held.url)
    assert page.status_code == 200 and 'data-testid="two-factor-form"' in page.text

    response = enter_code(client, code, next_url="/projects/")
    assert response.status_code == 302 and response.url == "/projects/"
    assert client.get("/projects/").status_code == 200

    client.post("/logout/")
    password_sign_in(client, leader)
    reused = enter_code(client, code)
    assert reused.status_code == 400
    assert "验证码不正确或已使用" in reused.text
    assert client.get("/").status_code == 302  # still held at the second factor


def test_a_wrong_code_is_refused_and_guessing_is_throttled(client, leader):
    device = totp_device(leader)
    password_sign_in(client, leader)
    right = twofactor.code_now(device)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    assert enter_code(client, wrong).status_code == 400
    throttled = enter_code(client, right)  # at once after a wrong one: must wait
    assert throttled.status_code == 400
    assert "错误次数过多" in throttled.text
    assert client.get("/").status_code == 302
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - dt.timedelta(seconds=5)
    )
    assert enter_code(client, right).status_code == 302
    assert client.get("/").status_code == 200


def test_a_recovery_code_signs_in_once(client, admin_user):
    totp_device(admin_user)
    codes = services._new_recovery_codes(admin_user)
    password_sign_in(client, admin_user)
    response = enter_code(client, codes[0].upper())  # case and spaces do not matter
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert StaticToken.objects.filter(device__user=admin_user).count() == 9
    assert AuditEntry.objects.filter(after__recovery_code="used").count() == 1

    client.post("/logout/")
    password_sign_in(client, admin_user)
    StaticDevice.objects.filter(user=admin_user).update(throttling_failure_count=0)
    assert enter_code(client, codes[0]).status_code == 400
    assert enter_code(client, "not-a-code").status_code == 400


def test_renewed_recovery_codes_replace_the_old_ones(client, admin_user):
    totp_device(admin_user)
    old = services._new_recovery_codes(admin_user)
    client.force_login(admin_user)
    page = client.post("/accounts/two-factor/recovery-codes/")
    assert page.status_code == 200
    new = re.findall(r'<li class="col">([a-z2-7]{8})</li>', page.text)
    assert len(new) == 10 and not set(new) & set(old)
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(new)


def test_other_roles_sign_in_with_the_password_alone_until_they_enrol(client, staff):
    password_sign_in(client, staff)
    assert client.get("/").status_code == 200
    profile = client.get("/accounts/profile/")
    assert 'data-testid="two-factor-card"' in profile.text
    page = client.get("/accounts/two-factor/enrol/")
    assert page.status_code == 200 and 'data-testid="enrol-required"' not in page.text
    device = TOTPDevice.objects.get(user=staff)
    response = client.post("/accounts/two-factor/enrol/", {"code": twofactor.code_now(device)})
    assert response.status_code == 200
    assert client.get("/").status_code == 200  # this session gave the code already

    client.post("/logout/")
    password_sign_in(client, staff)
    assert client.get("/").url.startswith("/accounts/two-factor/")  # from now on: a code
    assert enter_code(client, otp_code(staff)).status_code == 302
    assert client.get("/").status_code == 200


def test_a_role_named_in_the_setting_needs_the_second_factor(client, staff, settings):
    settings.OTP_REQUIRED_ROLES = ["staff"]
    password_sign_in(client, staff)
    assert client.get("/").url.startswith("/accounts/two-factor/enrol/")


def test_an_unknown_role_in_the_setting_stops_start_up(settings):
    settings.OTP_REQUIRED_ROLES = ["staff", "superhero"]
    with pytest.raises(ImproperlyConfigured, match="superhero"):
        twofactor.check_settings()


def test_a_half_signed_in_session_is_no_session_for_the_api_but_tokens_work(client, leader):
    totp_device(leader)
    _token, raw = api_token_create(user=leader, name="报送")
    password_sign_in(client, leader)
    assert client.get("/api/v1/accounts/me").status_code == 401
    assert client.get("/api/v1/docs").status_code == 302
    with_token = client.get("/api/v1/accounts/me", headers={"Authorization": f"Bearer {raw}"})
    assert with_token.status_code == 200 and with_token.json()["username"] == leader.username
    enter_code(client, otp_code(leader))
    assert client.get("/api/v1/accounts/me").status_code == 200


def test_htmx_requests_are_sent_to_the_second_factor_as_a_whole_page(client, leader):
    totp_device(leader)
    password_sign_in(client, leader)
    response = client.get("/projects/", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"] == "/accounts/two-factor/"


def test_the_code_page_does_not_send_anyone_to_another_site(client, leader):
    password_sign_in(client, leader)
    response = enter_code(client, otp_code(leader), next_url="https://evil.example/x")
    assert response.status_code == 302 and response.url == "/"


def test_an_admin_resets_a_lost_authenticator_with_an_audit_entry(client, admin_user, leader):
    totp_device(leader)
    services._new_recovery_codes(leader)
    leader_client = type(client)()
    password_sign_in(leader_client, leader)
    enter_code(leader_client, otp_code(leader))
    assert leader_client.get("/").status_code == 200

    client.force_login(admin_user)
    response = client.post(
        "/admin/accounts/user/",
        {"action": "reset_second_factor", "_selected_action": [leader.pk]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=leader).exists()
    assert not StaticDevice.objects.filter(user=leader).exists()
    entry = AuditEntry.objects.filter(object_id=str(leader.pk)).latest("seq")
    assert entry.user == admin_user
    assert entry.after == {"two_factor": "reset by an administrator"}

    # The session verified with the lost phone ends; the next sign-in sets up a new one.
    ended = leader_client.get("/")
    assert ended.status_code == 302 and ended.url == "/login/"
    assert "_auth_user_id" not in leader_client.session
    password_sign_in(leader_client, leader)
    assert leader_client.get("/").url.startswith("/accounts/two-factor/enrol/")


def test_only_an_admin_may_reset_someone_elses_authenticator(leader, staff):
    totp_device(staff)
    with pytest.raises(PermissionDenied):
        services.second_factor_reset(user=staff, by=leader)
    assert TOTPDevice.objects.filter(user=staff).exists()


def test_the_admin_cannot_read_or_edit_authenticators(client, admin_user):
    client.force_login(admin_user)
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404
    assert client.get("/admin/otp_static/staticdevice/").status_code == 404


def test_the_shared_test_sign_in_gives_the_second_factor_only_to_whom_needs_it(
    client, admin_user, staff
):
    client.force_login(admin_user)
    assert client.get("/").status_code == 200
    client.force_login(staff)
    assert client.get("/").status_code == 200
    assert not TOTPDevice.objects.filter(user=staff).exists()


def test_the_demo_admin_and_leaders_sign_in_with_the_published_demo_key(
    client, admin_user, leader, staff
):
    assert sorted(enrol_demo_authenticators()) == sorted([admin_user.username, leader.username])
    assert not TOTPDevice.objects.filter(user=staff).exists()
    out = StringIO()
    call_command("demo_otp_code", leader.username, stdout=out, stderr=StringIO())
    code = out.getvalue().strip()
    assert re.fullmatch(r"\d{6}", code)
    password_sign_in(client, leader)
    assert enter_code(client, code).status_code == 302
    assert client.get("/").status_code == 200
    # Never a way to read a real authenticator's codes.
    TOTPDevice.objects.filter(user=admin_user).delete()
    totp_device(admin_user)
    for username in (admin_user.username, staff.username):
        with pytest.raises(CommandError, match="no demo authenticator"):
            call_command("demo_otp_code", username, stdout=StringIO())
