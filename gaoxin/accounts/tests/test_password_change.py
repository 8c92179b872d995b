"""People change their own password; one an administrator set must be changed first."""

import pytest

from gaoxin.accounts.models import User
from gaoxin.core.models import AuditEntry
from tests.factories import TEST_PASSWORD, UserFactory
from tests.second_factor import otp_code

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Rizhao#Gaoxin2027"


def change(client, old, new, confirm=None, next_url=""):
    return client.post(
        "/accounts/password/",
        {
            "old_password": old,
            "new_password1": new,
            "new_password2": new if confirm is None else confirm,
            "next": next_url,
        },
    )


def assert_no_password_in_the_audit_trail(*passwords):
    for entry in AuditEntry.objects.all():
        text = f"{entry.before} {entry.after}"
        for password in passwords:
            assert password not in text


def test_the_user_menu_links_to_the_password_page(client, staff):
    client.force_login(staff)
    assert 'href="/accounts/password/"' in client.get("/").text
    assert client.get("/accounts/password/").status_code == 200


def test_a_person_changes_their_own_password_with_the_old_one(client, staff):
    client.force_login(staff)
    wrong_old = change(client, "not-my-password", NEW_PASSWORD)
    assert wrong_old.status_code == 400
    assert "旧密码不正确" in wrong_old.text
    staff.refresh_from_db()
    assert staff.check_password(TEST_PASSWORD)

    response = change(client, TEST_PASSWORD, NEW_PASSWORD)
    assert response.status_code == 302 and response.url == "/"
    staff.refresh_from_db()
    assert staff.check_password(NEW_PASSWORD)
    assert client.get("/").status_code == 200  # this session stays signed in
    entry = AuditEntry.objects.filter(object_id=str(staff.pk)).latest("seq")
    assert entry.user == staff
    assert entry.after == {"password": "changed by the user", "must_change_password": False}
    assert_no_password_in_the_audit_trail(TEST_PASSWORD, NEW_PASSWORD, staff.password)

    client.post("/logout/")
    assert (
        client.post("/login/", {"username": staff.username, "password": NEW_PASSWORD}).status_code
        == 302
    )


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("Ab1!xY", "密码长度太短，至少需要 10 个字符"),
        ("alllowercaseletters", "至少包含"),
        ("1234567890123", "全都是数字"),
        (TEST_PASSWORD, "与当前密码不同"),
    ],
)
def test_the_strength_rules_apply_and_the_password_must_change(client, staff, new, message):
    client.force_login(staff)
    response = change(client, TEST_PASSWORD, new)
    assert response.status_code == 400
    assert message in response.text
    staff.refresh_from_db()
    assert staff.check_password(TEST_PASSWORD)
    assert not AuditEntry.objects.filter(object_id=str(staff.pk)).exists()


def test_the_two_new_passwords_must_match(client, staff):
    client.force_login(staff)
    response = change(client, TEST_PASSWORD, NEW_PASSWORD, confirm=NEW_PASSWORD + "x")
    assert response.status_code == 400
    staff.refresh_from_db()
    assert staff.check_password(TEST_PASSWORD)


def test_an_account_an_admin_creates_must_change_its_password_first(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        "/admin/accounts/user/add/",
        {
            "username": "new_clerk",
            "password1": "Initial#Pass2026",
            "password2": "Initial#Pass2026",
            "usable_password": "true",
            "role": "clerk",
            "full_name": "新窗口",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    user = User.objects.get(username="new_clerk")
    assert user.must_change_password

    other = type(client)()
    other.post("/login/", {"username": "new_clerk", "password": "Initial#Pass2026"})
    for path in ("/", "/affairs/applications/", "/accounts/profile/"):
        held = other.get(path)
        assert held.status_code == 302 and held.url.startswith("/accounts/password/"), path
    assert other.get("/api/v1/accounts/me").status_code == 401
    page = other.get("/accounts/password/?next=/accounts/profile/")
    assert 'data-testid="must-change-password"' in page.text
    done = change(other, "Initial#Pass2026", NEW_PASSWORD, next_url="/accounts/profile/")
    assert done.status_code == 302 and done.url == "/accounts/profile/"
    user.refresh_from_db()
    assert not user.must_change_password
    assert other.get("/").status_code == 200
    assert_no_password_in_the_audit_trail("Initial#Pass2026", NEW_PASSWORD)


def test_a_password_an_admin_sets_must_be_changed_and_is_audited(client, admin_user, staff):
    client.force_login(admin_user)
    response = client.post(
        f"/admin/accounts/user/{staff.pk}/password/",
        {"password1": "Reset#Pass2026x", "password2": "Reset#Pass2026x", "usable_password": "true"},
    )
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.check_password("Reset#Pass2026x")
    assert staff.must_change_password
    entry = AuditEntry.objects.filter(object_id=str(staff.pk)).latest("seq")
    assert entry.user == admin_user
    assert entry.after == {"password": "set by an administrator", "must_change_password": True}
    assert_no_password_in_the_audit_trail("Reset#Pass2026x")

    staff_client = type(client)()
    staff_client.post("/login/", {"username": staff.username, "password": "Reset#Pass2026x"})
    assert staff_client.get("/").url.startswith("/accounts/password/")


def test_an_admin_setting_their_own_password_need_not_change_it_again(client, admin_user):
    client.force_login(admin_user)
    client.post(
        f"/admin/accounts/user/{admin_user.pk}/password/",
        {"password1": "Mine#Pass2026xy", "password2": "Mine#Pass2026xy", "usable_password": "true"},
    )
    admin_user.refresh_from_db()
    assert admin_user.check_password("Mine#Pass2026xy")
    assert not admin_user.must_change_password


def test_the_second_factor_comes_before_the_password_change(client):
    leader = UserFactory(username="new_leader", role="leader", must_change_password=True)
    code = otp_code(leader)
    client.post("/login/", {"username": leader.username, "password": TEST_PASSWORD})
    assert client.get("/").url.startswith("/accounts/two-factor/")
    assert client.get("/accounts/password/").url.startswith("/accounts/two-factor/")
    client.post("/accounts/two-factor/", {"code": code})
    assert client.get("/").url.startswith("/accounts/password/")
    change(client, TEST_PASSWORD, NEW_PASSWORD)
    assert client.get("/").status_code == 200
