from django.urls import path

from gaoxin.core import views

app_name = "core"
urlpatterns = [
    path("audit/", views.audit_log, name="audit_log"),
    path("calendar/", views.calendar, name="calendar"),
    path("notifications/", views.notifications, name="notifications"),
    path("jobs/<int:pk>/", views.job_detail, name="job"),
    path("calendar/year/", views.calendar_year_edit, name="calendar_year_edit"),
]
