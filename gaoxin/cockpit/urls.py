from django.urls import path

from gaoxin.cockpit import views

app_name = "cockpit"
urlpatterns = [
    path("", views.cockpit, name="cockpit"),
    path("screen/", views.screen, name="screen"),
    path("map/", views.battle_map, name="map"),
    path("map/plots/<str:code>/", views.plot_detail, name="plot"),
    path("schedule/", views.schedule, name="schedule"),
    path("report/", views.period_report, name="report"),
]
