"""Input shapes of the review queue's filters and the pages of the queue and "My claims".

Shape only, but strict: an unknown status, verdict, editor, article, age, sort or page is
refused with a message naming what was wrong (400), never silently dropped, because a
dropped filter shows a list that looks right and is not.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib.auth.models import User
from django.db.models import Q

from annotations import limits
from annotations.models import Article, ClaimStatus, Verdict
from annotations.roles import EDITOR, REVIEWER
from annotations.selectors.review import QUEUE_SORTS

#: Waiting at least this many days (since the claim was submitted).
AGE_CHOICES = [
    ("", "Any age"),
    ("1", "Waiting 1 day or more"),
    ("3", "Waiting 3 days or more"),
    ("7", "Waiting a week or more"),
    ("30", "Waiting 30 days or more"),
]
PAGE_MESSAGES = {
    "invalid": "The page must be a whole number, 1 or more.",
    "min_value": "The page must be a whole number, 1 or more.",
    "max_value": "The page must be a whole number, 1 or more.",
}


def page_field() -> forms.IntegerField:
    # max_value keeps the number inside what PostgreSQL's OFFSET (bigint) can take.
    return forms.IntegerField(
        required=False, min_value=1, max_value=10**9, error_messages=PAGE_MESSAGES
    )


class ReviewQueueForm(forms.Form):
    """`GET /review/?q=&status=&article=&editor=&verdict=&age=&sort=&page=`."""

    status = forms.ChoiceField(
        choices=ClaimStatus.choices,
        required=False,
        error_messages={
            "invalid_choice": "“%(value)s” is not a status; use one of "
            + ", ".join(ClaimStatus.values)
            + "."
        },
    )
    article = forms.ModelChoiceField(
        queryset=Article.objects.only("id", "title"),
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": "There is no article with the id “%(value)s”."},
    )
    editor = forms.ModelChoiceField(
        queryset=User.objects.none(),
        to_field_name="username",
        required=False,
        empty_label="Any editor",
        error_messages={"invalid_choice": "“%(value)s” is not the username of an editor."},
    )
    verdict = forms.ChoiceField(required=False)
    age = forms.ChoiceField(
        choices=AGE_CHOICES,
        required=False,
        error_messages={
            "invalid_choice": "“%(value)s” is not an age; use 1, 3, 7 or 30 (days waiting)."
        },
    )
    sort = forms.ChoiceField(
        choices=[(name, label) for name, (label, _) in QUEUE_SORTS.items()],
        required=False,
        error_messages={
            "invalid_choice": "“%(value)s” is not a sort order; use one of "
            + ", ".join(QUEUE_SORTS)
            + "."
        },
    )
    q = forms.CharField(
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
        max_length=limits.SEARCH,
        error_messages={
            "max_length": f"The search is longer than {limits.SEARCH} characters; use fewer words."
        },
    )

    #: Only claims assigned to me (as editor or reviewer).
    assigned = forms.BooleanField(required=False)
    page = page_field()

    @classmethod
    def from_query(cls, query: Any) -> ReviewQueueForm:
        """The form for a query string, in review and oldest first unless it says otherwise
        (so the selects show what is listed)."""
        data = query.copy()
        data.setdefault("status", ClaimStatus.IN_REVIEW)
        data.setdefault("sort", "relevance" if data.get("q", "").strip() else "oldest")
        return cls(data, auto_id="queue-%s")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        editor_field = self.fields["editor"]
        assert isinstance(editor_field, forms.ModelChoiceField)
        editor_field.queryset = (
            User.objects.filter(Q(groups__name__in=[EDITOR, REVIEWER]) | Q(is_staff=True))
            .distinct()
            .order_by("username")
        )
        slugs = list(
            Verdict.objects.order_by("-rating_value", "label").values_list("slug", "label")
        )
        verdict_field = self.fields["verdict"]
        assert isinstance(verdict_field, forms.ChoiceField)
        verdict_field.choices = [("", "Any verdict"), ("none", "No verdict yet"), *slugs]
        verdict_field.error_messages["invalid_choice"] = (
            "“%(value)s” is not a verdict; use one of "
            + ", ".join(["none", *(slug for slug, _ in slugs)])
            + "."
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("sort") == "relevance" and not data.get("q"):
            self.add_error(
                "sort", "“Best match first” sorts a search: type words to search for first."
            )
        return data

    def selector_input(self) -> dict[str, Any]:
        """The queue's filters and sort for `review_queue` / `status_counts` (no status)."""
        data = self.cleaned_data
        return {
            "article": data.get("article"),
            "editor": data.get("editor"),
            "verdict": data.get("verdict") or "",
            "min_age_days": int(data["age"]) if data.get("age") else None,
            "words": data.get("q") or "",
        }

    @property
    def chosen_status(self) -> str:
        return self.cleaned_data.get("status") or ClaimStatus.IN_REVIEW

    @property
    def chosen_sort(self) -> str:
        return self.cleaned_data.get("sort") or "oldest"

    @property
    def page_number(self) -> int:
        return self.cleaned_data.get("page") or 1


class MyClaimsForm(forms.Form):
    """`GET /my-claims/?page_<status>=n`: one page number per section."""

    def __init__(self, *args: Any, sections: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for status in sections:
            self.fields[f"page_{status}"] = page_field()

    def pages(self) -> dict[str, int]:
        return {
            name.removeprefix("page_"): value for name, value in self.cleaned_data.items() if value
        }


#: The decisions the queue's bulk bar takes (services.workflow.BULK_STEPS).
BULK_DECISIONS = [
    ("approve", "Approve"),
    ("request_changes", "Request changes"),
    ("reject", "Reject"),
]


#: ``id:version``, each small enough for the database's integers.
_CLAIM_REF = re.compile(r"([1-9][0-9]{0,17}):([1-9][0-9]{0,8})", re.ASCII)


class ClaimRefsField(forms.Field):
    """The ticked claims, each ``id:version`` (the version the reviewer read)."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "required": "Select at least one claim (tick its box).",
        "invalid": "“%(value)s” is not a claim as the queue sends it (id:version).",
    }

    def to_python(self, value: Any) -> list[tuple[int, int]]:
        refs = []
        for raw in value or []:
            match = _CLAIM_REF.fullmatch(str(raw))
            if match is None:
                raise forms.ValidationError(
                    self.error_messages["invalid"], code="invalid", params={"value": raw[:40]}
                )
            refs.append((int(match[1]), int(match[2])))
        return refs


class BulkReviewForm(forms.Form):
    """`POST /review/bulk/`: the button pressed, a comment, the ticked claims."""

    decision = forms.ChoiceField(
        choices=BULK_DECISIONS,
        error_messages={
            "required": "Choose Approve, Request changes or Reject.",
            "invalid_choice": "“%(value)s” is not a decision; use approve, request_changes or "
            "reject.",
        },
    )
    comment = forms.CharField(required=False, max_length=limits.COMMENT)
    claim = ClaimRefsField()
