"""English left in the Chinese UI: the detector the page crawls share.

``english_leaks(page_text)`` takes a page's visible text (a browser's ``innerText``, or
``visible_text(html)`` for the test client) and returns the leaks found: the known ones (Django's
and the libraries' own strings the Chinese catalogue once missed) and any run of two or more
English words that are not on the allowlist of names a Chinese office writes in Latin letters
(API, Excel, PDF, USCC …). A single English word is not a leak by itself (a user name, a unit, a
code), unless it is a known one.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

__all__ = ["ALLOWED_WORDS", "KNOWN_LEAKS", "english_leaks", "visible_text"]

# Strings seen in the Chinese UI before issue 17, and their relatives: each is a leak wherever it
# appears (case-sensitive, whole).
KNOWN_LEAKS = (
    "---------",  # Django's empty choice (请选择 / 全部)
    "(descending)",  # django-filter's sort label (名称（降序）)
    "n/a",  # a growth rate without a base (—, with a tooltip)
    "N/A",
    "overdue",
    "working days",
    "idempotency record",
    "scheduler tick",
    "Access attempts",
    "Access logs",
    "Access failures",
    "Task Results",
    "Task results",
    "AXES",
    "Django administration",
    "Site administration",
    "Unknown",
    "None",
    "True",
    "False",
    "Page not found",
    "Server Error",
    "Bad Request",
    "Forbidden",
)

# Words written in Latin letters in a Chinese office's text: names of formats, standards, products
# and protocols. Compared case-insensitively.
ALLOWED_WORDS = frozenset(
    w.lower()
    for w in (
        "API",
        "Excel",
        "PDF",
        "USCC",
        "OpenAPI",
        "ID",
        "TOTP",
        "SMS",
        "CAS",
        "OIDC",
        "OpenID",
        "Connect",
        "HTTP",
        "HTTPS",
        "JSON",
        "CSV",
        "XLSX",
        "URL",
        "Token",
        "Bearer",
        "GeoJSON",
        "SSO",
        "GB",
        "GB/T",
        "5G",
        "QR",
        "OK",
        "Swagger",
        "UI",
        "IP",
        "MB",
        "KB",
        "kg",
        "km",
        "m",
        "AM",
        "PM",
        "v1",
        "WeCom",
        "DingTalk",
        # Authenticator apps, named as their stores name them.
        "Microsoft",
        "Google",
        "Authenticator",
    )
)

_WORD = r"[A-Za-z][A-Za-z0-9'/.\-]*"
# A run does not start inside an identifier (Django's "PlanTemplateStep_depends_on object (3)").
_RUN = re.compile(rf"(?<![_A-Za-z0-9]){_WORD}(?:[ \t\u00a0]+{_WORD})+")
_TOKEN = re.compile(_WORD)


def _is_english(word: str) -> bool:
    word = word.strip(".-/'")
    if not word or word.lower() in ALLOWED_WORDS:
        return False
    # An identifier, a code or a file name is not prose: digits, underscores, dots inside.
    if any(c.isdigit() for c in word) or "." in word or "/" in word:
        return False
    return len(word) > 1


def english_leaks(page_text: str) -> list[str]:
    """The English found in a page's visible text; [] when the page is all Chinese."""
    leaks: list[str] = []
    for known in KNOWN_LEAKS:
        pattern = re.escape(known)
        if known[0].isalnum():
            pattern = rf"(?<![A-Za-z]){pattern}"
        if known[-1].isalnum():
            pattern = rf"{pattern}(?![A-Za-z])"
        if re.search(pattern, page_text):
            leaks.append(known)
    for line in page_text.splitlines():
        for match in _RUN.finditer(line):
            run: list[str] = []
            for word in [*_TOKEN.findall(match.group(0)), ""]:
                if word and _is_english(word):
                    run.append(word)
                    continue
                if len(run) >= 2:
                    leaks.append(" ".join(run))
                run = []
    return list(dict.fromkeys(leaks))


class _Text(HTMLParser):
    SKIP = {"script", "style", "template", "noscript", "code", "pre", "kbd", "samp"}
    SHOWN_ATTRS = ("title", "placeholder", "aria-label", "alt")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
            return
        values = dict(attrs)
        if tag == "img" and "/admin/img/icon-" in (values.get("src") or ""):
            # Django's admin marks a yes/no column with an icon whose alt is the raw True/False
            # (not translatable upstream); the icon, not the word, is what the reader sees.
            return
        for name in self.SHOWN_ATTRS:
            if values.get(name):
                self.parts.append("\n" + values[name] + "\n")
        if tag == "input" and values.get("type") in ("submit", "button") and values.get("value"):
            self.parts.append("\n" + values["value"] + "\n")
        if tag in ("br", "p", "div", "li", "tr", "td", "th", "option", "h1", "h2", "h3", "label"):
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1
        elif tag in ("p", "div", "li", "td", "th", "option", "button", "a", "span", "label"):
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """What a reader sees of a page (text, titles, placeholders, button values), one line per
    block; code samples are left out (they are English by nature)."""
    parser = _Text()
    parser.feed(html)
    text = "".join(parser.parts)
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())
