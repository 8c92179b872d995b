"""投产达效's cards on other apps' pages: an enterprise's per-mu class history on its profile
(the enterprise register knows nothing of the evaluation; its template asks for the card)."""

from django import template

from gaoxin.delivery import selectors

register = template.Library()


@register.inclusion_tag("delivery/partials/class_history.html", takes_context=True)
def class_history(context, enterprise) -> dict:
    user = context["request"].user
    return {"enterprise": enterprise, "history": selectors.class_history(user, enterprise)}
