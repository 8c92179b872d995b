"""The health check without a round trip (core/postgresql): a healthy idle connection is
usable without a query; one the server closed is found unusable, so Django reconnects."""

import time

import psycopg
import pytest
from django.db import connection

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_healthy_idle_connection_is_usable_without_a_round_trip(monkeypatch):
    connection.ensure_connection()
    sent = []
    monkeypatch.setattr(
        type(connection.connection),
        "cursor",
        lambda *a, **k: sent.append("query") or pytest.fail("no query expected"),
    )
    assert connection.is_usable()
    assert sent == []


def test_a_connection_the_server_closed_is_unusable_and_replaced():
    connection.ensure_connection()
    pid = connection.connection.info.backend_pid
    params = connection.get_connection_params()
    try:
        with psycopg.connect(**{**params, "autocommit": True}) as other:
            other.execute("SELECT pg_terminate_backend(%s)", [pid])
        # pg_terminate_backend only signals: the backend says goodbye a moment later.
        deadline = time.monotonic() + 5
        while connection.is_usable() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert not connection.is_usable()
        # Django's own check before a request's first query closes it; the query reconnects.
        connection.health_check_done = False
        connection.close_if_health_check_failed()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            assert cursor.fetchone()[0] != pid
    finally:
        if not connection.is_usable():  # never leave a dead connection to the next test
            connection.close()
