"""The parity table (issue 22): every page action — a URL whose view takes a POST, or hands out
a file — has an API operation that does the same, or is listed page-only with a reason, or
pending with the issue that adds it (tests/api_parity.py). The table in docs/api.md is written
from the URL patterns and the OpenAPI document; this test fails when either changes and the
table was not regenerated (GAOXIN_WRITE_PARITY=1 .venv/bin/pytest tests/test_api_parity.py)."""

from __future__ import annotations

import contextlib
import inspect
import os
import re
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

from gaoxin.api import api
from tests.api_parity import OPERATIONS, PAGE_ONLY, PENDING

DOC = Path(__file__).resolve().parent.parent / "docs" / "api.md"
START, END = "<!-- parity:start -->", "<!-- parity:end -->"
SKIPPED_NAMESPACES = ("admin", "api")
POST_SIGNS = ("request.POST", 'request.method == "POST"', "request.FILES", "require_POST")
FILE_SIGNS = ("xlsx_response(", "download(", "FileResponse", "text/calendar")


def _walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in SKIPPED_NAMESPACES:
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield prefix + str(pattern.pattern), namespace + pattern.name, pattern.callback


def _source(func) -> str:
    """The view's own code, the decorators above it, and the module helpers it calls (one
    level: ``item_new`` → ``_item_form_page``)."""
    while hasattr(func, "__wrapped__"):
        func = func.__wrapped__
    try:
        lines, start = inspect.getsourcelines(func)
        module_lines = inspect.getsource(inspect.getmodule(func)).splitlines()
    except (OSError, TypeError):
        return ""
    # inspect includes the decorators; a require_POST applied elsewhere shows in the module
    decorators = []
    for line in reversed(module_lines[: start - 1]):
        if not line.startswith("@"):
            break
        decorators.append(line)
    text = "\n".join(decorators) + "".join(lines)
    module = inspect.getmodule(func)
    for name in (getattr(func, "__code__", None) and func.__code__.co_names) or ():
        helper = getattr(module, name, None)
        # A view of the same module is not a helper: ``selectors.appeal_figures(…)`` in the
        # appeals list names the view ``appeal_figures`` too, and made the list a page action.
        if getattr(helper, "permission_required", None) is not None:
            continue
        if inspect.isfunction(helper) and helper.__module__ == module.__name__:
            with contextlib.suppress(OSError):
                text += inspect.getsource(helper)
    return text


def page_actions() -> dict[str, tuple[str, str]]:
    """URL name → (route, kind) for every view that takes a POST or hands out a file."""
    actions = {}
    for route, name, callback in _walk(get_resolver().url_patterns):
        view_class = getattr(callback, "view_class", None)
        if view_class is not None:
            if hasattr(view_class, "post"):
                actions[name] = (route, "POST")
            continue
        text = _source(callback)
        if any(sign in text for sign in POST_SIGNS):
            actions[name] = (route, "POST")
        elif any(sign in text for sign in FILE_SIGNS):
            actions[name] = (route, "file")
    return actions


def operations() -> dict[str, tuple[str, str]]:
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    return {
        op["operationId"]: (method.upper(), path)
        for path, methods in schema["paths"].items()
        for method, op in methods.items()
    }


def table(actions, ops) -> str:
    rows = [
        "| Page action (URL name) | Page URL | API operation(s) |",
        "| --- | --- | --- |",
    ]
    for name in sorted(actions):
        route, kind = actions[name]
        if name in OPERATIONS:
            what = "<br>".join(f"`{ops[op][0]} {ops[op][1]}` ({op})" for op in OPERATIONS[name])
        elif name in PAGE_ONLY:
            what = f"page only: {PAGE_ONLY[name]}"
        else:
            issue, todo = PENDING[name]
            what = f"pending (issue {issue}): {todo}"
        rows.append(f"| `{name}` | `{kind} /{route}` | {what} |")
    counts = (
        f"{sum(n in OPERATIONS for n in actions)} with an operation, "
        f"{sum(n in PAGE_ONLY for n in actions)} page only, "
        f"{sum(n in PENDING for n in actions)} pending, of {len(actions)} page actions; "
        f"the API has {len(ops)} operations."
    )
    return "\n".join([counts, "", *rows])


