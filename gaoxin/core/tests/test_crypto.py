"""Personal data encrypted at rest: ID numbers and phones are ciphertext in the database and
in backups, found through their blind index, unique where they must be, masked in the audit
trail and on screen, and readable after a key rotation; a wrong key is an error, never
garbage."""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import os
from io import StringIO

import pytest
from django.contrib.admin import site
from django.core.exceptions import FieldError, ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test import RequestFactory
from gmssl import func as gmssl_func
from gmssl import sm3 as gmssl_sm3
from gmssl import sm4 as gmssl_sm4

from gaoxin.accounts import services as account_services
from gaoxin.accounts.models import User
from gaoxin.core import crypto
from gaoxin.core.backup import backup, restore
from gaoxin.core.fields import SealedStr
from gaoxin.core.models import AuditEntry
from gaoxin.enterprises import services as enterprise_services
from gaoxin.enterprises.models import EnterpriseContact
from gaoxin.projects import services as project_services
from gaoxin.projects.models import Project
from gaoxin.talent import services as talent_services
from gaoxin.talent import views as talent_views
from gaoxin.talent.models import Talent

pytestmark = pytest.mark.django_db

ID = "11010519491231002X"
PHONE = "13906330001"
CONTACT_PHONE = "13912345678"
INVESTOR_PHONE = "13987654321"
USER_PHONE = "13806331111"


def _key() -> bytes:
    return os.urandom(crypto.KEY_BYTES)


def _raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


@pytest.fixture
def keys(settings):
    """Fresh keys for the test, so a rotation can name them."""
    settings.FIELD_ENCRYPTION_KEYS = [("a", _key())]
    settings.FIELD_HASH_KEYS = [("ha", _key())]
    return settings


@pytest.fixture
def people(keys, commissioner, staff, enterprise):
    talent = talent_services.talent_create(
        by=commissioner,
        data={"name": "张博士", "id_number": ID, "phone": PHONE, "arrived_on": dt.date(2026, 3, 1)},
    )
    contact = enterprise_services.contact_add(
        enterprise=enterprise, by=staff, data={"name": "王经理", "phone": CONTACT_PHONE}
    )
    project = project_services.project_create(
        by=staff,
        data={"name": "加密项目", "enterprise": enterprise, "contact_phone": INVESTOR_PHONE},
    )
    user = account_services.user_create(
        by=None, username="phone_owner", password="Test-Passw0rd!", role="staff", phone=USER_PHONE
    )
    return {"talent": talent, "contact": contact, "project": project, "user": user}


COLUMNS = [
    ("talent_talent", "id_number", "talent", ID),
    ("talent_talent", "phone", "talent", PHONE),
    ("enterprises_enterprisecontact", "phone", "contact", CONTACT_PHONE),
    ("projects_project", "contact_phone", "project", INVESTOR_PHONE),
    ("accounts_user", "phone", "user", USER_PHONE),
]


# --- the algorithms ---------------------------------------------------------------------


def test_sm4_and_sm3_give_the_standards_example_values():
    # GB/T 32907-2016 appendix A.1: key = plaintext = 0123456789abcdeffedcba9876543210.
    block = bytes.fromhex("0123456789abcdeffedcba9876543210")
    cipher = gmssl_sm4.CryptSM4()
    cipher.set_key(block, gmssl_sm4.SM4_ENCRYPT)
    # The first block is the standard's example (the second is gmssl's padding block).
    assert cipher.crypt_ecb(block)[:16].hex() == "681edf34d206965e86b3e94f536e4246"
    # GB/T 32905-2016 appendix A.1: SM3("abc"), from gmssl and from cryptography alike.
    abc = "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    assert gmssl_sm3.sm3_hash(gmssl_func.bytes_to_list(b"abc")) == abc
    # HMAC-SM3 (RFC 2104 over SM3) from cryptography equals one built on gmssl's SM3.
    key, message = b"k" * 32, b"gaoxin"
    ipad = bytes(b ^ 0x36 for b in key.ljust(64, b"\0"))
    opad = bytes(b ^ 0x5C for b in key.ljust(64, b"\0"))
    inner = bytes.fromhex(gmssl_sm3.sm3_hash(gmssl_func.bytes_to_list(ipad + message)))
    outer = gmssl_sm3.sm3_hash(gmssl_func.bytes_to_list(opad + inner))
    assert crypto.hmac_sm3(key, message).hex() == outer


