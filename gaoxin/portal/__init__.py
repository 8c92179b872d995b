"""The portal: each role's home page and the enterprise portal, above the domain apps.

It reads what the domains offer (their selectors and rule modules) and writes nothing; no
domain app imports it.
"""

__all__: list[str] = []
