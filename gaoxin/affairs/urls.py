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
]
