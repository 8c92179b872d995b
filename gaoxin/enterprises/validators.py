"""Validation of the unified social credit code (统一社会信用代码, GB 32100-2015)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.cn import uscc as stdnum_uscc
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength
from stdnum.exceptions import ValidationError as StdnumError


def normalize_uscc(value: str) -> str:
    return stdnum_uscc.compact(value or "")


def validate_uscc(value: str) -> None:
    """Refuse a USCC with a message that says what is wrong with it."""
    try:
        stdnum_uscc.validate(value)
    except InvalidLength:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(n)d.")
            % {"n": len(normalize_uscc(value))},
            code="uscc_length",
        ) from None
    except InvalidChecksum:
        raise ValidationError(
            _("The check character (the 18th) does not match: please check the code for a typo."),
            code="uscc_checksum",
        ) from None
    except InvalidFormat:
        raise ValidationError(
            _(
                "Only digits and capital letters (excluding I, O, S, V, Z) may appear in a "
                "unified social credit code."
            ),
            code="uscc_format",
        ) from None
    except StdnumError:
        raise ValidationError(
            _("This is not a valid unified social credit code."), code="uscc_invalid"
        ) from None
