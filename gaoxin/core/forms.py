import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from gaoxin.core.params import date_or_none


def _parse_days(text: str, year: int, label: str) -> dict[dt.date, str]:
    """Lines of 'YYYY-MM-DD name' or 'YYYY-MM-DD..YYYY-MM-DD name'."""
    result: dict[dt.date, str] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        span, _sep, name = line.partition(" ")
        try:
            if ".." in span:
                first, last = (dt.date.fromisoformat(p) for p in span.split("..", 1))
            else:
                first = last = dt.date.fromisoformat(span)
        except ValueError:
            raise forms.ValidationError(
                _("%(label)s, line %(n)d: '%(text)s' is not a date (YYYY-MM-DD).")
                % {"label": label, "n": number, "text": span}
            ) from None
        if last < first:
            raise forms.ValidationError(
                _("%(label)s, line %(n)d: the range ends before it starts.")
                % {"label": label, "n": number}
            )
        day = first
        while day <= last:
            if day.year != year:
                raise forms.ValidationError(
                    _("%(label)s, line %(n)d: %(day)s is not in %(year)d.")
                    % {"label": label, "n": number, "day": day, "year": year}
                )
            result[day] = name.strip()
            day += dt.timedelta(days=1)
    return result


class CalendarYearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    holidays = forms.CharField(
        label=_("Public holidays"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        help_text=_(
            "One per line: a date or a range and the holiday's name, "
            "e.g. 2027-10-01..2027-10-07 国庆节"
        ),
    )
    makeup_workdays = forms.CharField(
        label=_("Make-up working days (调休)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Weekend days that are working days, one per line."),
    )
    note = forms.CharField(label=_("Source / note"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        year = data.get("year")
        if year is None:
            return data
        data["holiday_days"] = _parse_days(data.get("holidays", ""), year, _("Public holidays"))
        data["makeup_days"] = _parse_days(
            data.get("makeup_workdays", ""), year, _("Make-up working days")
        )
        if not data["holiday_days"]:
            raise forms.ValidationError(_("Enter at least the year's public holidays."))
        overlap = set(data["holiday_days"]) & set(data["makeup_days"])
        if overlap:
            raise forms.ValidationError(
                _("%(day)s is listed both as a holiday and as a working day.")
                % {"day": min(overlap)}
            )
        return data


class DayField(forms.DateField):
    """A date typed as YYYY-MM-DD, read through core.params: within the platform's range
    (1900–2999) or a clear error, so date arithmetic downstream never overflows."""

    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    default_error_messages = {
        "required": _("Give the date as YYYY-MM-DD."),
        "invalid": _("Give the date as YYYY-MM-DD."),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.date):
            return value
        day = date_or_none(value)
        if day is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return day
