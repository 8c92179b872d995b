"""The resident ID number's rules, written once in talent/idnumbers.py."""

import pytest
from django.core.exceptions import ValidationError

from gaoxin.talent import idnumbers, services
from gaoxin.talent.models import Talent

VALID = "11010519491231002X"


def test_the_check_digit_is_computed_over_the_first_seventeen_digits():
    assert idnumbers.check_digit(VALID[:17]) == "X"
    assert idnumbers.check_digit("37110219850615123") == "6"


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        (VALID, True),
        ("11010519491231002x", True),  # a small x is the same number
        (" 371102198506151236 ", True),  # a Rizhao district stdnum's table lacks
        ("110105194912310021", False),  # wrong check digit
        ("110105194913310028", False),  # no 13th month
        ("990105194912310021", False),  # no such province
        ("110105189912310010", False),  # born before 1900
        ("1101051949123", False),  # too short
        ("", False),
    ],
)
def test_the_rules_of_a_resident_id_number(number, valid):
    assert idnumbers.is_valid(number) is valid


def test_normalise_writes_a_capital_x_and_names_the_field():
    assert idnumbers.normalise_id_number("11010519491231002x") == VALID
    with pytest.raises(ValidationError) as refused:
        idnumbers.normalise_id_number("110105194912310021")
    assert list(refused.value.error_dict) == ["id_number"]


def test_model_and_service_use_the_one_set_of_rules():
    assert services.normalise_id_number is idnumbers.normalise_id_number
    assert Talent(id_number=VALID).id_masked == idnumbers.mask_id_number(VALID)
    assert idnumbers.mask_id_number(VALID) == "1101**********002X"
