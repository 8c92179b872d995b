"""The page crawl (issue 17): every demo role signs in to the demo zone and opens every entry of
its menu on the office screen (1366×768), the enterprise and the agent on a phone too
(390×844). No page may scroll sideways, no table column may wrap one character per line, no
two roles may share a home page, and (part B of the issue) no English may be left in the
Chinese UI. Each role's home at 1366 px is kept under test-results/screenshots/crawl-*.png.

The demo is seeded into the test database (``seed_demo``, about a minute), so the crawl sees
what a new user sees.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command

from gaoxin.accounts.models import User
from gaoxin.accounts.twofactor import is_required
from gaoxin.demo.management.commands.seed_demo import DEMO_PASSWORD
from tests.browser import SHOTS
from tests.english import english_leaks
from tests.second_factor import otp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OFFICE = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
# Every demo role, and the reviewer: department staff whose department reviews cases.
ROLES = [
    "admin",
    "leader",
    "staff",
    "steward",
    "clerk",
    "approver",
    "commissioner",
    "agent",
    "enterprise",
]
ON_PHONES = ["enterprise", "agent"]


# --- part B's hook: tests/english.py (known leaks plus runs of English words outside an allowlist
# such as API, Excel, PDF); tests/test_english.py runs the same detector without a browser.


# --- what the crawl measures in the page -----------------------------------------------------
# Wider than the window: the page scrolls sideways.
OVERFLOW_JS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"

# Table cells with a run of text of two characters or more laid out one character per line
# (as many line boxes as characters): a column too narrow for its words.
ONE_CHARACTER_COLUMNS_JS = """() => {
  const found = [];
  for (const cell of document.querySelectorAll('table td, table th')) {
    if (!cell.offsetParent) continue;
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent.replace(/\\s+/g, '');
      if (text.length < 2) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const rects = Array.from(range.getClientRects()).filter(r => r.width > 0);
      const lines = new Set(rects.map(r => Math.round(r.top)));
      if (lines.size >= text.length) {
        const table = cell.closest('table');
        const head = table && table.tHead ? table.tHead.innerText.replace(/\\s+/g, ' ') : '';
        found.push(text.slice(0, 20) + ' [' + head.slice(0, 40) + ']');
        break;
      }
    }
  }
  return found;
}"""

# The menu's entries: the main menu's links and the account menu's pages.
MENU_JS = """() => Array.from(
  document.querySelectorAll('#main-menu a[href], .navbar .dropdown-menu-end a[href]')
).map(a => a.getAttribute('href')).filter(h => h && h.startsWith('/'))"""


def menu_entries(page) -> list[str]:
    seen, entries = set(), []
    for href in page.evaluate(MENU_JS):
        if href not in seen:
            seen.add(href)
            entries.append(href)
    return entries


def check_page(page, url: str, label: str) -> list[str]:
    """Open one page; what is wrong with it, as sentences."""
    problems = []
    response = page.goto(url)
    status = response.status if response else 0
    if status >= 400:
        return [f"{label} {url}: HTTP {status}"]
    page.wait_for_load_state("load")
    overflow = page.evaluate(OVERFLOW_JS)
    if overflow > 0:
        problems.append(f"{label} {url}: scrolls sideways by {overflow}px")
    narrow = page.evaluate(ONE_CHARACTER_COLUMNS_JS)
    if narrow:
        problems.append(f"{label} {url}: one-character columns {narrow[:3]}")
    leaks = english_leaks(page.locator("body").inner_text())
    if leaks:
        problems.append(f"{label} {url}: English {leaks[:5]}")
    return problems


def crawl(browser, base_url: str, username: str, viewport: dict, *, shot: str = "") -> dict:
    """Sign in as one user at one size, open the home page and every menu entry; returns
    the home page's identity (its desk marker and title), the pages opened and the problems."""
    context = browser.new_context(
        viewport=viewport,
        is_mobile=viewport["width"] < 768,
        has_touch=viewport["width"] < 768,
        locale="zh-CN",
    )
    page = context.new_page()
    try:
        sign_in(page, base_url, username)
        label = f"{username}@{viewport['width']}"
        problems = check_page(page, base_url + "/", label)
        marker = page.locator("[data-testid^=home-]")
        desk = marker.first.get_attribute("data-testid") if marker.count() else None
        if desk is None:
            problems.append(f"{label}: the home page has no desk")
        title = page.locator("h2.page-title").inner_text().strip()
        if shot:
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / f"{shot}.png"), full_page=True)
        entries = menu_entries(page)
        for href in entries:
            problems += check_page(page, base_url + href, label)
        return {"desk": desk, "title": title, "pages": entries, "problems": problems}
    finally:
        context.close()


def sign_in(page, base_url: str, username: str) -> None:
    """Sign a demo account in (with its second factor if its role needs one)."""
    user = User.objects.get(username=username)
    code = otp_code(user) if is_required(user) else None
    page.goto(f"{base_url}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    if code:
        page.wait_for_url(f"{base_url}/accounts/two-factor/**")
        page.get_by_label("验证码").fill(code)
        page.get_by_role("button", name="验证").click()
    page.wait_for_url(f"{base_url}/")


def big_screen_overflow(browser, base_url: str) -> tuple[int, int]:
    """How far the big screen (数据大屏) scrolls sideways and down on a 1920×1080 display."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    page = context.new_page()
    try:
        sign_in(page, base_url, "leader")
        page.goto(base_url + "/cockpit/screen/")
        page.wait_for_load_state("load")
        page.wait_for_timeout(300)  # app.js fits the screen once the charts are drawn
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "crawl-big-screen-1920.png"))
        return (
            page.evaluate(OVERFLOW_JS),
            page.evaluate(
                "() => document.documentElement.scrollHeight"
                " - document.documentElement.clientHeight"
            ),
        )
    finally:
        context.close()


@pytest.fixture
def demo_zone(django_db_blocker):
    call_command("seed_demo", verbosity=0)


def test_every_role_opens_every_menu_entry_without_overflow(browser, live_server, demo_zone):
    homes, problems, opened = {}, [], 0
    for username in ROLES:
        result = crawl(browser, live_server.url, username, OFFICE, shot=f"crawl-home-{username}")
        homes[username] = (result["desk"], result["title"])
        problems += result["problems"]
        opened += len(result["pages"]) + 1
        assert result["pages"], f"{username} has no menu entries"
    for username in ON_PHONES:
        result = crawl(browser, live_server.url, username, PHONE, shot=f"crawl-phone-{username}")
        problems += result["problems"]
        opened += len(result["pages"]) + 1
    # No two roles share a home page: each desk is its own.
    desks = [desk for desk, _title in homes.values()]
    assert len(set(desks)) == len(desks), homes
    assert homes["approver"][0] == "home-reviewer"
    assert opened > 9 * 5
    # The big screen fits a 1920×1080 wall display: no scrolling either way.
    assert big_screen_overflow(browser, live_server.url) == (0, 0)
    # Last, every page's findings at once (overflow, one-character columns, English).
    assert problems == [], "\n".join(problems)
