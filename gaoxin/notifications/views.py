from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gaoxin.core.permissions import permission_required
from gaoxin.core.views import paginate
from gaoxin.notifications import outbox, routing, selectors
from gaoxin.notifications.filters import DeliveryFilter
from gaoxin.notifications.forms import PreferenceForm, TestSendForm
from gaoxin.notifications.models import Channel, Delivery, EventType
from gaoxin.notifications.services import preference_update


@permission_required("notifications.view_delivery")
def deliveries(request):
    filterset = DeliveryFilter(request.GET, queryset=selectors.deliveries())
    rows = filterset.qs
    page = paginate(request, rows)
    template = (
        "notifications/partials/delivery_rows.html"
        if request.htmx
        else "notifications/deliveries.html"
    )
    return render(
        request,
        template,
        {"filter": filterset, "page": page, "figures": selectors.figures(rows)},
    )


@require_POST
@permission_required("notifications.send_delivery")
def delivery_resend(request, pk: int):
    delivery = get_object_or_404(Delivery, pk=pk)
    try:
        outbox.send_again(delivery=delivery, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The message was queued to be sent again."))
    return redirect("notifications:deliveries")


@permission_required("notifications.send_delivery")
def test_send(request):
    form = TestSendForm(request.POST or None, by=request.user)
    result = None
    if request.method == "POST" and form.is_valid():
        result = outbox.send_test(
            channel=form.cleaned_data["channel"],
            by=request.user,
            user=form.cleaned_data.get("user"),
            webhook=form.cleaned_data.get("webhook"),
        )
    return render(
        request,
        "notifications/test_send.html",
        {"form": form, "result": result},
        status=400 if form.errors else 200,
    )


@permission_required("notifications.change_own_preference")
def preferences(request):
    rules = [routing.rule_for(event) for event in EventType.values]
    values = selectors.preference_values(request.user)
    initial = {k: v for k, v in values.items() if k != "choices"}
    for event, chosen in values["choices"].items():
        initial[f"event_{event}"] = chosen
    form = PreferenceForm(request.POST or None, rules=rules, initial=initial)
    if request.method == "POST" and form.is_valid():
        preference_update(user=request.user, data=form.cleaned_data, by=request.user)
        messages.success(request, _("Your notification settings were saved."))
        return redirect("notifications:preferences")
    mandatory = [r for r in rules if r.mandatory]
    return render(
        request,
        "notifications/preferences.html",
        {
            "form": form,
            "mandatory": [
                (
                    EventType(r.event_type).label,
                    [Channel(c).label for c in r.channels if routing.channel_configured(c)],
                )
                for r in mandatory
            ],
        },
        status=400 if form.errors else 200,
    )
