"""Ids a client sends to the API (issue 22): every integer in a request body or a query that
names a record is bounded (core.api_types.Id), so a huge number is a 422 naming the field —
never an overflow inside the database driver (a 500)."""

import pytest

from gaoxin.accounts.services import api_token_create
from gaoxin.api import api

pytestmark = pytest.mark.django_db

HUGE = 2**70

NOT_YET: set[str] = set()
NOT_YET_APPS: tuple[str, ...] = ()


def _unbounded(schema, components, where, found, depth=0):
    if depth > 8 or not isinstance(schema, dict):
        return
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        _unbounded(components[name], components, where, found, depth + 1)
        return
    for key in ("anyOf", "oneOf", "allOf"):
        for option in schema.get(key, []):
            _unbounded(option, components, where, found, depth + 1)
    if schema.get("type") == "integer" and "maximum" not in schema:
        found.append(where)
    if schema.get("type") == "array":
        _unbounded(schema.get("items", {}), components, f"{where}[]", found, depth + 1)
    for name, prop in schema.get("properties", {}).items():
        _unbounded(prop, components, f"{where}.{name}", found, depth + 1)


def test_every_integer_a_client_sends_is_bounded():
    document = api.get_openapi_schema(path_prefix="/api/v1/")
    components = document["components"]["schemas"]
    found: list[str] = []
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            if operation["operationId"] in NOT_YET or operation["operationId"].startswith(
                NOT_YET_APPS
            ):
                continue
            where = f"{method.upper()} {path}"
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query":
                    _unbounded(
                        parameter["schema"], components, f"{where} ?{parameter['name']}", found
                    )
            for content in operation.get("requestBody", {}).get("content", {}).values():
                _unbounded(content["schema"], components, f"{where} body", found)
    assert found == [], "\n".join(found)


@pytest.mark.parametrize(
    ("method", "url", "body", "field"),
    [
        ("post", "/api/v1/problems/", {"project": HUGE, "kind": "land"}, "project"),
        ("get", f"/api/v1/problems/?department={HUGE}", None, "department"),
        ("get", f"/api/v1/dispatch/matters?key_project={HUGE}", None, "key_project"),
        ("get", f"/api/v1/dispatch/tasks?owner={HUGE}", None, "owner"),
        (
            "post",
            "/api/v1/dispatch/key-projects",
            {"year": 2026, "project": 1, "sponsor": HUGE, "lead_department": 1},
            "sponsor",
        ),
        ("get", f"/api/v1/dispatch/ledger?project={HUGE}", None, "project"),
        ("get", f"/api/v1/audit/export?content_type={HUGE}", None, "content_type"),
        ("get", f"/api/v1/affairs/applications?window={HUGE}", None, "window"),
        ("get", f"/api/v1/affairs/items?department={HUGE}", None, "department"),
    ],
)
def test_a_huge_id_is_a_422_naming_the_field(client, admin_user, method, url, body, field):
    headers = {"Authorization": f"Bearer {api_token_create(user=admin_user, name='t')[1]}"}
    if method == "post":
        answer = client.post(url, body, content_type="application/json", headers=headers)
    else:
        answer = client.get(url, headers=headers)
    assert answer.status_code == 422, answer.content
    assert any(key.endswith(field) for key in answer.json()["errors"]), answer.json()
