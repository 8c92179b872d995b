"""Access tokens of the chat platforms, fetched once and cached (shared cache) until expiry."""

from __future__ import annotations

from collections.abc import Callable

from django.core.cache import cache

# Renew this long before the platform says the token expires (clock skew, slow requests).
MARGIN_SECONDS = 300


def cached_token(key: str, fetch: Callable[[], tuple[str, int]]) -> str:
    token = cache.get(key)
    if token:
        return token
    token, expires_in = fetch()
    cache.set(key, token, timeout=max(expires_in - MARGIN_SECONDS, 60))
    return token


def forget_token(key: str) -> None:
    cache.delete(key)
