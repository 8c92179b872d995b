import rules

from gaoxin.accounts.predicates import is_admin

# The delivery log, "send again" and test messages are the administrators'.
rules.add_perm("notifications.view_delivery", is_admin)
rules.add_perm("notifications.send_delivery", is_admin)
# Everybody chooses their own channels, chat ids and quiet hours.
rules.add_perm("notifications.change_own_preference", rules.is_authenticated & rules.is_active)
