"""The Chinese catalogue is complete and the committed .mo matches the .po."""

import gettext
import re
from pathlib import Path

PO = Path(__file__).resolve().parent.parent / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def _unquote(s: str) -> str:
    return s.encode("latin-1", "backslashreplace").decode("unicode_escape") if "\\" in s else s


def parse_po(path: Path) -> list[tuple[str, str, bool]]:
    """(msgid, msgstr, fuzzy) for each entry; the catalogue is written with --no-wrap."""
    entries = []
    fuzzy = False
    msgid = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith("msgid "):
            msgid = re.match(r'msgid "(.*)"$', line).group(1)
        elif line.startswith(("msgstr ", "msgstr[0] ")) and msgid is not None:
            msgstr = re.match(r'msgstr(?:\[0\])? "(.*)"$', line).group(1)
            if msgid:
                entries.append((msgid.replace('\\"', '"'), msgstr.replace('\\"', '"'), fuzzy))
            msgid, fuzzy = None, False
    return entries


def test_every_entry_is_translated_and_none_is_fuzzy():
    entries = parse_po(PO)
    assert len(entries) > 200
    untranslated = [m for m, s, _f in entries if not s]
    fuzzy = [m for m, _s, f in entries if f]
    assert untranslated == []
    assert fuzzy == []


def test_compiled_catalogue_matches_the_source():
    with PO.with_suffix(".mo").open("rb") as fh:
        catalogue = gettext.GNUTranslations(fh)
    stale = [m for m, s, _f in parse_po(PO) if catalogue.gettext(m) != s]
    assert stale == [], "run `make messages` and commit the .mo"
