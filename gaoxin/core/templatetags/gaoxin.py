"""Template helpers: masking personal data, querystring handling, history display."""

import uuid

from django import forms, template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from gaoxin.core import crypto
from gaoxin.core.audit_display import readable_changes

register = template.Library()


@register.filter
def mask_phone(value: str) -> str:
    """138****1234: personal phone numbers are never shown in full on screen."""
    return crypto.mask_phone(value)


@register.filter
def audit_value(value):
    if value is None or value == "":
        return "—"
    if value is True:
        return _("Yes")
    if value is False:
        return _("No")
    return value


@register.filter
def growth(value):
    """A growth rate for a reader: "—" with a tooltip when there is no base (the statistics
    engine's "n/a", or None)."""
    if value is None or value == "n/a":
        return format_html(
            '<span title="{}">—</span>', _("No base in the same period last year: no growth rate")
        )
    return value


@register.simple_tag(takes_context=True)
def audit_rows(context, entry):
    """An audit entry's changes in the reader's words (core.audit_display); related records
    are looked up once per page."""
    cache = context.render_context.setdefault("audit_display_cache", {})
    return readable_changes(entry, cache)


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs):
    """The current query string with some parameters replaced (for pagination and sorting)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()


@register.filter
def bootstrap(bound_field):
    """Render a form field's widget with Tabler/Bootstrap classes and its error state."""
    widget = bound_field.field.widget
    if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
        css = "form-check-input me-1"  # RadioSelect covers CheckboxSelectMultiple
    elif isinstance(widget, forms.Select | forms.SelectMultiple):
        css = "form-select"
    else:
        css = "form-control"
    if bound_field.errors:
        css += " is-invalid"
    attrs = {"class": f"{widget.attrs.get('class', '')} {css}".strip()}
    if bound_field.errors:
        attrs["aria-invalid"] = "true"
    return bound_field.as_widget(attrs=attrs)


@register.filter
def split_csv(value: str) -> list[str]:
    return [v for v in value.split(",") if v]


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def choice_label(bound_field) -> str:
    """The label of a bound choice field's current value."""
    value = bound_field.value()
    return str(dict(bound_field.field.choices).get(value, value or ""))


@register.filter
def get_stage(mapping, stage):
    return mapping.get(stage, 0)


@register.simple_tag
def submission_key():
    """A hidden field that makes a form submission idempotent (see core.idempotency)."""
    return format_html('<input type="hidden" name="submission_key" value="{}">', uuid.uuid4().hex)
