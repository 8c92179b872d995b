from django.urls import path

from gaoxin.dispatch import views

app_name = "dispatch"
urlpatterns = [
    path("my-work/", views.my_work, name="my_work"),
    path("problems/", views.problem_list, name="problems"),
    path("problems/<int:pk>/", views.problem_detail, name="problem"),
    path("problems/<int:pk>/move/", views.problem_move, name="problem_move"),
    path("projects/<int:project_pk>/problems/new/", views.problem_raise, name="problem_raise"),
    path("problems/<int:pk>/supervise/", views.supervision_issue, name="supervise"),
    path("supervisions/<int:pk>/", views.supervision_detail, name="supervision"),
    path("supervisions/<int:pk>/reply/", views.supervision_reply, name="supervision_reply"),
]
