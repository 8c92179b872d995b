"""Two-factor sign-in in tests: an authenticator for a test user, its current code, and a
test client session that gave the second factor."""


def totp_device(user):
    """The user's confirmed authenticator (TOTP), set up if the user has none."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="test phone", confirmed=True)


def otp_code(user) -> str:
    """A code the user's authenticator accepts now. A code is accepted once per 30 seconds,
    so the device forgets the last one used: tests may sign the same person in again."""
    from gaoxin.accounts.twofactor import code_now

    device = totp_device(user)
    type(device).objects.filter(pk=device.pk).update(
        last_t=-1, throttling_failure_count=0, throttling_failure_timestamp=None
    )
    return code_now(device)


def verify_second_factor(session, user) -> None:
    """Make a test client's session one that gave the second factor (as the sign-in page
    does after a right code), for people who need one. Production code never does this."""
    from django_otp import DEVICE_ID_SESSION_KEY, user_has_device

    from gaoxin.accounts import twofactor

    if not (twofactor.is_required(user) or user_has_device(user)):
        return
    device = totp_device(user)
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[twofactor.SESSION_HAS_DEVICE] = True
    session[twofactor.SESSION_VERIFIED_WITH] = device.persistent_id
    session.save()
