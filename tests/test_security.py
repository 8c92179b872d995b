"""Security settings and headers (等保 2.0 spirit): CSP, HSTS, cookie flags, CSRF everywhere."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_PROBE = """
import json
from django.test import Client
from django.conf import settings
c = Client(HTTP_HOST="zone.example")
r = c.get("/login/", secure=True)
cookies = {k: {"secure": bool(v["secure"]), "httponly": bool(v["httponly"]),
               "samesite": v["samesite"]} for k, v in r.cookies.items()}
print(json.dumps({"hsts": r.get("Strict-Transport-Security"), "cookies": cookies,
                  "redirect": Client(HTTP_HOST="zone.example").get("/login/").status_code,
                  "session_secure": settings.SESSION_COOKIE_SECURE}))
"""


def test_production_sends_hsts_and_secure_cookies_and_redirects_to_https(tmp_path):
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "p" * 50,
        "ALLOWED_HOSTS": "zone.example",
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    # Production serves hashed static files, so pages need collectstatic first, as deployed.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", PRODUCTION_PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout.strip().splitlines()[-1])
    assert data["hsts"].startswith("max-age=31536000")
    assert data["redirect"] == 301  # plain HTTP goes to HTTPS
    assert data["cookies"]["csrftoken"]["secure"] is True
    assert data["session_secure"] is True


def test_session_cookie_is_httponly_and_samesite(client, staff):
    from tests.factories import TEST_PASSWORD

    response = client.post("/login/", {"username": staff.username, "password": TEST_PASSWORD})
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


PAGES = [
    "/",
    "/enterprises/",
    "/enterprises/{e}/",
    "/enterprises/{e}/edit/",
    "/enterprises/new/",
    "/projects/",
    "/projects/{p}/",
    "/projects/{p}/edit/",
    "/projects/new/",
    "/projects/import/",
    "/projects/targets/",
    "/platform/calendar/",
    "/platform/notifications/",
    "/accounts/profile/",
    "/projects/statistics/",
]


def test_every_post_form_carries_a_csrf_token(client, admin_user, enterprise, staff):
    from gaoxin.projects.services import project_create

    project = project_create(by=staff, data={"name": "表单检查", "enterprise": enterprise})
    client.force_login(admin_user)
    checked = 0
    for path in PAGES:
        html = client.get(path.format(e=enterprise.pk, p=project.pk)).content.decode()
        for form in re.findall(r"<form[^>]*method=\"post\".*?</form>", html, re.S | re.I):
            assert "csrfmiddlewaretoken" in form, (path, form[:200])
            checked += 1
    assert checked >= 15


def test_a_post_without_the_csrf_token_is_refused(staff):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(staff)
    response = browser.post("/enterprises/new/", {"name": "x", "uscc": "x"})
    assert response.status_code == 403


def test_login_page_allows_no_framing_and_no_inline_script(client):
    response = client.get("/login/")
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert "<script>" not in response.content.decode()
    assert "onclick=" not in response.content.decode()


@pytest.mark.parametrize(
    ("url", "params"),
    [
        (
            "/projects/statistics/",
            {"year": 2026, "span": "custom", "start": "0001-01-01", "end": "0001-06-30"},
        ),
        ("/platform/calendar/", {"start": "9999-12-30", "days": "5"}),
        (
            "/api/v1/calendar/working-time",
            {"start": "9999-12-30T09:00:00+08:00", "end": "9999-12-31T09:00:00+08:00"},
        ),
        ("/api/v1/calendar/add-working-days", {"start": "2999-12-30", "days": "10"}),
        ("/projects/", {"entered": "signed", "start": "9999-12-31", "end": "0001-01-01"}),
    ],
)
def test_dates_at_the_edge_of_the_calendar_get_a_clear_answer_not_a_500(client, staff, url, params):
    client.raise_request_exception = False
    client.force_login(staff)
    response = client.get(url, params)
    assert response.status_code in (200, 400), (url, response.status_code)