def test_every_page_action_has_an_operation_or_a_reason():
    actions = page_actions()
    listed = [*OPERATIONS, *PAGE_ONLY, *PENDING]
    twice = sorted({n for n in listed if listed.count(n) > 1})
    assert twice == [], f"listed more than once: {twice}"
    missing = sorted(set(actions) - set(listed))
    assert missing == [], (
        f"page actions with no API operation and no reason (tests/api_parity.py): {missing}"
    )
    # A pending entry may name a page another issue is still building; the rest must exist.
    stale = sorted(set(OPERATIONS).union(PAGE_ONLY) - set(actions))
    assert stale == [], f"listed but no longer page actions: {stale}"
    for name, reason in PAGE_ONLY.items():
        assert len(reason) > 20, f"{name}: say why it stays page-only"


def test_every_operation_named_exists():
    ops = operations()
    unknown = sorted({op for names in OPERATIONS.values() for op in names if op not in ops})
    assert unknown == []


def test_the_parity_table_in_docs_is_current():
    text = DOC.read_text(encoding="utf-8")
    assert START in text and END in text
    fresh = table(page_actions(), operations())
    current = text.split(START, 1)[1].split(END, 1)[0].strip()
    if os.environ.get("GAOXIN_WRITE_PARITY") == "1" and current != fresh:
        before, rest = text.split(START, 1)
        DOC.write_text(f"{before}{START}\n{fresh}\n{END}{rest.split(END, 1)[1]}", "utf-8")
        return
    assert current == fresh, (
        "docs/api.md's parity table is out of date: "
        "GAOXIN_WRITE_PARITY=1 .venv/bin/pytest tests/test_api_parity.py"
    )


def test_page_actions_are_found():
    """The finder itself: a POST view, a view posting through a helper, a file download."""
    actions = page_actions()
    assert actions["spaces:lease_terminate"][1] == "POST"
    assert actions["affairs:item_new"][1] == "POST"  # through _item_form_page
    assert actions["projects:import_template"][1] == "file"
    assert re.match(r"^spaces/", actions["spaces:unit"][0])


def test_every_enum_in_the_document_has_its_own_name():
    """An enum is named in the OpenAPI components by its class name: two apps' enums of one
    name (projects' Figure and 投产达效's Figure) would silently share one definition, and a
    client would send values the server refuses."""
    import enum
    import typing

    from ninja import Schema

    seen: dict[str, type] = {}
    clashes = []
    stack = list(Schema.__subclasses__())
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if not cls.__module__.startswith("gaoxin."):
            continue
        for field in cls.model_fields.values():
            if any(type(m).__name__ == "WithJsonSchema" for m in field.metadata):
                continue  # its schema is written out in place
            candidates = [field.annotation, *typing.get_args(field.annotation)]
            for kind in candidates:
                if isinstance(kind, type) and issubclass(kind, enum.Enum):
                    other = seen.setdefault(kind.__name__, kind)
                    if other is not kind:
                        clashes.append((f"{other.__module__}.{other.__name__}", cls.__name__))
    assert clashes == []


def test_every_operation_has_a_stable_id_and_a_chinese_and_english_summary():
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    ids, lacking = [], []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            ids.append(operation["operationId"])
            summary = operation.get("summary", "")
            english = re.search(r"[A-Za-z]{3}", summary)
            chinese = re.search(r"[\u4e00-\u9fff]", summary)
            if not (english and chinese):
                lacking.append(f"{method.upper()} {path}: {summary!r}")
    assert lacking == [], "add the Chinese to the summary (or gaoxin/core/api_summaries.py)"
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"gaoxin_[a-z]+_api_[a-z0-9_]+", i) for i in ids), ids
