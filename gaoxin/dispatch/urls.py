from django.urls import path

from gaoxin.dispatch import views

app_name = "dispatch"
urlpatterns = [
    path("my-work/", views.my_work, name="my_work"),
    path("problems/", views.problem_list, name="problems"),
    path("appeals/", views.appeal_list, name="appeals"),
    path("appeals/new/", views.appeal_raise, name="appeal_raise"),
    path("appeals/export/", views.appeal_export, name="appeal_export"),
    path("appeals/figures/", views.appeal_figures, name="appeal_figures"),
    path("appeals/<int:pk>/evaluate/", views.appeal_evaluate, name="appeal_evaluate"),
    path("problems/<int:pk>/", views.problem_detail, name="problem"),
    path("problems/<int:pk>/move/", views.problem_move, name="problem_move"),
    path("problems/<int:pk>/hand-back/", views.problem_hand_back, name="problem_hand_back"),
    path("problems/<int:pk>/reassign/", views.problem_reassign, name="problem_reassign"),
    path("projects/<int:project_pk>/problems/new/", views.problem_raise, name="problem_raise"),
    path("problems/<int:pk>/supervise/", views.supervision_issue, name="supervise"),
    path("supervisions/<int:pk>/", views.supervision_detail, name="supervision"),
    path("supervisions/<int:pk>/reply/", views.supervision_reply, name="supervision_reply"),
    # Key projects and 五个一
    path("key-projects/", views.key_project_list, name="key_projects"),
    path("key-projects/reconcile/", views.reconcile, name="reconcile"),
    path("key-projects/<int:pk>/", views.key_project_detail, name="key_project"),
    path("key-projects/<int:pk>/edit/", views.key_project_edit, name="key_project_edit"),
    path("key-projects/<int:pk>/remove/", views.key_project_remove, name="key_project_remove"),
    path("key-projects/<int:pk>/task-force/", views.task_force_add, name="task_force_add"),
    path(
        "key-projects/<int:pk>/task-force/<int:member_pk>/remove/",
        views.task_force_remove,
        name="task_force_remove",
    ),
    path("key-projects/<int:pk>/plan/", views.plan_from_template, name="plan_from_template"),
    path("milestones/<int:pk>/", views.milestone_record, name="milestone_record"),
    # 1+N service matters
    path("key-projects/<int:pk>/matters/new/", views.matter_add, name="matter_add"),
    path("matters/<int:pk>/", views.matter_detail, name="matter"),
    path("matters/<int:pk>/act/", views.matter_act, name="matter_act"),
    # Progress dispatch
    path("periods/", views.period_list, name="periods"),
    path("periods/<int:pk>/", views.period_detail, name="period"),
    path("periods/<int:pk>/reports/<int:key_project_pk>/", views.report_file, name="report_file"),
    path("meetings/", views.meeting_list, name="meetings"),
    path("meetings/new/", views.meeting_add, name="meeting_add"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("tasks/<int:pk>/done/", views.task_done, name="task_done"),
    # Lights and assessment
    path("lights/", views.light_board, name="lights"),
    path("lights/monthly/", views.lights_monthly, name="lights_monthly"),
    path("lights/settings/", views.light_settings, name="light_settings"),
    path("assessment/", views.assessment, name="assessment"),
    path("assessment/records/", views.assessment_records, name="assessment_records"),
    path("assessment/weights/", views.assessment_weights, name="assessment_weights"),
    path("leaders/<int:pk>/", views.leader_page, name="leader"),
    path("departments/<int:pk>/", views.department_page, name="department"),
    # Stewards and the ledger
    path("projects/<int:project_pk>/steward/", views.stewardship, name="stewardship"),
    path("ledger/", views.ledger, name="ledger"),
    path("ledger/projects/<int:project_pk>/", views.ledger_project, name="ledger_project"),
]
