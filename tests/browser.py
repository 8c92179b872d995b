"""Shared Playwright fixtures (a pytest plugin loaded by conftest.py): Debian's Chromium,
offline, screenshots under test-results/screenshots/."""

import os
from pathlib import Path

import pytest

from tests.factories import TEST_PASSWORD
from tests.second_factor import otp_code

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
SHOTS = Path(__file__).resolve().parent.parent / "test-results" / "screenshots"


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # between page actions are ordinary synchronous code. Only for these tests.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
            yield b
            b.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser, live_server):
    yield from _guarded_page(browser, live_server, viewport={"width": 1280, "height": 860})


@pytest.fixture
def wide(browser, live_server):
    """The office screen most zone staff have (1366×768 laptops and monitors)."""
    yield from _guarded_page(browser, live_server, viewport={"width": 1366, "height": 860})


@pytest.fixture
def phone(browser, live_server):
    """A phone-sized page (390×844, touch), under the same guards as ``page``."""
    yield from _guarded_page(
        browser,
        live_server,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
    )


def _guarded_page(browser, live_server, **options):
    context = browser.new_context(locale="en-US", **options)
    # Offline: any request that is not to the live server fails the test.
    outside = []

    def guard(route):
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    pg = context.new_page()
    errors = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    # A form answered 400/409 is a page, not an error; a missing script or style is one.
    pg.on(
        "response",
        lambda r: (
            r.status >= 400
            and r.request.resource_type != "document"
            and errors.append(f"{r.status} {r.url}")
        ),
    )
    pg.on(
        "console",
        lambda msg: (
            msg.type == "error"
            and "Failed to load resource" not in msg.text
            and errors.append(msg.text)
        ),
    )
    yield pg
    context.close()
    assert outside == [], f"requests outside the platform: {outside}"
    assert errors == [], f"browser errors: {errors}"


def shot(pg, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def sign_in(pg, live_server, username):
    from gaoxin.accounts.models import User
    from gaoxin.accounts.twofactor import is_required

    user = User.objects.get(username=username)
    second_factor = is_required(user)  # admins and leaders: a code from their authenticator
    code = otp_code(user) if second_factor else None
    pg.goto(f"{live_server.url}/login/")
    pg.get_by_label("用户名").fill(username)
    pg.get_by_label("密码").fill(TEST_PASSWORD)
    pg.get_by_role("button", name="登录").click()
    if second_factor:
        pg.wait_for_url(f"{live_server.url}/accounts/two-factor/**")
        pg.get_by_label("验证码").fill(code)
        pg.get_by_role("button", name="验证").click()
    pg.wait_for_url(f"{live_server.url}/")
