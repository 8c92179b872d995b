import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from gaoxin.core.locking import ConflictError
from gaoxin.core.models import AuditEntry
from gaoxin.enterprises import services
from gaoxin.enterprises.models import Enterprise, IndustryCode
from gaoxin.enterprises.validators import validate_uscc
from tests.factories import valid_uscc

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("code", "fragment"),
    [
        ("91371100MA3C4T1K2", "18"),  # one character short
        ("91371100MA3C4T1K2X", "check character"),  # wrong check character
        ("91371100MA3C4T1KIO", "capital letters"),  # I and O are not in the alphabet
    ],
)
def test_invalid_uscc_is_refused_with_a_message_saying_why(code, fragment, settings):
    settings.LANGUAGE_CODE = "en"

    with translation.override("en"), pytest.raises(ValidationError) as error:
        validate_uscc(code)
    assert fragment in error.value.messages[0]


def test_invalid_uscc_message_is_chinese_by_default():
    with pytest.raises(ValidationError) as error:
        validate_uscc("91371100MA3C4T1K2X")
    assert "校验码" in error.value.messages[0]


def test_create_registers_and_audits(staff):
    enterprise = services.enterprise_create(
        by=staff,
        data={
            "name": "日照兴华半导体有限公司",
            "uscc": valid_uscc(1).lower(),
            "industry": IndustryCode.objects.get(code="39"),
        },
        contacts=[{"name": "王经理", "phone": "13912345678"}],
    )
    assert enterprise.uscc == valid_uscc(1)  # normalised to capitals
    entry = AuditEntry.objects.get(
        action="create", object_id=str(enterprise.pk), content_type__model="enterprise"
    )
    assert entry.user == staff
    assert entry.after["name"] == "日照兴华半导体有限公司"
    assert entry.after["industry"] == "39"
    assert enterprise.contacts.get().name == "王经理"


def test_create_with_invalid_uscc_changes_nothing(staff):
    with pytest.raises(ValidationError) as error:
        services.enterprise_create(by=staff, data={"name": "某公司", "uscc": "123"})
    assert "uscc" in error.value.error_dict
    assert not Enterprise.objects.exists()
    assert not AuditEntry.objects.exists()


def test_duplicate_uscc_names_the_enterprise_that_has_it(staff, enterprise):
    with pytest.raises(ValidationError) as error:
        services.enterprise_create(by=staff, data={"name": "另一家", "uscc": enterprise.uscc})
    assert enterprise.name in error.value.error_dict["uscc"][0].messages[0]


def test_update_records_before_and_after(staff, enterprise):
    services.enterprise_update(
        enterprise=enterprise, by=staff, data={"address": "日照高新区北京路1号"}, expected_version=1
    )
    entry = AuditEntry.objects.get(action="update", object_id=str(enterprise.pk))
    assert entry.before["address"] == ""
    assert entry.after["address"] == "日照高新区北京路1号"
    assert [c[0] for c in entry.changes] == ["address"]
    enterprise.refresh_from_db()
    assert enterprise.version == 2


def test_stale_update_is_refused_and_changes_nothing(staff, clerk, enterprise):
    first = Enterprise.objects.get(pk=enterprise.pk)
    second = Enterprise.objects.get(pk=enterprise.pk)
    services.enterprise_update(
        enterprise=first, by=staff, data={"address": "北京路1号"}, expected_version=first.version
    )
    with pytest.raises(ConflictError) as conflict:
        services.enterprise_update(
            enterprise=second, by=clerk, data={"address": "上海路9号"}, expected_version=1
        )
    assert conflict.value.current.address == "北京路1号"
    enterprise.refresh_from_db()
    assert enterprise.address == "北京路1号"
    assert AuditEntry.objects.filter(action="update").count() == 1


def test_enterprise_user_may_correct_the_address_but_not_the_dishonesty_flag(
    enterprise_user, enterprise
):
    services.enterprise_update(
        enterprise=enterprise, by=enterprise_user, data={"address": "新地址"}, expected_version=1
    )
    with pytest.raises(ValidationError) as error:
        services.enterprise_update(
            enterprise=enterprise,
            by=enterprise_user,
            data={"is_dishonest": False},
            expected_version=2,
        )
    assert "is_dishonest" in error.value.error_dict


def test_enterprise_user_cannot_touch_another_enterprise(enterprise_user, other_enterprise):
    with pytest.raises(PermissionDenied):
        services.enterprise_update(
            enterprise=other_enterprise,
            by=enterprise_user,
            data={"address": "x"},
            expected_version=1,
        )


def test_leader_reads_but_cannot_register(leader):
    with pytest.raises(PermissionDenied):
        services.enterprise_create(by=leader, data={"name": "x", "uscc": valid_uscc(5)})


def test_restrict_narrows_enterprise_users_to_their_own(
    enterprise_user, enterprise, other_enterprise, staff
):
    assert list(Enterprise.objects.restrict(enterprise_user)) == [enterprise]
    assert Enterprise.objects.restrict(staff).count() == 2
    assert not Enterprise.objects.restrict(enterprise_user, "delete").exists()