@pytest.mark.parametrize("algorithm", ["sm4", "aes-256-gcm"])
@pytest.mark.parametrize("plain", [ID, PHONE, "张三 +86 (0633) 1234", "x" * 80])
def test_both_algorithms_round_trip(keys, algorithm, plain):
    keys.FIELD_ENCRYPTION_ALGORITHM = algorithm
    first = crypto.seal(plain, context="talent.talent.phone")
    second = crypto.seal(plain, context="talent.talent.phone")
    tag = {"sm4": "sm4", "aes-256-gcm": "aes"}[algorithm]
    assert first.startswith(f"enc1:{tag}:a:")
    assert first != second  # a fresh IV or nonce every time: equal values do not show
    assert plain not in first
    assert crypto.unseal(first, context="talent.talent.phone") == plain
    # Bound to its column: the same ciphertext pasted into another column does not open.
    with pytest.raises(crypto.FieldDecryptionError, match="integrity check"):
        crypto.unseal(first, context="accounts.user.phone")


def test_a_changed_algorithm_leaves_older_values_readable(keys, commissioner):
    talent = talent_services.talent_create(
        by=commissioner, data={"name": "甲", "id_number": ID, "arrived_on": dt.date(2026, 3, 1)}
    )
    keys.FIELD_ENCRYPTION_ALGORITHM = "aes-256-gcm"
    assert Talent.objects.get(pk=talent.pk).id_number == ID
    assert Talent.objects.filter(id_number_hash__matches=ID).get() == talent  # an SM3 index
    call_command("rotate_field_key", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert _raw("talent_talent", "id_number", talent.pk).startswith("enc1:aes:a:")
    assert _raw("talent_talent", "id_number_hash", talent.pk).startswith("sha256:ha:")
    assert Talent.objects.filter(id_number_hash__matches=ID).get().id_number == ID


# --- what the database holds ------------------------------------------------------------


def test_the_raw_columns_hold_no_plain_id_number_or_phone(people):
    for table, column, owner, plain in COLUMNS:
        stored = _raw(table, column, people[owner].pk)
        assert stored.startswith("enc1:sm4:a:"), (table, column)
        assert plain not in stored and plain[-4:] not in stored.split(":")[2]
        digest = _raw(table, f"{column}_hash", people[owner].pk)
        assert digest.startswith("sm3:ha:") and plain not in digest
    # Python code sees the plain values.
    talent = Talent.objects.get(pk=people["talent"].pk)
    assert (talent.id_number, talent.phone, talent.id_masked) == (ID, PHONE, "1101**********002X")
    assert Project.objects.get(pk=people["project"].pk).contact_phone == INVESTOR_PHONE


def test_a_backup_holds_ciphertext_only_and_restores_every_value(people, tmp_path):
    path = tmp_path / "backup.json.gz"
    backup(path)
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        text = fh.read()
    for _table, _column, _owner, plain in COLUMNS:
        assert plain not in text
    assert "enc1:sm4:a:" in text
    restore(path)  # checksums compared: the same ciphertext went back
    assert Talent.objects.get(id_number_hash__matches=ID).phone == PHONE
    assert User.objects.get(phone_hash__matches=USER_PHONE).username == "phone_owner"


def test_the_audit_trail_records_personal_data_masked(people):
    entry = AuditEntry.objects.filter(object_id=str(people["talent"].pk), action="create").last()
    assert entry.after["id_number"] == "1101**********002X"
    assert entry.after["phone"] == "139****0001"
    assert "id_number_hash" not in entry.after and "phone_hash" not in entry.after
    contact = AuditEntry.objects.filter(
        content_type__model="enterprisecontact", object_id=str(people["contact"].pk)
    ).last()
    assert contact.after["phone"] == "139****5678"


# --- lookups and uniqueness -------------------------------------------------------------


def test_exact_lookup_goes_through_the_blind_index(people):
    assert Talent.objects.get(id_number_hash__matches="11010519491231002x") == people["talent"]
    assert Talent.objects.get(phone_hash__matches=" 139 0633 0001 ") == people["talent"]
    assert EnterpriseContact.objects.filter(phone_hash__matches=CONTACT_PHONE).count() == 1
    assert Project.objects.filter(contact_phone_hash__matches=INVESTOR_PHONE).count() == 1
    assert not Talent.objects.filter(id_number_hash__matches="110105194912310037").exists()
    # Asking the encrypted column itself is refused, with the way that works.
    with pytest.raises(FieldError, match="id_number_hash__matches"):
        list(Talent.objects.filter(id_number=ID))
    with pytest.raises(FieldError, match="encrypted"):
        list(User.objects.filter(phone__icontains="1380"))
    # "No phone given" is still a question the column answers.
    assert Talent.objects.filter(phone="").count() == 0


def test_the_talent_id_number_stays_unique(people, commissioner):
    with pytest.raises(ValidationError, match="该身份证号的人才已登记"):
        talent_services.talent_create(
            by=commissioner,
            data={"name": "同一人", "id_number": ID.lower(), "arrived_on": dt.date(2026, 3, 2)},
        )
    # And the database itself refuses a second row with the same number.
    with pytest.raises(IntegrityError), transaction.atomic():
        Talent.objects.create(name="绕过服务", id_number=ID, arrived_on=dt.date(2026, 3, 2))
    assert Talent.objects.count() == 1


def test_a_partial_update_keeps_the_lookup_hash_in_step(people, staff):
    project = people["project"]
    project_services.project_update(
        project=project,
        by=staff,
        data={"contact_phone": "13700000000"},
        expected_version=project.version,
    )
    assert Project.objects.filter(contact_phone_hash__matches="13700000000").get() == project
    assert not Project.objects.filter(contact_phone_hash__matches=INVESTOR_PHONE).exists()
    talent = people["talent"]
    talent.phone = "13600000000"
    with pytest.raises(FieldError, match="without its blind index"):
        talent.save(update_fields=["phone"])


def test_a_pasted_ciphertext_is_not_taken_as_a_value(people):
    stored = _raw("enterprises_enterprisecontact", "phone", people["contact"].pk)
    contact = EnterpriseContact(enterprise=people["contact"].enterprise, name="冒用", phone=stored)
    with pytest.raises(ValidationError) as error:
        contact.full_clean()
    assert "phone" in error.value.message_dict


# --- keys -------------------------------------------------------------------------------


def test_key_rotation_keeps_every_value_readable(people, keys, commissioner):
    old_key, old_hash = keys.FIELD_ENCRYPTION_KEYS[0], keys.FIELD_HASH_KEYS[0]
    keys.FIELD_ENCRYPTION_KEYS = [("b", _key()), old_key]
    keys.FIELD_HASH_KEYS = [("hb", _key()), old_hash]
    # Before the command: old values read and are found; new ones use the new keys, and the
    # uniqueness check sees an ID number stored under either hash key.
    assert Talent.objects.get(id_number_hash__matches=ID).phone == PHONE
    newcomer = talent_services.talent_create(
        by=commissioner,
        data={"name": "新人", "id_number": "110105199001010037", "arrived_on": dt.date(2026, 4, 1)},
    )
    assert _raw("talent_talent", "id_number", newcomer.pk).startswith("enc1:sm4:b:")
    with pytest.raises(ValidationError, match="该身份证号的人才已登记"):
        talent_services.talent_create(
            by=commissioner,
            data={"name": "同一人", "id_number": ID, "arrived_on": dt.date(2026, 4, 1)},
        )

    out = StringIO()
    call_command("rotate_field_key", stdout=out)
    for table, column, owner, _plain in COLUMNS:
        assert _raw(table, column, people[owner].pk).startswith("enc1:sm4:b:")
        assert _raw(table, f"{column}_hash", people[owner].pk).startswith("sm3:hb:")

    # The old keys can go: everything reads and is found with the new ones alone.
    keys.FIELD_ENCRYPTION_KEYS = keys.FIELD_ENCRYPTION_KEYS[:1]
    keys.FIELD_HASH_KEYS = keys.FIELD_HASH_KEYS[:1]
    talent = Talent.objects.get(id_number_hash__matches=ID)
    assert (talent.id_number, talent.phone) == (ID, PHONE)
    assert EnterpriseContact.objects.get(phone_hash__matches=CONTACT_PHONE).phone == CONTACT_PHONE
    assert (
        Project.objects.get(contact_phone_hash__matches=INVESTOR_PHONE).pk == people["project"].pk
    )
    assert User.objects.get(phone_hash__matches=USER_PHONE).phone == USER_PHONE


def test_a_wrong_key_fails_loudly_naming_the_field_and_key(people, keys):
    keys.FIELD_ENCRYPTION_KEYS = [("a", _key())]  # the id the values name, another key
    with pytest.raises(crypto.FieldDecryptionError) as error:
        Talent.objects.get(pk=people["talent"].pk)
    assert "talent.talent.id_number" in str(error.value) and "'a'" in str(error.value)
    with pytest.raises(CommandError, match=r"#\d+: .*'a'.*integrity check"):
        call_command("rotate_field_key", stdout=open(os.devnull, "w"))  # noqa: SIM115

    keys.FIELD_ENCRYPTION_KEYS = [("z", _key())]  # the values' key is not configured at all
    with pytest.raises(crypto.FieldDecryptionError, match=r"key 'a', which is not in"):
        Talent.objects.get(pk=people["talent"].pk)


def test_an_altered_value_fails_its_integrity_check(people):
    stored = _raw("talent_talent", "phone", people["talent"].pk)
    header, payload = stored.rsplit(":", 1)
    data = bytearray(base64.b64decode(payload))
    data[20] ^= 1
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE talent_talent SET phone = %s WHERE id = %s",
            [f"{header}:{base64.b64encode(bytes(data)).decode()}", people["talent"].pk],
        )
    with pytest.raises(crypto.FieldDecryptionError, match="altered"):
        Talent.objects.get(pk=people["talent"].pk)


