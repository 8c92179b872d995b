from django.urls import path

from gaoxin.platforms import views

app_name = "platforms"
urlpatterns = [
    path("", views.platform_list, name="list"),
    path("<int:pk>/", views.platform_detail, name="platform"),
    path("<int:pk>/deals/new/", views.deal_record, name="deal_record"),
    path("events/", views.event_list, name="events"),
    path("events/<int:pk>/", views.event_detail, name="event"),
    path("events/<int:pk>/participants/", views.event_participants, name="event_participants"),
    path("events/<int:pk>/sign/", views.sign_existing, name="sign_existing"),
    path("events/<int:pk>/sign-new/", views.sign_new, name="sign_new"),
]
