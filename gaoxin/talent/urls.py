from django.urls import path

from gaoxin.talent import views

app_name = "talent"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("talents/", views.talent_list, name="talents"),
    path("talents/<int:pk>/", views.talent_detail, name="talent"),
    path("talents/<int:pk>/log/", views.service_log_add, name="service_log_add"),
    path(
        "talents/<int:pk>/applications/<int:application_pk>/subsidy/",
        views.subsidy_grant,
        name="subsidy_grant",
    ),
    path(
        "talents/<int:pk>/instalments/<int:instalment_pk>/pay/",
        views.instalment_pay,
        name="instalment_pay",
    ),
    path("me/", views.my_record, name="me"),
    path("batches/", views.batch_list, name="batches"),
    path("batches/<int:pk>/", views.batch_detail, name="batch"),
    path("batches/<int:pk>/close-call/", views.batch_close_call, name="batch_close_call"),
    path("batches/<int:pk>/award/", views.batch_award, name="batch_award"),
    path(
        "batches/<int:pk>/applications/new/",
        views.application_submit,
        name="application_submit",
    ),
    path(
        "batches/<int:pk>/applications/<int:application_pk>/score/",
        views.score_give,
        name="score_give",
    ),
]
