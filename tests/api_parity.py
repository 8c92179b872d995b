"""What the API offers for each page action (issue 22): read by tests/test_api_parity.py, which
finds the page actions in the URL patterns, checks every operation named here exists in the
OpenAPI document, and writes the table in docs/api.md.

Each page action (a URL name) is in exactly one of:
- OPERATIONS: the operationIds that do the same, with the same service;
- PAGE_ONLY: why it stays in the browser;
- PENDING: not yet in the API — the issue whose engineer adds it, and what to add. A pending
  entry may name a page that is still being built in another branch of the work.
"""

OPERATIONS = {
    # projects
    "projects:create": ["gaoxin_projects_api_create_project"],
    "projects:edit": ["gaoxin_projects_api_update_project"],
    "projects:advance": ["gaoxin_projects_api_advance"],
    "projects:event_correct": ["gaoxin_projects_api_correct"],
    "projects:engagement_add": ["gaoxin_projects_api_add_engagement"],
    "projects:money_add": ["gaoxin_projects_api_add_money"],
    "projects:targets": ["gaoxin_projects_api_set_target"],
    "projects:import": [
        "gaoxin_projects_api_ledger_ledger_import",
        "gaoxin_core_api_jobs_job_detail",
    ],
    "projects:import_template": ["gaoxin_projects_api_ledger_ledger_import_template"],
    "projects:attachment_add": ["gaoxin_projects_api_files_attachment_add"],
    "projects:attachment_download": ["gaoxin_projects_api_files_attachment_download"],
    "projects:attachment_remove": ["gaoxin_projects_api_files_attachment_remove"],
    "projects:export": ["gaoxin_projects_api_exports_projects_export"],
    "projects:statistics": ["gaoxin_projects_api_exports_statistics_export"],
    # enterprises
    "enterprises:create": ["gaoxin_enterprises_api_create_enterprise"],
    "enterprises:edit": ["gaoxin_enterprises_api_update_enterprise"],
    # dispatch
    "dispatch:problem_raise": ["gaoxin_dispatch_api_raise_problem"],
    "dispatch:problem_move": ["gaoxin_dispatch_api_move_problem"],
    "dispatch:problem_hand_back": ["gaoxin_dispatch_api_hand_back_problem"],
    "dispatch:problem_reassign": ["gaoxin_dispatch_api_reassign_problem"],
    "dispatch:supervise": ["gaoxin_dispatch_api_issue_supervision"],
    "dispatch:supervision_reply": ["gaoxin_dispatch_api_reply_supervision"],
    "dispatch:task_force_add": ["gaoxin_dispatch_api_add_task_force_member"],
    "dispatch:plan_from_template": ["gaoxin_dispatch_api_lay_out_plan"],
    "dispatch:milestone_record": ["gaoxin_dispatch_api_record_milestone"],
    "dispatch:matter_add": ["gaoxin_dispatch_api_add_matter"],
    "dispatch:matter_act": ["gaoxin_dispatch_api_act_on_matter"],
    "dispatch:periods": ["gaoxin_dispatch_api_open_period"],
    "dispatch:report_file": ["gaoxin_dispatch_api_file_report"],
    "dispatch:meeting_add": ["gaoxin_dispatch_api_record_meeting"],
    "dispatch:meeting": ["gaoxin_dispatch_api_add_task"],
    "dispatch:task_done": ["gaoxin_dispatch_api_complete_task"],
    "dispatch:ledger_project": ["gaoxin_dispatch_api_enter_ledger"],
    "dispatch:stewardship": [
        "gaoxin_dispatch_api_hand_over",
        "gaoxin_dispatch_api_add_service_log",
    ],
    "dispatch:key_projects": ["gaoxin_dispatch_api_key_projects_export"],
    "dispatch:key_project_edit": ["gaoxin_dispatch_api_update_key_project"],
    "dispatch:key_project_remove": ["gaoxin_dispatch_api_remove_key_project"],
    "dispatch:task_force_remove": ["gaoxin_dispatch_api_remove_task_force_member"],
    "dispatch:reconcile": [
        "gaoxin_dispatch_api_reconcile",
        "gaoxin_dispatch_api_add_key_project",
    ],
    "dispatch:light_settings": [
        "gaoxin_dispatch_api_light_settings",
        "gaoxin_dispatch_api_light_settings_set",
    ],
    "dispatch:assessment_weights": [
        "gaoxin_dispatch_api_assessment_weights",
        "gaoxin_dispatch_api_assessment_weights_set",
    ],
    "dispatch:ledger": ["gaoxin_dispatch_api_ledger_export"],
    # government services
    "affairs:application_new": ["gaoxin_affairs_api_file_application"],
    "affairs:application_upload": ["gaoxin_affairs_api_upload_material"],
    "affairs:application_submit": ["gaoxin_affairs_api_submit_application"],
    "affairs:application_accept": ["gaoxin_affairs_api_accept_application"],
    "affairs:application_intake_supplement": ["gaoxin_affairs_api_intake_supplement"],
    "affairs:application_refuse": ["gaoxin_affairs_api_refuse"],
    "affairs:application_review": ["gaoxin_affairs_api_decide_review"],
    "affairs:application_commitment_supply": ["gaoxin_affairs_api_commitment_supply"],
    "affairs:application_commitment_check": ["gaoxin_affairs_api_commitment_check"],
    "affairs:application_supply": ["gaoxin_affairs_api_supply"],
    "affairs:application_exclude": ["gaoxin_affairs_api_exclusion_start"],
    "affairs:application_exclusion_end": ["gaoxin_affairs_api_exclusion_end"],
    "affairs:application_extend": ["gaoxin_affairs_api_extend"],
    "affairs:application_close": ["gaoxin_affairs_api_close"],
    "affairs:application_rate": ["gaoxin_affairs_api_rate"],
    "affairs:appointment_new": ["gaoxin_affairs_api_book"],
    "affairs:appointment_cancel": ["gaoxin_affairs_api_cancel"],
    "affairs:appointment_reschedule": ["gaoxin_affairs_api_reschedule"],
    "affairs:appointment_check_in": ["gaoxin_affairs_api_check_in"],
    "affairs:bundle": ["gaoxin_affairs_api_file_bundle"],
    "affairs:authorizations": ["gaoxin_affairs_api_grant"],
    "affairs:authorization": ["gaoxin_affairs_api_revoke"],
    "affairs:remediation_reply": ["gaoxin_affairs_api_remediation_reply"],
    "affairs:remediation_visit": ["gaoxin_affairs_api_remediation_visit"],
    "affairs:items": ["gaoxin_affairs_api_items_export"],
    "affairs:item_new": ["gaoxin_affairs_api_item_create"],
    "affairs:item_edit": ["gaoxin_affairs_api_item_update"],
    "affairs:item_import": ["gaoxin_affairs_api_items_import", "gaoxin_core_api_jobs_job_detail"],
    "affairs:material_template": ["gaoxin_affairs_api_material_template"],
    "affairs:material_download": ["gaoxin_affairs_api_material_download"],
    "affairs:item": ["gaoxin_affairs_api_material_template_upload"],
    "affairs:window": ["gaoxin_affairs_api_slot_open"],
    "affairs:pre_reviews": ["gaoxin_affairs_api_pre_review_request"],
    "affairs:pre_review_opinion": ["gaoxin_affairs_api_pre_review_opinion"],
    "affairs:pre_review_conclude": ["gaoxin_affairs_api_pre_review_conclude"],
    # the work calendar, the audit log, the battle map and the period report
    "core:calendar_year_edit": ["gaoxin_core_api_year_set"],
    "core:audit_log": ["gaoxin_core_api_audit_audit_export"],
    "cockpit:report": ["gaoxin_cockpit_api_report_export"],
    "cockpit:map": [
        "gaoxin_cockpit_api_map_zone_map_upload",
        "gaoxin_cockpit_api_map_project_place",
    ],
    # space
    "spaces:building_new": ["gaoxin_spaces_api_building_create"],
    "spaces:building": ["gaoxin_spaces_api_unit_create"],
    "spaces:unit": ["gaoxin_spaces_api_lease_let"],
    "spaces:lease_terminate": ["gaoxin_spaces_api_lease_end"],
    # platforms and events
    "platforms:list": ["gaoxin_platforms_api_platform_create"],
    "platforms:deal_record": ["gaoxin_platforms_api_deal_record"],
    "platforms:events": ["gaoxin_platforms_api_event_create"],
    "platforms:event_participants": ["gaoxin_platforms_api_event_participants"],
    "platforms:sign_existing": ["gaoxin_platforms_api_sign"],
    "platforms:sign_new": ["gaoxin_platforms_api_sign"],
    # talent
    "talent:talents": ["gaoxin_talent_api_talent_create"],
    "talent:overview": ["gaoxin_talent_api_team_create"],
    "talent:service_log_add": ["gaoxin_talent_api_service_log_add"],
    "talent:subsidy_grant": ["gaoxin_talent_api_subsidy_grant"],
    "talent:instalment_pay": ["gaoxin_talent_api_instalment_pay"],
    "talent:batches": ["gaoxin_talent_api_batch_create"],
    "talent:application_submit": ["gaoxin_talent_api_application_submit"],
    "talent:batch_close_call": ["gaoxin_talent_api_batch_close_call"],
    "talent:score_give": ["gaoxin_talent_api_score_give"],
    "talent:batch_award": ["gaoxin_talent_api_batch_award"],
    # 投产达效
    "delivery:agreement_new": ["gaoxin_delivery_api_create_agreement"],
    "delivery:agreement_amend": ["gaoxin_delivery_api_amend_agreement"],
    "delivery:term_fulfil": ["gaoxin_delivery_api_fulfil_term"],
    "delivery:evaluation_rules": ["gaoxin_delivery_api_set_year"],
    "delivery:evaluation_compute": ["gaoxin_delivery_api_compute"],
    "delivery:evaluation_act": ["gaoxin_delivery_api_publish", "gaoxin_delivery_api_freeze"],
    "delivery:plot_shares": ["gaoxin_delivery_api_set_shares"],
    # issues 19, 20 and 21 (their engineer's mapping, merged)
    "core:notifications": [
        "gaoxin_notifications_api_read_notification",
        "gaoxin_notifications_api_read_all",
        "gaoxin_notifications_api_list_notifications",
    ],
    "notifications:preferences": [
        "gaoxin_notifications_api_get_preferences",
        "gaoxin_notifications_api_put_preferences",
    ],
    "notifications:test_send": ["gaoxin_notifications_api_send_test"],
    "notifications:delivery_resend": ["gaoxin_notifications_api_send_again"],
    "dispatch:appeal_raise": ["gaoxin_dispatch_api_raise_appeal"],
    "dispatch:appeal_evaluate": ["gaoxin_dispatch_api_evaluate_appeal"],
    "dispatch:appeal_export": ["gaoxin_dispatch_api_export_appeals"],
    "dispatch:appeal_figures": [
        "gaoxin_dispatch_api_appeal_figures",
        "gaoxin_dispatch_api_export_appeal_figures",
    ],
    "enterprises:contact_add": ["gaoxin_enterprises_api_add_contact"],
    "enterprises:contact_remove": ["gaoxin_enterprises_api_remove_contact"],
    "enterprises:export": ["gaoxin_enterprises_api_export_enterprises"],
    "enterprises:import": [
        "gaoxin_enterprises_api_import_enterprises",
        "gaoxin_core_api_jobs_job_detail",
    ],
    "enterprises:import_template": ["gaoxin_enterprises_api_import_template"],
    "enterprises:liaison_assign": ["gaoxin_enterprises_api_assign_liaison"],
    "enterprises:qualification_add": ["gaoxin_enterprises_api_add_qualification"],
    "enterprises:qualification_remove": ["gaoxin_enterprises_api_remove_qualification"],
    "policies:apply": ["gaoxin_policies_api_apply_clause"],
    "policies:batch": [
        "gaoxin_policies_api_get_batch",
        "gaoxin_policies_api_batch_payouts",
        "gaoxin_policies_api_batch_export",
    ],
    "policies:batch_review": ["gaoxin_policies_api_review_batch"],
    "policies:batch_approve": ["gaoxin_policies_api_approve_batch"],
    "policies:batch_pay": ["gaoxin_policies_api_pay_batch"],
    "policies:draw": ["gaoxin_policies_api_draw_batch"],
    "policies:match": [
        "gaoxin_policies_api_clause_match",
        "gaoxin_policies_api_clause_match_export",
    ],
    "visits:plan": ["gaoxin_visits_api_plan_visits"],
    "visits:record": ["gaoxin_visits_api_record_visit"],
    "visits:coverage": ["gaoxin_visits_api_coverage", "gaoxin_visits_api_coverage_export"],
    "visits:export": ["gaoxin_visits_api_export_visits"],
    "delivery:agreement_export": ["gaoxin_delivery_api_export_agreements"],
    "delivery:evaluation_export": ["gaoxin_delivery_api_export_evaluation"],
}

