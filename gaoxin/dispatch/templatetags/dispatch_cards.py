"""Dispatch's cards on other apps' pages: a project's problems with their lights on the
project page (the project register knows nothing of dispatch; its template asks for the card)."""

from django import template

from gaoxin.dispatch import lights
from gaoxin.dispatch.models import Problem

register = template.Library()


@register.inclusion_tag("dispatch/partials/project_problems.html", takes_context=True)
def project_problems(context, project) -> dict:
    user = context["request"].user
    problems = list(Problem.objects.restrict(user, "view").filter(project=project)[:20])
    for problem in problems:
        problem.light = lights.problem_light(problem)
    return {
        "project": project,
        "problems": problems,
        "can_raise_problem": user.has_perm("dispatch.add_problem", project),
    }
