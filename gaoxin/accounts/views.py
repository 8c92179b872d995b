from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from gaoxin.accounts import services, twofactor
from gaoxin.accounts.forms import (
    ApiTokenForm,
    EnrolForm,
    LoginForm,
    PasswordChangeForm,
    SecondFactorForm,
)
from gaoxin.accounts.middleware import sign_in_step
from gaoxin.accounts.models import ApiToken
from gaoxin.accounts.sso import SESSION_PROVIDER
from gaoxin.accounts.sso_views import provider_logout_url
from gaoxin.core.permissions import AUTHENTICATED, permission_required


class LoginView(auth_views.LoginView):
    public = True
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        # A password sign-in always asks for a fresh second factor (accounts.middleware).
        twofactor.on_sign_in(self.request, form.get_user())
        return response

    def get_context_data(self, **kwargs):
        # Single sign-on buttons (accounts/sso_views.py), when switched on.
        return super().get_context_data(**kwargs) | {
            "sso_oidc": settings.OIDC_PROVIDER_NAME if settings.OIDC_ENABLED else "",
            "sso_cas": settings.CAS_PROVIDER_NAME if settings.CAS_ENABLED else "",
        }


class LogoutView(auth_views.LogoutView):
    public = True

    def post(self, request, *args, **kwargs):
        # The platform's session ends here whatever happens; a person signed in through a
        # provider is then sent to end the provider's session too.
        then = provider_logout_url(request, request.session.get(SESSION_PROVIDER))
        response = super().post(request, *args, **kwargs)
        return redirect(then) if then else response


@permission_required("accounts.manage_own_tokens")
def profile(request):
    form = ApiTokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _token, new_token = services.api_token_create(
            user=request.user,
            name=form.cleaned_data["name"],
            expires_in_days=form.cleaned_data["expires_in_days"],
        )
        form = ApiTokenForm()
    tokens = request.user.api_tokens.all()
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "tokens": tokens,
            "new_token": new_token,
            "two_factor": twofactor.confirmed_totp(request.user) is not None,
            "two_factor_required": twofactor.is_required(request.user),
            "recovery_codes_left": twofactor.recovery_codes_left(request.user),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@permission_required("accounts.manage_own_tokens")
def token_revoke(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.api_token_revoke(token=token, by=request.user)
    messages.success(request, _("The token was revoked."))
    return redirect("accounts:profile")


def _next_url(request) -> str:
    """Where to go once a sign-in step is done: the page asked for, if it is ours."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@never_cache
@sensitive_post_parameters("code")
@sign_in_step(twofactor.VERIFY)
@permission_required(AUTHENTICATED)
def two_factor_verify(request):
    """After the password: a code from the authenticator app, or a recovery code."""
    if request.user.is_verified() or not user_has_device(request.user):
        # Nothing to verify: already done in this session, or no authenticator set up.
        return render(
            request,
            "accounts/two_factor_verify.html",
            {"done": request.user.is_verified(), "next": _next_url(request)},
        )
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.second_factor_verify(
                user=request.user, code=form.cleaned_data["code"]
            )
        except ValidationError as error:
            form.add_error("code", error)
        else:
            twofactor.mark_verified(request, device)
            if not isinstance(device, TOTPDevice):
                messages.warning(
                    request,
                    _(
                        "You signed in with a recovery code; %(n)d left. If your phone is lost, "
                        "set up a new authenticator on your account page."
                    )
                    % {"n": twofactor.recovery_codes_left(request.user)},
                )
            return redirect(_next_url(request))
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"form": form, "next": _next_url(request)},
        status=400 if form.errors else 200,
    )


@never_cache
@sensitive_post_parameters("code")
@sign_in_step(twofactor.ENROL)
@permission_required(AUTHENTICATED)
def two_factor_enrol(request):
    """Set up an authenticator app: scan the QR code (or type the secret), confirm with a
    code, then see the recovery codes once. A person already signed in with two factors may
    set up a new one here (a new phone); it replaces the old one when confirmed."""
    user = request.user
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = services.totp_enrol_confirm(user=user, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            twofactor.mark_verified(request, device)
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": codes, "next": _next_url(request), "first_time": True},
            )
    device = services.totp_device_for_enrolment(user=user)
    return render(
        request,
        "accounts/two_factor_enrol.html",
        {
            "form": form,
            "qr_svg": twofactor.qr_svg(device),
            "secret": twofactor.secret_base32(device),
            "required": twofactor.is_required(user),
            "replacing": twofactor.confirmed_totp(user) is not None,
            "next": _next_url(request),
        },
        status=400 if form.errors else 200,
    )


@never_cache
@require_POST
@permission_required(AUTHENTICATED)
def recovery_codes_renew(request):
    try:
        codes = services.recovery_codes_renew(user=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("accounts:profile")
    return render(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "next": resolve_url("accounts:profile"), "first_time": False},
    )


@never_cache
@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@sign_in_step(twofactor.PASSWORD)
@permission_required(AUTHENTICATED)
def password_change(request):
    """Change one's own password: the current one, then a new one that meets the rules."""
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.password_change(user=request.user, new_password=form.cleaned_data["new_password1"])
        update_session_auth_hash(request, request.user)  # this session stays signed in
        messages.success(request, _("Your password was changed."))
        return redirect(_next_url(request))
    return render(
        request,
        "accounts/password_change.html",
        {
            "form": form,
            "forced": request.user.must_change_password,
            "next": _next_url(request),
        },
        status=400 if form.errors else 200,
    )
