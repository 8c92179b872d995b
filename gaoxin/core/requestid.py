"""The current request's id, for log lines and audit entries (no Django imports: logging
configuration loads this before the apps are ready)."""

import logging
import re
import uuid
from collections.abc import Iterable
from contextvars import ContextVar
from ipaddress import IPv4Network, IPv6Network, ip_address, ip_network

current_request_id: ContextVar[str] = ContextVar("current_request_id", default="")

# What a proxy's id may look like: long enough not to collide by chance, short enough for a log
# line, and nothing a log or a spreadsheet could read as markup, a separator or a formula.
WELL_FORMED = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{7,63}")


def from_trusted_proxy(
    remote_addr: str, proxies: Iterable[str | IPv4Network | IPv6Network]
) -> bool:
    """Whether the connection came from one of the reverse proxies listed in TRUSTED_PROXIES."""
    try:
        address = ip_address(remote_addr)
    except ValueError:
        return False
    if address.version == 6 and address.ipv4_mapped is not None:
        address = address.ipv4_mapped  # ::ffff:10.0.0.5 on a dual-stack socket is 10.0.0.5
    return any(address in ip_network(proxy, strict=True) for proxy in proxies)


def choose(incoming: str, remote_addr: str, proxies) -> str:
    """The request's id: the proxy's X-Request-ID when well-formed and really from a trusted
    proxy (so the proxy's and the platform's logs line up); otherwise a new one of our own, so
    a client can never borrow another request's id in the audit trail."""
    if incoming and WELL_FORMED.fullmatch(incoming) and from_trusted_proxy(remote_addr, proxies):
        return incoming
    return str(uuid.uuid4())


class RequestIdLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id.get() or "-"
        return True
