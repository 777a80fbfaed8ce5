"""Input shape of the dashboard's period: `GET /dashboard/?days=7|30|90`."""

from __future__ import annotations

from typing import Any

from django import forms

from annotations.selectors.dashboard import DEFAULT_PERIOD, PERIODS

PERIOD_CHOICES = [(str(days), f"Last {days} days") for days in PERIODS]
_PERIODS_TEXT = ", ".join(str(days) for days in PERIODS[:-1]) + f" or {PERIODS[-1]} days"
PERIOD_REFUSED = f"“%(value)s” is not a period the dashboard shows; choose {_PERIODS_TEXT}."
PERIOD_MISSING = f"Choose a period: {_PERIODS_TEXT}."


class DashboardForm(forms.Form):
    """The period, the last 30 days unless the query says otherwise; any other value is
    refused with a message (400), never replaced by the default, which would show figures
    for days nobody asked about."""

    days = forms.ChoiceField(
        label="Period",
        choices=PERIOD_CHOICES,
        error_messages={"invalid_choice": PERIOD_REFUSED, "required": PERIOD_MISSING},
    )

    @classmethod
    def from_query(cls, query: Any) -> DashboardForm:
        data = query.copy()
        data.setdefault("days", str(DEFAULT_PERIOD))
        return cls(data, auto_id="dashboard-%s")

    @property
    def period(self) -> int:
        return int(self.cleaned_data["days"])
