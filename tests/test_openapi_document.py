"""The OpenAPI document is valid JSON for every reader: no object repeats a key (Python merges
them silently; Swagger UI's YAML parser and strict clients refuse the whole document)."""

import json

import pytest

pytestmark = pytest.mark.django_db


def _no_repeated_keys(pairs):
    keys = [k for k, _v in pairs]
    repeated = sorted({k for k in keys if keys.count(k) > 1})
    assert not repeated, f"repeated keys {repeated} in {keys}"
    return dict(pairs)


def test_the_document_repeats_no_key_in_any_object(client, staff):
    client.force_login(staff)
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = json.loads(response.content, object_pairs_hook=_no_repeated_keys)
    responses = document["paths"]["/api/v1/projects/import/template"]["get"]["responses"]
    assert "content" in responses["200"]  # the file answer, merged into ninja's own 200
