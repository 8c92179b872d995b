from django.urls import path

from gaoxin.affairs import views

app_name = "affairs"
urlpatterns = [
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
    path("applications/", views.application_list, name="applications"),
    path("applications/new/", views.application_new, name="application_new"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/act/", views.application_act, name="application_act"),
    path(
        "applications/<int:pk>/files/<int:attachment_pk>/",
        views.material_download,
        name="material_download",
    ),
    path("applications/<int:pk>/notices/<str:kind>/", views.notice, name="notice"),
    path("pre-reviews/", views.pre_review_list, name="pre_reviews"),
    path("pre-reviews/<int:pk>/", views.pre_review_detail, name="pre_review"),
    path("reviews/", views.review_queue, name="reviews"),
    path("statistics/", views.statistics, name="statistics"),
    path("applications/<int:pk>/rate/", views.application_rate, name="application_rate"),
    path("windows/", views.window_list, name="windows"),
    path("windows/<int:pk>/", views.window_detail, name="window"),
    path("appointments/", views.appointment_list, name="appointments"),
    path("appointments/new/", views.appointment_new, name="appointment_new"),
    path("appointments/calendar.ics", views.appointments_ics, name="appointments_ics"),
    path("appointments/<int:pk>/", views.appointment_detail, name="appointment"),
    path("appointments/<int:pk>/act/", views.appointment_act, name="appointment_act"),
    path("appointments/<int:pk>/calendar.ics", views.appointment_ics, name="appointment_ics"),
    path("bundles/", views.bundle_list, name="bundles"),
    path("bundles/<int:pk>/", views.bundle_detail, name="bundle"),
    path("bundle-cases/<int:pk>/", views.bundle_case_detail, name="bundle_case"),
    path("authorizations/", views.authorization_list, name="authorizations"),
    path("authorizations/<int:pk>/", views.authorization_detail, name="authorization"),
    path("ratings/", views.rating_list, name="ratings"),
    path("remediations/<int:pk>/", views.remediation_detail, name="remediation"),
]
