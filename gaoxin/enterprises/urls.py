from django.urls import path

from gaoxin.enterprises import views

app_name = "enterprises"
urlpatterns = [
    path("", views.enterprise_list_view, name="list"),
    path("export/", views.enterprise_export, name="export"),
    path("new/", views.enterprise_create, name="create"),
    path("import/", views.enterprise_import, name="import"),
    path("import/template/", views.enterprise_import_template, name="import_template"),
    path("<int:pk>/qualifications/", views.qualification_add, name="qualification_add"),
    path(
        "<int:pk>/qualifications/<int:qualification_pk>/delete/",
        views.qualification_remove,
        name="qualification_remove",
    ),
    path("<int:pk>/liaison/", views.liaison_assign, name="liaison_assign"),
    path("<int:pk>/", views.enterprise_detail, name="detail"),
    path("<int:pk>/edit/", views.enterprise_edit, name="edit"),
    path("<int:pk>/history/", views.enterprise_history, name="history"),
    path("<int:pk>/contacts/", views.contact_add, name="contact_add"),
    path("<int:pk>/contacts/<int:contact_pk>/delete/", views.contact_remove, name="contact_remove"),
]
