"""Input shapes for assignment and notifications (issue 16): shape only; the services
decide who may hold a role and who may mark what."""

from __future__ import annotations

from django import forms
from django.contrib.auth.models import User

from annotations.models import AssignmentRole


class AssignmentForm(forms.Form):
    person = forms.ModelChoiceField(
        queryset=User.objects.filter(is_active=True),
        error_messages={
            "required": "Choose the person to assign.",
            "invalid_choice": "There is no such person; choose one from the list.",
        },
    )
    role = forms.ChoiceField(
        choices=AssignmentRole.choices,
        error_messages={
            "required": "Choose a role: editor or reviewer.",
            "invalid_choice": "“%(value)s” is not a role; choose editor or reviewer.",
        },
    )


class MarkReadForm(forms.Form):
    """One notification (`id`) or all of them (`all`)."""

    id = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=2**63 - 1,
        error_messages={"invalid": "The notification id is a whole number."},
    )
    all = forms.BooleanField(required=False)

    def clean(self) -> dict:
        data = super().clean() or {}
        if not self.errors and bool(data.get("id")) == bool(data.get("all")):
            raise forms.ValidationError("Mark one notification, or all of them.")
        return data


class NotificationSettingsForm(forms.Form):
    email = forms.BooleanField(required=False, label="Also send me each notification by e-mail")

    def clean_email(self) -> bool:
        # A checkbox sends "on" or nothing; anything else is not this form's.
        raw = self.data.get("email") if self.is_bound else None
        if raw not in (None, "", "on", "true", "1", "false", "0"):
            raise forms.ValidationError("The e-mail setting is a checkbox: on, or left out.")
        return bool(self.cleaned_data.get("email"))
