from django.urls import path

from gaoxin.projects import views

app_name = "projects"
urlpatterns = [
    path("", views.project_list_view, name="list"),
    path("export/", views.project_export, name="export"),
    path("kanban/", views.project_kanban, name="kanban"),
    path("statistics/", views.statistics, name="statistics"),
    path("money/", views.money_list, name="money"),
    path("targets/", views.targets, name="targets"),
    path("new/", views.project_create, name="create"),
    path("import/", views.project_import, name="import"),
    path("import/template/", views.project_import_template, name="import_template"),
    path("<int:pk>/", views.project_detail, name="detail"),
    path("<int:pk>/edit/", views.project_edit, name="edit"),
    path("<int:pk>/history/", views.project_history, name="history"),
    path("<int:pk>/advance/", views.project_advance, name="advance"),
    path("<int:pk>/events/<int:event_pk>/correct/", views.event_correct, name="event_correct"),
    path("<int:pk>/engagements/", views.engagement_add, name="engagement_add"),
    path("<int:pk>/money/", views.money_add, name="money_add"),
    path("<int:pk>/attachments/", views.attachment_add, name="attachment_add"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment_download",
    ),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/delete/",
        views.attachment_remove,
        name="attachment_remove",
    ),
]