PAGE_ONLY = {
    "login": "Signing in is the browser's (password and second factor); API clients send a "
    "personal token.",
    "logout": "Ends a browser session; a token is revoked by its owner instead.",
    "cas_ng_login": "Single sign-on through the CAS server is a browser redirect.",
    "set_language": "The browser's language cookie; API clients send Accept-Language.",
    "accounts:password_change": "Credentials are changed by the person in the browser, "
    "never by a token.",
    "accounts:profile": "The person's own profile, with the second factor; not for integrations.",
    "accounts:two_factor_enrol": "Enrolling a second factor needs the person and their device.",
    "accounts:two_factor_verify": "The second factor is a browser sign-in step.",
    "accounts:recovery_codes_renew": "Recovery codes are shown once to the person in the browser.",
    "accounts:token_revoke": "A token may not manage tokens: revoking one is the owner's act in "
    "the browser (or the administrator's).",
    "affairs:appointment_ics": "A calendar file for a person's calendar app; the API answers "
    "the booking as JSON (GET /affairs/appointments).",
    "affairs:appointments_ics": "A calendar feed for calendar apps; the API answers the bookings "
    "as JSON (GET /affairs/appointments).",
}

PENDING: dict[str, tuple[int, str]] = {
    # Nothing pending at the end of issue 22's round: every page action has its operation or
    # says why it stays page-only. A new page action goes here (issue, what to add) until its
    # operation exists.
}
