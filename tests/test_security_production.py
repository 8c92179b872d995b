"""Hole 7 (second half) of issue 15: `make run` showed Django's debug 404 with every URL pattern.

The demo now runs as deployed (DEBUG off, a secret key generated once into a private file,
static files through WhiteNoise), and every error is the platform's Chinese page, for every
role, with nothing of the URL list or the settings in it.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import path

from gaoxin import urls as real_urls
from gaoxin.core.permissions import public

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent
DEBUG_MARKS = ("URLconf", "urlpatterns", "Traceback", "DEBUG = True", "technical", "SECRET_KEY")


@public
def broken(request):
    raise RuntimeError("boom")


urlpatterns = [*real_urls.urlpatterns, path("test-broken/", broken)]
handler400 = real_urls.handler400
handler403 = real_urls.handler403
handler404 = real_urls.handler404
handler500 = real_urls.handler500


def assert_clean(html: str) -> None:
    for mark in DEBUG_MARKS:
        assert mark not in html, mark
    assert "返回首页" in html  # the platform's Chinese error page


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    return settings


def test_a_missing_page_is_the_chinese_404_for_everyone(production, users_by_role):
    anonymous = Client().get("/no-such-page/")
    assert anonymous.status_code == 404
    assert_clean(anonymous.content.decode())
    for role, user in users_by_role.items():
        browser = Client()
        browser.force_login(user)
        response = browser.get("/no-such-page/")
        assert response.status_code == 404, role
        html = response.content.decode()
        assert_clean(html)
        assert "此页面不存在" in html, role


def test_an_enterprise_users_unknown_record_is_the_chinese_404(production, enterprise_user):
    browser = Client()
    browser.force_login(enterprise_user)
    for address in ("/enterprises/999999/", "/projects/999999/", "/affairs/applications/999999/"):
        response = browser.get(address)
        assert response.status_code == 404, address
        assert "此页面不存在" in response.content.decode()
        assert_clean(response.content.decode())


def test_a_chosen_language_is_kept_on_error_pages(production, staff):
    browser = Client()
    browser.force_login(staff)
    browser.cookies["django_language"] = "en"
    assert "This page does not exist" in browser.get("/no-such-page/").content.decode()


def test_a_refused_page_is_the_chinese_403(production, enterprise_user):
    browser = Client()
    browser.force_login(enterprise_user)
    response = browser.get("/platform/audit/")
    assert response.status_code == 403
    assert "您无权访问此页面" in response.content.decode()
    assert_clean(response.content.decode())


def test_a_bad_host_is_the_chinese_400(production):
    response = Client(HTTP_HOST="evil.example").get("/login/")
    assert response.status_code == 400
    html = response.content.decode()
    assert_clean(html)
    assert "400" in html and "无法处理" in html


def test_an_expired_form_is_the_chinese_403(production, staff):
    from tests.factories import TEST_PASSWORD

    browser = Client(enforce_csrf_checks=True)
    response = browser.post("/login/", {"username": staff.username, "password": TEST_PASSWORD})
    assert response.status_code == 403
    html = response.content.decode()
    assert "表单已过期" in html
    assert "CSRF verification failed" not in html


@pytest.mark.urls("tests.test_security_production")
def test_a_server_error_is_the_chinese_500(production, staff):
    browser = Client(raise_request_exception=False)
    browser.force_login(staff)
    response = browser.get("/test-broken/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "系统出现错误" in html and "boom" not in html
    assert_clean(html)


def test_api_errors_keep_the_apis_json_shape(production, staff):
    browser = Client()
    browser.force_login(staff)
    response = browser.get("/api/v1/no-such-endpoint")
    assert response.status_code == 404
    assert response.json()["message"] == "未找到。"


RUN_PROBE = """
import hashlib, json
from django.conf import settings
from django.test import Client
c = Client()
missing = c.get("/no-such-page/")
css = c.get("/static/vendor/tabler/tabler.min.css")
login = c.get("/login/")
print(json.dumps({
    "debug": settings.DEBUG,
    "key": hashlib.sha256(settings.SECRET_KEY.encode()).hexdigest(),
    "key_length": len(settings.SECRET_KEY),
    "missing": [missing.status_code, missing.content.decode()],
    "css": [css.status_code, css.get("Cache-Control", "")],
    "login": login.status_code,
}))
"""


def _manage(env, *args, check=True):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=check,
    )


def test_make_run_settings_serve_without_debug_with_a_private_generated_key(tmp_path):
    """The environment `make run` sets: DEBUG=0, SECURE=0 (plain HTTP on 127.0.0.1),
    SECRET_KEY_FILE in a git-ignored folder; static files collected and served by WhiteNoise."""
    key_file = tmp_path / "var" / "secret_key"
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "ALLOWED_HOSTS", "DEBUG")}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.update(
        DEBUG="0",
        SECURE="0",
        SECRET_KEY_FILE=str(key_file),
        STATIC_ROOT=str(tmp_path / "static"),
        SQLITE_PATH=str(tmp_path / "db.sqlite3"),
    )
    _manage(env, "migrate", "--noinput", "-v0")
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600  # generated once, private
    _manage(env, "collectstatic", "--noinput", "-v0")
    first = json.loads(_manage(env, "shell", "-c", RUN_PROBE).stdout.strip().splitlines()[-1])
    assert first["debug"] is False and first["key_length"] >= 40
    assert first["login"] == 200  # 127.0.0.1/localhost allowed, no HTTPS redirect
    status, html = first["missing"]
    assert status == 404 and "此页面不存在" in html
    assert_clean(html)
    assert first["css"][0] == 200  # WhiteNoise serves the collected files
    second = json.loads(_manage(env, "shell", "-c", RUN_PROBE).stdout.strip().splitlines()[-1])
    assert second["key"] == first["key"]  # the same key on every start
    key_file.chmod(0o644)
    refused = _manage(env, "check", check=False)
    assert refused.returncode != 0 and "chmod 600" in refused.stderr


def test_the_secret_key_file_is_git_ignored():
    ignored = (ROOT / ".gitignore").read_text().splitlines()
    assert "/var/" in ignored


def test_make_run_turns_debug_off_and_make_dev_keeps_it():
    makefile = (ROOT / "Makefile").read_text()
    assert "run: export DEBUG := 0" in makefile
    assert "dev: export DEBUG := 1" in makefile
    dry = subprocess.run(
        [shutil.which("make") or "make", "-n", "run"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    assert "collectstatic" in dry and "gunicorn" in dry and "runserver" not in dry
