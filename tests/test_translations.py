"""The Chinese catalogue is complete and the committed .mo matches the .po (read with polib)."""

import gettext
import re
from pathlib import Path

import polib

PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]")
PO = Path(__file__).resolve().parent.parent / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def _entries() -> list[polib.POEntry]:
    return [e for e in polib.pofile(str(PO)) if not e.obsolete and e.msgid]


def _translated(entry: polib.POEntry) -> bool:
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def test_every_msgid_has_a_chinese_translation():
    entries = _entries()
    assert len(entries) > 200
    untranslated = [e.msgid for e in entries if not _translated(e)]
    assert untranslated == [], f"{len(untranslated)} msgids without Chinese"


def test_no_entry_is_marked_fuzzy():
    fuzzy = [e.msgid for e in _entries() if "fuzzy" in e.flags]
    assert fuzzy == [], f"{len(fuzzy)} fuzzy entries: check and fix each translation"


def test_translations_are_chinese_and_keep_the_placeholders():
    """A translation left in English, or one that loses a %(name)s, is a leak or a crash."""
    wrong = []
    for e in _entries():
        if not _translated(e) or e.msgid_plural or "fuzzy" in e.flags:
            continue
        words = re.sub(r"%\([a-z_]+\)[sd]|%[sd]", "", e.msgstr)
        has_chinese = any("\u4e00" <= c <= "\u9fff" for c in words)
        if not has_chinese and re.search(r"[A-Za-z]{3,}", words) and e.msgstr != e.msgid:
            wrong.append((e.msgid, e.msgstr, "no Chinese"))
        if sorted(PLACEHOLDER.findall(e.msgid)) != sorted(PLACEHOLDER.findall(e.msgstr)):
            wrong.append((e.msgid, e.msgstr, "placeholders differ"))
    assert wrong == []


def test_compiled_catalogue_matches_the_source():
    with PO.with_suffix(".mo").open("rb") as fh:
        catalogue = gettext.GNUTranslations(fh)
    stale = []
    for e in _entries():
        if "fuzzy" in e.flags or not _translated(e):
            continue
        key = f"{e.msgctxt}\x04{e.msgid}" if e.msgctxt else e.msgid
        if e.msgid_plural:
            got = catalogue.ngettext(key, e.msgid_plural, 1)
            want = e.msgstr_plural[0]
        else:
            got, want = catalogue.gettext(key), e.msgstr
        if got != want:
            stale.append(e.msgid)
    assert stale == [], "run `make messages` and commit the .mo"
