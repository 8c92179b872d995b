from django.urls import path

from gaoxin.policies import views

app_name = "policies"
urlpatterns = [
    path("", views.policy_list, name="list"),
    path("mine/", views.mine, name="mine"),
    path("<int:pk>/", views.policy_detail, name="detail"),
    path("clauses/<int:pk>/match/", views.clause_match, name="match"),
    path("clauses/<int:pk>/draw/", views.batch_draw, name="draw"),
    path("clauses/<int:pk>/apply/", views.clause_apply, name="apply"),
    path("batches/", views.batch_list, name="batches"),
    path("batches/<int:pk>/", views.batch_detail, name="batch"),
    path("batches/<int:pk>/review/", views.batch_review, name="batch_review"),
    path("batches/<int:pk>/approve/", views.batch_approve, name="batch_approve"),
    path("batches/<int:pk>/pay/", views.batch_pay, name="batch_pay"),
]
