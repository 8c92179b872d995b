from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from gaoxin.accounts.views import LoginView, LogoutView
from gaoxin.api import api
from gaoxin.core import views as core_views
from gaoxin.core.permissions import public
from gaoxin.portal import profile as portal_profile
from gaoxin.portal import views as portal_views

urlpatterns = [
    path("", portal_views.home, name="home"),
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", public(set_language), name="set_language"),
    path("accounts/", include("gaoxin.accounts.urls")),
    path(
        "enterprises/<int:pk>/profile/",
        portal_profile.enterprise_profile,
        name="enterprise_profile",
    ),
    path("enterprises/", include("gaoxin.enterprises.urls")),
    path("policies/", include("gaoxin.policies.urls")),
    path("visits/", include("gaoxin.visits.urls")),
    path("projects/", include("gaoxin.projects.urls")),
    path("dispatch/", include("gaoxin.dispatch.urls")),
    path("cockpit/", include("gaoxin.cockpit.urls")),
    path("affairs/", include("gaoxin.affairs.urls")),
    path("spaces/", include("gaoxin.spaces.urls")),
    path("platforms/", include("gaoxin.platforms.urls")),
    path("talent/", include("gaoxin.talent.urls")),
    path("delivery/", include("gaoxin.delivery.urls")),
    path("platform/", include("gaoxin.core.urls")),
    path("notifications/", include("gaoxin.notifications.urls")),
    path("sso/", include("gaoxin.accounts.sso_urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]

handler400 = core_views.error_400
handler403 = core_views.error_403
handler404 = core_views.error_404
handler500 = core_views.error_500
