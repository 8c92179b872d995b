from django.urls import path

from gaoxin.affairs import views

app_name = "affairs"
urlpatterns = [
    path("items/", views.item_list, name="items"),
    path("items/import/", views.item_import, name="item_import"),
    path("items/<int:pk>/", views.item_detail, name="item"),
]
