"""Channel adapters: one interface (``send(delivery) -> Sent``) per way of reaching people.

``adapter_for(channel)`` picks the adapter the deployment configured (settings; base URLs are
settings too, so a government proxy can stand in front of every provider).
"""

from gaoxin.notifications.channels.base import (
    Adapter,
    PermanentError,
    Sent,
    TemporaryError,
    adapter_for,
)

__all__ = ["Adapter", "PermanentError", "Sent", "TemporaryError", "adapter_for"]
