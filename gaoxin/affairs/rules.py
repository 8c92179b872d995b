import rules

from gaoxin.accounts.predicates import is_admin, is_clerk, is_department_staff

# The catalogue is public to every signed-in user (enterprises choose from it); the window
# and departments keep it; administrators import it.
rules.add_perm("affairs.view_serviceitem", rules.is_authenticated)
rules.add_perm("affairs.change_serviceitem", is_admin | is_clerk | is_department_staff)
rules.add_perm("affairs.import_serviceitem", is_admin)
