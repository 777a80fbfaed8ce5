"""The filters of /api/v1/claims/, shared by the CSV, W3C and ClaimReview exports.

An unknown value (a status that does not exist, a verdict slug not on the scale, a user
nobody has) is a `400` naming the accepted values, never an empty list that hides a typo.
"""

from __future__ import annotations

from typing import Any, TypeVar

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from annotations import limits
from annotations.models import AnchorState, Article, Claim, ClaimStatus, Verdict
from annotations.selectors.assignments import claims_assigned_to
from annotations.selectors.search import claim_search

User = get_user_model()


class UserByNameOrIdField(forms.ModelChoiceField):
    """A user given by username or by numeric id."""

    default_error_messages = {
        "invalid_choice": "There is no user “%(value)s” (give a username or a numeric id).",
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        value = str(value).strip()
        lookup = (
            {"pk": int(value)} if value.isascii() and value.isdigit() and len(value) < 19 else {}
        )
        lookup = lookup or {"username": value}
        users = self.queryset
        assert users is not None  # UserFilter always declares its queryset
        try:
            return users.get(**lookup)
        except (users.model.DoesNotExist, ValueError, TypeError):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            ) from None


class UserFilter(django_filters.ModelChoiceFilter):
    field_class = UserByNameOrIdField


def _choices_message(choices) -> str:
    return "“%(value)s” is not one of: " + ", ".join(value for value, _ in choices) + "."


class ClaimFilter(django_filters.FilterSet):
    article = django_filters.ModelChoiceFilter(
        queryset=Article.objects.all(),
        help_text="Article id.",
        error_messages={"invalid_choice": "There is no article with that id."},
    )
    status = django_filters.MultipleChoiceFilter(
        choices=ClaimStatus.choices,
        help_text="Workflow status; repeat the parameter for several.",
        error_messages={"invalid_choice": _choices_message(ClaimStatus.choices)},
    )
    verdict = django_filters.ModelChoiceFilter(
        queryset=Verdict.objects.all(),
        to_field_name="slug",
        help_text="Verdict slug (see /api/v1/verdicts/).",
        error_messages={
            "invalid_choice": "There is no verdict with that slug; see /api/v1/verdicts/."
        },
    )
    created_by = UserFilter(
        queryset=User.objects.all(), help_text="Who created the claim: username or user id."
    )
    anchor_state = django_filters.ChoiceFilter(
        choices=AnchorState.choices,
        help_text="How the claim's quote was found again after the article changed.",
        error_messages={"invalid_choice": _choices_message(AnchorState.choices)},
    )
    updated_since = django_filters.IsoDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text=(
            "Only claims changed at or after this ISO 8601 time (with time zone), for "
            "incremental sync."
        ),
    )
    assigned_to = django_filters.CharFilter(
        method="assigned",
        max_length=150,
        help_text="Claims assigned (as editor or reviewer) to `me` or to a user: username or id.",
    )
    q = django_filters.CharFilter(
        method="search",
        help_text="Search the quote, statement, claimant and explanation: PostgreSQL "
        'full-text search in the newsroom\'s language ("hit" finds "hits"; quotes for a '
        'phrase, `or`, `-word` to leave out) plus close words for typos ("sheling" finds '
        '"shelling"). The claims list orders the results best match first unless `sort` '
        "says otherwise.",
        max_length=limits.SEARCH,
    )

    class Meta:
        model = Claim
        fields = [
            "article",
            "status",
            "verdict",
            "created_by",
            "anchor_state",
            "updated_since",
            "assigned_to",
            "q",
        ]

    def is_valid(self) -> bool:
        # `assigned_to` names a person: an unknown one is a 400, never an empty list.
        valid = super().is_valid()
        if valid:
            value = (self.form.cleaned_data.get("assigned_to") or "").strip()
            if value and self._assignee(value) is None:
                self.form.add_error(
                    "assigned_to",
                    f"There is no user “{value}” (give `me`, a username or a numeric id).",
                )
                return False
        return valid

    def _assignee(self, value: str) -> Any:
        if value == "me":
            user = getattr(self.request, "user", None)
            return user if user is not None and user.is_authenticated else None
        lookup: dict[str, Any] = {"username": value}
        if value.isascii() and value.isdigit() and len(value) < 19:
            lookup = {"pk": int(value)}
        return User.objects.filter(**lookup).first()

    def assigned(self, queryset: QuerySet[Claim], name: str, value: str) -> QuerySet[Claim]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(claims_assigned_to(self._assignee(value)))

    def search(self, queryset: QuerySet[Claim], name: str, value: str) -> QuerySet[Claim]:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(claim_search(value))


C = TypeVar("C", bound=Claim)


def filter_claims(queryset: QuerySet[C], params: Any, request: Any = None) -> QuerySet[C]:
    """Apply ClaimFilter outside a DRF view (CSV streaming, benchmarks); 400 on bad values.
    `request` gives `assigned_to=me` its person."""
    from rest_framework.exceptions import ValidationError

    filterset = ClaimFilter(params, queryset=queryset, request=request)
    if not filterset.is_valid():
        raise ValidationError(filterset.errors)
    return filterset.qs