def test_key_settings_are_parsed_strictly(tmp_path):
    good = base64.b64encode(b"k" * 32).decode()
    assert crypto.parse_key_list("FIELD_ENCRYPTION_KEYS", f"new:{good}, old:{good}") == [
        ("new", b"k" * 32),
        ("old", b"k" * 32),
    ]
    for raw, message in [
        ("", "holds no key"),
        (good, "not a key id"),
        ("a:" + base64.b64encode(b"short").decode(), "needs 32"),
        (f"a:{good},a:{good}", "listed twice"),
        ("a:!!!", "not base64"),
    ]:
        with pytest.raises(ValueError, match=message) as error:
            crypto.parse_key_list("FIELD_HASH_KEYS", raw)
        assert "FIELD_HASH_KEYS" in str(error.value)
    # The demo's key file: made once, private, and read back the same.
    path = tmp_path / "var" / "field-keys"
    first = crypto.local_key_file(path)
    assert crypto.local_key_file(path) == first
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert len(crypto.parse_key_list("x", first["FIELD_ENCRYPTION_KEYS"])) == 1
    assert first["FIELD_ENCRYPTION_KEYS"] != first["FIELD_HASH_KEYS"]


def test_a_sealed_value_remembers_its_ciphertext(people):
    talent = Talent.objects.get(pk=people["talent"].pk)
    assert isinstance(talent.phone, SealedStr)
    before = _raw("talent_talent", "phone", talent.pk)
    talent.save()
    assert _raw("talent_talent", "phone", talent.pk) == before  # unchanged: not rewritten


