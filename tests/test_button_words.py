"""Button labels read as verbs in Chinese: a word shared by a state and a button (Done, Paid,
Next …) gets its own msgctxt for the button, so the button never reads as a state (已完成)."""

import re
from pathlib import Path

import polib
from django.utils import translation
from django.utils.translation import pgettext

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
BUTTON = re.compile(r"<button[^>]*>(.*?)</button>", re.S)
LABEL = re.compile(r'\{% translate "([^"]+)"(?: context "([^"]+)")? %\}')


def _button_labels() -> dict[tuple[str | None, str], set[str]]:
    labels: dict[tuple[str | None, str], set[str]] = {}
    for path in (ROOT / "templates").rglob("*.html"):
        for button in BUTTON.finditer(path.read_text(encoding="utf-8")):
            for label in LABEL.finditer(button.group(1)):
                key = (label.group(2), label.group(1))
                labels.setdefault(key, set()).add(str(path.relative_to(ROOT / "templates")))
    return labels


def test_no_button_reads_as_a_state():
    chinese = {(e.msgctxt, e.msgid): e.msgstr for e in polib.pofile(str(PO)) if not e.obsolete}
    labels = _button_labels()
    assert len(labels) > 50
    states = {
        f"{msgid} → {chinese.get((context, msgid))} ({', '.join(sorted(where))})"
        for (context, msgid), where in labels.items()
        if (chinese.get((context, msgid)) or "").startswith(("已", "未"))
    }
    assert states == set()


def test_shared_words_read_as_verbs_on_buttons_and_as_nouns_elsewhere():
    labels = _button_labels()
    expected = {
        ("Done", "dispatch/meeting_detail.html"): "办结",
        ("Paid", "talent/talent_detail.html"): "登记拨付",
        ("Finished", "affairs/application_detail.html"): "标记结束",
        ("Score", "talent/batch_detail.html"): "评分",
        ("Next", "dispatch/appeal_pick.html"): "下一步",
    }
    with translation.override("zh-hans"):
        for (msgid, template), verb in expected.items():
            assert template in labels[("button", msgid)]
            assert pgettext("button", msgid) == verb
        # The same English words stay nouns and states where they are not buttons.
        assert translation.gettext("Done") == "已完成"
        assert translation.gettext("Paid") == "已拨付"
        assert pgettext("progress report", "Next") == "下步计划"
        assert pgettext("appeals not yet closed", "Open") == "办理中"
        assert translation.gettext("Revoke") == "撤销"
