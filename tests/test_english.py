"""No English in the Chinese UI: every GET page each demo role can reach, on the seeded demo.

A fast crawl with Django's test client (no browser): signed in as each role's demo account,
start at the home page and the routes of tests/test_access_control.py's table, follow every
link on the site, open one page per route (and one with a query string), and read each page's
visible text with tests.english. The browser crawl (tests/test_crawl.py) uses the same detector.
"""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve

from gaoxin.accounts.models import User
from tests.english import english_leaks, visible_text
from tests.test_access_control import ROUTES

pytestmark = pytest.mark.django_db

ROLES = ["admin", "leader", "staff", "steward", "clerk", "agent", "commissioner", "approver"]
ROLES += ["enterprise"]
HREF = re.compile(r'href="(/[^"#]*)"')
NOT_PAGES = ("/logout", "/static/", "/media/", "/i18n/", "/api/", "/login", "/sso/")


def _is_page_link(href: str) -> bool:
    return not href.startswith(NOT_PAGES) and "export" not in href and "download" not in href


def crawl(client: Client, limit: int = 400) -> dict[str, list[str]]:
    """{path: leaks} for one page per route (with and without a query) the client can open."""
    queue = ["/"] + [path for path, _roles in ROUTES.values() if "{" not in path]
    seen: set[tuple[str, bool]] = set()
    found: dict[str, list[str]] = {}
    while queue and len(found) < limit:
        path = queue.pop(0).replace("&amp;", "&")
        try:
            match = resolve(path.split("?")[0])
        except Resolver404:
            continue
        key = (match.route, "?" in path)
        if key in seen:
            continue
        seen.add(key)
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        found[path] = english_leaks(visible_text(html))
        queue.extend(h for h in HREF.findall(html) if _is_page_link(h))
    return found


def test_the_detector_finds_known_leaks_and_english_runs_but_not_allowed_words():
    assert english_leaks("状态：---------") == ["---------"]
    assert english_leaks("名称 (descending)") == ["(descending)"]
    assert english_leaks("同比 n/a") == ["n/a"]
    assert english_leaks("问题 overdue 7 working days") == ["overdue", "working days"]
    assert english_leaks("系统配置\nAccess attempts\nTask Results") == [
        "Access attempts",
        "Task Results",
    ]
    assert english_leaks("导出 Excel 和 PDF；API 文档（OpenAPI）；USCC；TOTP 验证器") == []
    assert english_leaks("Excel PDF API") == []  # allowed words in a row are not prose
    assert english_leaks("用户 alice_admin，文件 ledger-2026.xlsx") == []
    assert english_leaks("项目：Investment projects") == ["Investment projects"]


def test_visible_text_reads_titles_and_buttons_but_not_code():
    html = (
        '<p title="Growth rate">同比</p><input type="submit" value="Save changes">'
        "<code>manage.py seed_demo --force</code><script>var x = 'hello world'</script>"
    )
    text = visible_text(html)
    assert "Growth rate" in text and "Save changes" in text
    assert "seed_demo" not in text and "hello world" not in text
    assert english_leaks(text) == ["Growth rate", "Save changes"]


def test_no_english_on_any_page_any_demo_role_opens():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    leaks: dict[str, list[str]] = {}
    pages = 0
    for username in ROLES:
        client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        client.force_login(User.objects.get(username=username))
        found = crawl(client)
        pages += len(found)
        assert len(found) > 5, f"{username} opened only {sorted(found)}"
        leaks |= {f"{username} {path}": words for path, words in found.items() if words}
    assert pages > 200
    assert leaks == {}, "\n".join(f"{page}: {words}" for page, words in sorted(leaks.items()))
