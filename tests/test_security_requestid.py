"""Hole 6 of issue 15: a client's X-Request-ID went into the audit trail as given.

The id is kept only when it is well-formed and the request came from a proxy listed in
TRUSTED_PROXIES; otherwise the platform makes its own, so no request can borrow another's id.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from gaoxin.accounts.services import api_token_create
from gaoxin.core import requestid
from gaoxin.core.models import AuditEntry

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent
PROXY_ID = "lb-7f3a9c2e.0042_x"


def own_id(value: str) -> bool:
    return str(uuid.UUID(value)) == value


def create_project(client, user, **extra):
    token = api_token_create(user=user, name="t")[1]
    return client.post(
        "/api/v1/projects/",
        {"name": f"请求编号{uuid.uuid4().hex[:6]}", "prospective_investor": "某公司"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        **extra,
    )


def test_a_clients_own_request_id_is_not_written_into_the_audit_trail(client, staff):
    response = create_project(client, staff, HTTP_X_REQUEST_ID=PROXY_ID, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 201
    entry = AuditEntry.objects.latest("pk")
    assert entry.request_id != PROXY_ID and own_id(entry.request_id)
    assert response["X-Request-ID"] == entry.request_id


def test_a_trusted_proxys_well_formed_id_is_kept(client, staff, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24", "::1"]
    response = create_project(client, staff, HTTP_X_REQUEST_ID=PROXY_ID, REMOTE_ADDR="10.0.0.5")
    assert response.status_code == 201
    assert AuditEntry.objects.latest("pk").request_id == PROXY_ID
    assert response["X-Request-ID"] == PROXY_ID


@pytest.mark.parametrize(
    "incoming",
    [
        "short",  # under 8
        "x" * 65,  # over 64
        "abc def 12345",  # space
        "=HYPERLINK(1)",  # formula
        "id\r\nSet-Cookie:x",  # header splitting
        "../../etc/passwd",
        "-leading-dash",
        "编号编号编号编号",
    ],
)
def test_a_malformed_id_is_replaced_even_from_a_trusted_proxy(client, settings, incoming):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    response = client.get("/login/", HTTP_X_REQUEST_ID=incoming, REMOTE_ADDR="10.0.0.5")
    assert own_id(response["X-Request-ID"])


@pytest.mark.parametrize(
    ("remote", "trusted"),
    [
        ("10.0.0.5", True),
        ("10.0.1.5", False),
        ("::ffff:10.0.0.5", True),  # IPv4 on a dual-stack socket
        ("::1", True),
        ("2001:db8::1", False),
        ("", False),
        ("not-an-address", False),
    ],
)
def test_only_listed_proxies_are_trusted(remote, trusted):
    proxies = ["10.0.0.0/24", "::1"]
    assert requestid.from_trusted_proxy(remote, proxies) is trusted
    chosen = requestid.choose(PROXY_ID, remote, proxies)
    assert (chosen == PROXY_ID) is trusted


def test_no_proxy_is_trusted_by_default():
    from django.conf import settings

    assert settings.TRUSTED_PROXIES == []


@pytest.mark.parametrize(
    ("value", "ok"),
    [("10.0.0.5, 192.168.1.0/24 , ::1", True), ("10.0.0.1/24", False), ("proxy.local", False)],
)
def test_trusted_proxies_are_parsed_strictly_from_the_environment(value, ok):
    env = {**os.environ, "TRUSTED_PROXIES": value}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='gaoxin.settings';"
            "from django.conf import settings; print([str(n) for n in settings.TRUSTED_PROXIES])",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    if ok:
        assert result.returncode == 0, result.stderr
        assert "['10.0.0.5/32', '192.168.1.0/24', '::1/128']" in result.stdout
    else:
        assert result.returncode != 0
        assert "TRUSTED_PROXIES" in result.stderr and "is not an IP address" in result.stderr
