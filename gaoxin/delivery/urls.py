from django.urls import path

from gaoxin.delivery.views import agreements, evaluation

app_name = "delivery"
urlpatterns = [
    path("agreements/", agreements.agreement_list, name="agreements"),
    path("agreements/export/", agreements.agreement_export, name="agreement_export"),
    path("agreements/new/", agreements.agreement_new, name="agreement_new"),
    path("agreements/<int:pk>/", agreements.agreement_detail, name="agreement"),
    path("agreements/<int:pk>/amend/", agreements.agreement_amend, name="agreement_amend"),
    path("terms/<int:pk>/fulfil/", agreements.term_fulfil, name="term_fulfil"),
    path("evaluation/", evaluation.evaluation_home, name="evaluations"),
    path("evaluation/compute/", evaluation.evaluation_compute, name="evaluation_compute"),
    path("evaluation/rules/<int:year>/", evaluation.evaluation_rules, name="evaluation_rules"),
    path("evaluation/<int:pk>/", evaluation.evaluation_detail, name="evaluation"),
    path("evaluation/<int:pk>/export/", evaluation.evaluation_export, name="evaluation_export"),
    path(
        "evaluation/<int:pk>/<str:action>/",
        evaluation.evaluation_act,
        name="evaluation_act",
    ),
    path(
        "evaluation/<int:pk>/enterprises/<int:enterprise>/",
        evaluation.evaluation_report,
        name="evaluation_report",
    ),
    path("plots/<int:pk>/shares/", evaluation.plot_shares, name="plot_shares"),
]
