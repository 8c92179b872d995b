"""Routes of single sign-on (public: the provider sends the browser back here). Names as
mozilla-django-oidc reverses them."""

from django.urls import path

from gaoxin.accounts import sso_views

urlpatterns = [
    path(
        "oidc/authenticate/",
        sso_views.OidcStart.as_view(),
        name="oidc_authentication_init",
    ),
    path(
        "oidc/callback/",
        sso_views.OidcCallback.as_view(),
        name="oidc_authentication_callback",
    ),
    path("cas/login/", sso_views.CasLogin.as_view(), name="cas_ng_login"),
]
