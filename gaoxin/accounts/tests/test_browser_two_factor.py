"""Two-factor sign-in in a real browser: an administrator sets up an authenticator by its
QR code page, then signs in again with a code; a person changes their password."""

import base64
import re
import time

import pytest
from django_otp.oath import TOTP

from tests.browser import shot
from tests.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _code(secret: str, last_code: str | None = None) -> str:
    """What an authenticator app shows for the key on the page (the next one if the current
    one was just used)."""
    key = base64.b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    totp = TOTP(key)
    totp.time = time.time()
    code = f"{totp.token():06d}"
    if code == last_code:
        totp.time += 30
        code = f"{totp.token():06d}"
    return code


def _password(page, live_server, username):
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(TEST_PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_an_admin_enrols_by_qr_code_then_signs_in_with_a_code(page, live_server, admin_user):
    _password(page, live_server, admin_user.username)
    page.wait_for_url(re.compile(r".*/accounts/two-factor/enrol/.*"))
    assert page.get_by_test_id("totp-qr").is_visible()
    assert "#main-menu" not in page.content()  # nothing to navigate to before it is done
    secret = page.get_by_test_id("totp-secret").inner_text()
    shot(page, "two-factor-enrol")
    page.get_by_label("应用中的验证码").fill("123456" if _code(secret) != "123456" else "654321")
    page.get_by_role("button", name="确认并开启").click()
    assert "验证码不正确" in page.locator("body").inner_text()
    page.wait_for_timeout(1100)  # a wrong code makes the next try wait a second
    first = _code(secret)
    page.get_by_label("应用中的验证码").fill(first)
    page.get_by_role("button", name="确认并开启").click()
    codes = page.get_by_test_id("recovery-codes").inner_text().split()
    assert len(codes) == 10
    shot(page, "two-factor-recovery-codes")
    page.get_by_role("link", name="我已保存，继续").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_test_id("home-admin").is_visible()

    page.locator("[data-bs-toggle=dropdown]").first.click()
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_url(re.compile(r".*/login/.*"))
    _password(page, live_server, admin_user.username)
    page.wait_for_url(re.compile(r".*/accounts/two-factor/.*"))
    page.get_by_label("验证码").fill(first)  # already used: refused
    page.get_by_role("button", name="验证").click()
    assert "验证码不正确或已使用" in page.locator("body").inner_text()
    shot(page, "two-factor-refused")
    page.wait_for_timeout(1100)
    page.get_by_label("验证码").fill(codes[0])  # a recovery code works once
    page.get_by_role("button", name="验证").click()
    page.wait_for_url(f"{live_server.url}/")
    assert "还剩 9 个" in page.locator("body").inner_text()


def test_a_person_changes_their_password_from_the_user_menu(page, live_server, staff):
    _password(page, live_server, staff.username)
    page.wait_for_url(f"{live_server.url}/")
    page.locator("[data-bs-toggle=dropdown]").first.click()
    page.get_by_role("link", name="修改密码").click()
    page.get_by_label("旧密码").fill(TEST_PASSWORD)
    page.get_by_label("新密码", exact=True).fill("short")
    page.get_by_label("新密码确认").fill("short")
    page.get_by_role("button", name="修改密码").click()
    assert "至少需要 10 个字符" in page.locator("body").inner_text()
    shot(page, "password-change-refused")
    page.get_by_label("旧密码").fill(TEST_PASSWORD)
    page.get_by_label("新密码", exact=True).fill("Rizhao#Gaoxin2027")
    page.get_by_label("新密码确认").fill("Rizhao#Gaoxin2027")
    page.get_by_role("button", name="修改密码").click()
    assert "密码已修改" in page.locator("body").inner_text()
