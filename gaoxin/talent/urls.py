from django.urls import path

from gaoxin.talent import views

app_name = "talent"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("talents/", views.talent_list, name="talents"),
    path("talents/<int:pk>/", views.talent_detail, name="talent"),
    path("me/", views.my_record, name="me"),
    path("batches/", views.batch_list, name="batches"),
    path("batches/<int:pk>/", views.batch_detail, name="batch"),
]
