"""Django's PostgreSQL backend, with a cheaper connection health check.

With CONN_HEALTH_CHECKS on (settings), Django checks a kept connection before each request
uses it with ``SELECT 1`` — a round trip on every request, a third of a one-query API read's
database time (docs/performance.md). A connection the server or the network closed (a
restart, an outage, an idle timeout) has its socket readable while it is idle — the server's
last message or the end of the stream — whereas a healthy idle connection has nothing to
read. So: nothing to read, usable; anything to read, Django's own ``SELECT 1`` decides.
tests/test_outage.py cuts the connection under load and checks the recovery."""

import select

from django.db.backends.postgresql import base
from psycopg.pq import ConnStatus, TransactionStatus

__all__ = ["DatabaseWrapper"]


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self):
        if self.connection is None:
            return False
        pgconn = self.connection.pgconn
        if (
            self.connection.closed
            or pgconn.status != ConnStatus.OK
            or pgconn.transaction_status != TransactionStatus.IDLE
        ):
            return super().is_usable()
        try:
            poller = select.poll()  # not select(): no limit on the descriptor's number
            poller.register(pgconn.socket, select.POLLIN | select.POLLERR | select.POLLHUP)
            readable = poller.poll(0)
        except (OSError, ValueError):
            return super().is_usable()
        return super().is_usable() if readable else True
