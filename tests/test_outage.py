"""PostgreSQL going away while requests flow: quick 503s, no hang, recovery without a restart,
and no acknowledged write lost.

The outage is made with a TCP proxy between the application server and PostgreSQL (cut, then
restored), so the machine's database server keeps running for the rest of the suite.
"""

import contextlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from gaoxin.accounts.services import api_token_create
from gaoxin.enterprises.models import Enterprise
from tests.factories import valid_uscc

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parent.parent


class Proxy:
    """Forwards 127.0.0.1:<port> to PostgreSQL until cut."""

    def __init__(self, upstream: tuple[str, int]):
        self.upstream = upstream
        self.port = self._free_port()
        self.sockets: list[socket.socket] = []
        self.lock = threading.Lock()
        self.listener = None
        self.start()

    @staticmethod
    def _free_port() -> int:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            return s.getsockname()[1]

    def start(self) -> None:
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", self.port))
        self.listener.listen(50)
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def _accept(self, listener) -> None:
        while True:
            try:
                client, _addr = listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self.upstream)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.sockets += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source, target) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            for s in (source, target):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        # Wakes the thread blocked in accept(), so the port really stops listening.
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        with self.lock:
            for s in self.sockets:
                try:
                    s.shutdown(socket.SHUT_RDWR)
                    s.close()
                except OSError:
                    pass
            self.sockets = []


def call(url, token, method="GET", body=None, timeout=20):
    request = urllib.request.Request(
        url,
        method=method,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        data=json.dumps(body).encode() if body is not None else None,
    )
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            status, payload = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, payload = error.code, error.read()
    return status, payload, time.monotonic() - started


def test_database_outage_gives_quick_503s_and_the_app_recovers(staff):
    settings = connection.settings_dict
    _t, token = api_token_create(user=staff, name="outage")
    proxy = Proxy((settings.get("HOST") or "127.0.0.1", int(settings.get("PORT") or 5432)))
    port = Proxy._free_port()
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "outage-test-" + "s" * 40,
        "SECURE": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"postgres://{settings['USER']}@127.0.0.1:{proxy.port}/{settings['NAME']}",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "runserver",
            f"127.0.0.1:{port}",
            "--noreload",
            "--skip-checks",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/api/v1/enterprises/"
    acknowledged = []
    try:
        for _ in range(100):
            try:
                if call(base, token, timeout=2)[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)

        def write(n):
            status, payload, _s = call(
                base, token, "POST", {"name": f"停机测试{n}", "uscc": valid_uscc(7000 + n)}
            )
            if status == 201:
                acknowledged.append(json.loads(payload)["id"])
            return status

        assert [write(n) for n in range(3)] == [201, 201, 201]

        proxy.cut()
        during = [call(base, token) for _ in range(3)] + [(write(10), b"", 0), (write(11), b"", 0)]
        for status, payload, seconds in during:
            assert status == 503, (status, payload[:200])
            assert seconds < 10, "a request hung during the outage"
        assert json.loads(during[0][1])["message"]

        proxy.start()
        recovered = [call(base, token)[0] for _ in range(3)]
        assert recovered[-1] == 200, recovered
        assert write(20) == 201
    finally:
        server.terminate()
        server.wait(timeout=20)
        proxy.cut()
    assert set(Enterprise.objects.filter(pk__in=acknowledged).values_list("pk", flat=True)) == set(
        acknowledged
    )
    assert len(acknowledged) == 4
    assert not Enterprise.objects.filter(name__in=["停机测试10", "停机测试11"]).exists()
