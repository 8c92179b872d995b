from django.urls import path

from gaoxin.notifications import views

app_name = "notifications"
urlpatterns = [
    path("deliveries/", views.deliveries, name="deliveries"),
    path("deliveries/<int:pk>/send-again/", views.delivery_resend, name="delivery_resend"),
    path("test/", views.test_send, name="test_send"),
    path("preferences/", views.preferences, name="preferences"),
]
