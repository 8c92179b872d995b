import rules

from gaoxin.accounts.predicates import is_admin, is_commissioner, is_zone_staff


@rules.predicate
def is_the_talent(user, talent):
    return talent is not None and talent.user_id is not None and talent.user_id == user.pk


@rules.predicate
def on_the_panel(user, application):
    return application is None or application.batch.panel.filter(pk=user.pk).exists()


# Personal data: talent staff (the commissioners and administrators) and the talent alone.
rules.add_perm("talent.view_talent", is_admin | is_commissioner | is_the_talent)
rules.add_perm("talent.change_talent", is_admin | is_commissioner)
# The whole phone number: the commissioners who call the talent, and the talent; an
# administrator sees it masked like every other (the ID number is masked for everyone).
rules.add_perm("talent.view_phone", is_commissioner | is_the_talent)
# Internal parts of a talent's record — panel scores and opinions, the commissioners' service
# log: talent staff only, never the talent's own account (docs/security.md).
rules.add_perm("talent.view_internal", is_admin | is_commissioner)
rules.add_perm("talent.manage_programme", is_admin | is_commissioner)
rules.add_perm("talent.score_application", on_the_panel)
# Teams and the figures carry no personal data: every member of zone staff.
rules.add_perm("talent.view_figures", is_zone_staff)
# A batch is seen by talent staff and by the experts on its panel.
rules.add_perm("talent.view_batch", is_zone_staff)
