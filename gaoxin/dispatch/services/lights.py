"""Writes about lights: the thresholds an administrator sets, and the month's frozen list."""

from __future__ import annotations

import calendar
import datetime as dt

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from gaoxin.core import audit
from gaoxin.core.locking import save_with_version
from gaoxin.core.notifications import notify
from gaoxin.dispatch import selectors
from gaoxin.dispatch.lights import GREEN, LIGHT_SETTINGS_CACHE_KEY, light_settings
from gaoxin.dispatch.models import (
    KeyProject,
    LightListEntry,
    LightSettings,
)
from gaoxin.dispatch.services.base import require, updated

__all__ = [
    "light_settings_update",
    "publish_light_list",
]


@transaction.atomic
def light_settings_update(*, by, data: dict, expected_version: int):

    require(by, "dispatch.change_lightsettings")
    light_settings()  # the row exists from here on
    current = LightSettings.objects.get(pk=1)
    before = audit.snapshot(current)
    for field, value in data.items():
        setattr(current, field, value)
    if current.lag_red_points <= current.lag_yellow_points:
        raise ValidationError({"lag_red_points": _("Red must start beyond the yellow threshold.")})
    save_with_version(current, expected_version=expected_version, fields=list(data))
    cache.delete(LIGHT_SETTINGS_CACHE_KEY)
    updated(current, by, before)
    return current


def publish_light_list(month: dt.date) -> int:
    """Freeze a month's red and yellow key projects (as of its last day) into the published
    list. Publishing the same month again adds nothing. Returns the entries added."""

    month = month.replace(day=1)
    if LightListEntry.objects.filter(month=month).exists():
        return 0
    last = month.replace(day=calendar.monthrange(month.year, month.month)[1])
    rows = selectors.key_project_lights(KeyProject.objects.filter(year=month.year), today=last)
    entries = [
        LightListEntry(month=month, key_project=r.key_project, light=r.light, reasons=r.reasons)
        for r in rows
        if r.light != GREEN
    ]
    LightListEntry.objects.bulk_create(entries, ignore_conflicts=True)
    _tell_light_list(month, [r for r in rows if r.light != GREEN])
    return len(entries)


def _light_word(light: str) -> str:
    return _("red light") if light == "red" else _("yellow light")


def _tell_light_list(month: dt.date, rows) -> None:
    """Each sponsor leader and lead department head hears of their red and yellow projects on
    the month's published list (once per month)."""
    mine: dict = {}
    for row in rows:
        key_project = row.key_project
        for person in (key_project.sponsor, getattr(key_project.lead_department, "head", None)):
            if person is not None and person.is_active:
                mine.setdefault(person, []).append(row)
    for person, own in mine.items():
        notify(
            user=person,
            key=f"light-list:{month:%Y-%m}",
            title=_("%(month)s light list: %(n)d of your key projects red or yellow")
            % {"month": f"{month:%Y-%m}", "n": len(own)},
            body="；".join(f"{r.key_project.project.name}（{_light_word(r.light)}）" for r in own),
            link=reverse("dispatch:lights"),
            event="light_list",
        )
