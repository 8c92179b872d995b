"""Password policy beyond Django's validators: several character classes (等保 2.0)."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_CLASSES = [
    re.compile(r"[a-z]"),
    re.compile(r"[A-Z]"),
    re.compile(r"[0-9]"),
    re.compile(r"[^a-zA-Z0-9]"),
]


class CharacterClassValidator:
    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        found = sum(1 for pattern in _CLASSES if pattern.search(password))
        if found < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self):
        return _(
            "Your password must contain at least %(n)d of: lowercase letters, uppercase "
            "letters, digits and symbols."
        ) % {"n": self.min_classes}
