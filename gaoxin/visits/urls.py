from django.urls import path

from gaoxin.visits import views

app_name = "visits"
urlpatterns = [
    path("", views.visit_list, name="list"),
    path("new/", views.visit_record, name="record"),
    path("plan/", views.plan_generate, name="plan"),
    path("coverage/", views.coverage, name="coverage"),
    path("export/", views.visit_export, name="export"),
]
