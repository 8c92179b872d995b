from django.urls import path

from gaoxin.spaces import views

app_name = "spaces"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("buildings/new/", views.building_new, name="building_new"),
    path("buildings/<int:pk>/", views.building_detail, name="building"),
    path("units/<int:pk>/", views.unit_detail, name="unit"),
    path("leases/<int:pk>/terminate/", views.lease_terminate, name="lease_terminate"),
    path("match/", views.match, name="match"),
]
