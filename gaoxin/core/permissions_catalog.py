"""The list of named permissions, for "what may I do" answers and tests."""

import rules


def all_permissions() -> list[str]:
    return sorted(rules.permissions.permissions)


def granted_permissions(user) -> list[str]:
    return [p for p in all_permissions() if user.has_perm(p)]
