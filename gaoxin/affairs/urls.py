from django.urls import path

from gaoxin.affairs import views

app_name = "affairs"
urlpatterns = [
    # catalogue
    path("items/", views.item_list, name="items"),
    path("items/import/", views.item_import, name="item_import"),
    path("items/new/", views.item_new, name="item_new"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("items/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path(
        "items/<int:pk>/materials/<int:material_pk>/template/",
        views.material_template,
        name="material_template",
    ),
    # filing
    path("applications/", views.application_list, name="applications"),
    path("applications/new/", views.application_new, name="application_new"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/upload/", views.application_upload, name="application_upload"),
    path("applications/<int:pk>/submit/", views.application_submit, name="application_submit"),
    path(
        "applications/<int:pk>/files/<int:attachment_pk>/",
        views.material_download,
        name="material_download",
    ),
    path("applications/<int:pk>/notices/<str:kind>/", views.notice, name="notice"),
    # intake
    path("applications/<int:pk>/accept/", views.application_accept, name="application_accept"),
    path("applications/<int:pk>/refuse/", views.application_refuse, name="application_refuse"),
    path(
        "applications/<int:pk>/intake-supplement/",
        views.application_intake_supplement,
        name="application_intake_supplement",
    ),
    # pauses
    path("applications/<int:pk>/supply/", views.application_supply, name="application_supply"),
    path(
        "applications/<int:pk>/exclusions/",
        views.application_exclude,
        name="application_exclude",
    ),
    path(
        "applications/<int:pk>/exclusions/end/",
        views.application_exclusion_end,
        name="application_exclusion_end",
    ),
    path("applications/<int:pk>/extend/", views.application_extend, name="application_extend"),
    # decisions
    path("applications/<int:pk>/review/", views.application_review, name="application_review"),
    path(
        "applications/<int:pk>/commitment/supply/",
        views.application_commitment_supply,
        name="application_commitment_supply",
    ),
    path(
        "applications/<int:pk>/commitment/check/",
        views.application_commitment_check,
        name="application_commitment_check",
    ),
    path("applications/<int:pk>/close/", views.application_close, name="application_close"),
    path("reviews/", views.review_queue, name="reviews"),
    # prereview
    path("pre-reviews/", views.pre_review_list, name="pre_reviews"),
    path("pre-reviews/<int:pk>/", views.pre_review_detail, name="pre_review"),
    path("pre-reviews/<int:pk>/opinion/", views.pre_review_opinion, name="pre_review_opinion"),
    path("pre-reviews/<int:pk>/conclude/", views.pre_review_conclude, name="pre_review_conclude"),
    # statistics
    path("statistics/", views.statistics, name="statistics"),
    # windows and appointments
    path("windows/", views.window_list, name="windows"),
    path("windows/<int:pk>/", views.window_detail, name="window"),
    path("appointments/", views.appointment_list, name="appointments"),
    path("appointments/new/", views.appointment_new, name="appointment_new"),
    path("appointments/calendar.ics", views.appointments_ics, name="appointments_ics"),
    path("appointments/<int:pk>/", views.appointment_detail, name="appointment"),
    path("appointments/<int:pk>/cancel/", views.appointment_cancel, name="appointment_cancel"),
    path(
        "appointments/<int:pk>/reschedule/",
        views.appointment_reschedule,
        name="appointment_reschedule",
    ),
    path(
        "appointments/<int:pk>/check-in/",
        views.appointment_check_in,
        name="appointment_check_in",
    ),
    path("appointments/<int:pk>/calendar.ics", views.appointment_ics, name="appointment_ics"),
    # bundles
    path("bundles/", views.bundle_list, name="bundles"),
    path("bundles/<int:pk>/", views.bundle_detail, name="bundle"),
    path("bundle-cases/<int:pk>/", views.bundle_case_detail, name="bundle_case"),
    # agency
    path("authorizations/", views.authorization_list, name="authorizations"),
    path("authorizations/<int:pk>/", views.authorization_detail, name="authorization"),
    # ratings
    path("applications/<int:pk>/rate/", views.application_rate, name="application_rate"),
    path("ratings/", views.rating_list, name="ratings"),
    path("remediations/<int:pk>/", views.remediation_detail, name="remediation"),
    path("remediations/<int:pk>/reply/", views.remediation_reply, name="remediation_reply"),
    path("remediations/<int:pk>/visit/", views.remediation_visit, name="remediation_visit"),
]