# --- on screen --------------------------------------------------------------------------


def test_phones_are_masked_on_screen_except_for_those_who_need_them(
    client, people, admin_user, commissioner, staff
):
    talent = people["talent"]
    client.force_login(commissioner)
    page = client.get(f"/talent/talents/{talent.pk}/").text
    assert PHONE in page and ID not in page and "1101**********002X" in page
    # The administrator (rendered directly: its sign-in needs a second factor first).
    request = RequestFactory().get(f"/talent/talents/{talent.pk}/")
    request.user = admin_user
    page = talent_views.talent_detail(request, pk=talent.pk).content.decode()
    assert PHONE not in page and "139****0001" in page and ID not in page
    client.force_login(staff)
    page = client.get(f"/projects/{people['project'].pk}/").text
    assert INVESTOR_PHONE not in page and "139****4321" in page


# --- the data migration ---------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_encrypts_rows_stored_in_plain_and_back():
    plain_state = [("talent", "0001_talent_programme")]
    executor = MigrationExecutor(connection)
    executor.migrate(plain_state)
    try:
        old = executor.loader.project_state(plain_state).apps.get_model("talent", "Talent")
        row = old.objects.create(
            name="旧档案", id_number=ID, phone=PHONE, arrived_on=dt.date(2025, 1, 2)
        )
        assert _raw("talent_talent", "id_number", row.pk) == ID  # as it was stored before
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert _raw("talent_talent", "id_number", row.pk).startswith("enc1:")
    assert ID not in _raw("talent_talent", "id_number", row.pk)
    assert PHONE not in _raw("talent_talent", "phone", row.pk)
    talent = Talent.objects.get(id_number_hash__matches=ID)
    assert (talent.pk, talent.id_number, talent.phone) == (row.pk, ID, PHONE)
    # And back: the reverse migration decrypts, so a rollback loses nothing.
    executor = MigrationExecutor(connection)
    executor.migrate(plain_state)
    try:
        assert _raw("talent_talent", "id_number", row.pk) == ID
        assert _raw("talent_talent", "phone", row.pk) == PHONE
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


def test_the_admin_finds_a_user_by_the_whole_mobile_number(people, admin_user):
    user_admin = site._registry[User]
    request = RequestFactory().get("/admin/accounts/user/", {"q": USER_PHONE})
    request.user = admin_user
    found, _ = user_admin.get_search_results(request, User.objects.all(), USER_PHONE)
    assert list(found) == [people["user"]]
    # Part of a number finds nothing (it is not stored in the clear), and does not fail.
    found, _ = user_admin.get_search_results(request, User.objects.all(), USER_PHONE[:7])
    assert people["user"] not in found
