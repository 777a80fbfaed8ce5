"""The input shape of an answer to "Checked before?": which earlier check, and the answer.

Shape only: which kinds and answers exist, a whole id, a score between 0 and 1. Whether the
earlier check exists, is published and may be answered by this person is the view's
lookup and `services.matching.match_decide`'s rule.
"""

from __future__ import annotations

from typing import Any

from django import forms

from annotations.models import MatchDecision
from annotations.selectors.matches import KNOWN_CHECK, OUR_CHECK

KINDS = [(KNOWN_CHECK, "another fact-checker's check"), (OUR_CHECK, "one of our checks")]


class MatchAnswerForm(forms.Form):
    """`POST /claims/<id>/matches/` with kind, id, decision and (optionally) score."""

    kind = forms.ChoiceField(
        choices=KINDS,
        error_messages={
            "required": "Say which kind of earlier check this is.",
            "invalid_choice": "“%(value)s” is not a kind of earlier check; use "
            f"{KNOWN_CHECK} or {OUR_CHECK}.",
        },
    )
    id = forms.IntegerField(
        min_value=1,
        # PostgreSQL's integer: a larger id is not one of ours, and must not reach a query.
        max_value=2**31 - 1,
        error_messages={
            "required": "Say which earlier check this is (its id).",
            "invalid": "The earlier check's id must be a whole number.",
            "min_value": "The earlier check's id must be a whole number, 1 or more.",
            "max_value": "There is no earlier check with that id.",
        },
    )
    decision = forms.ChoiceField(
        choices=MatchDecision.choices,
        error_messages={
            "required": "Choose “Same claim” or “Not the same”.",
            "invalid_choice": f"“%(value)s” is not an answer; say {MatchDecision.SAME} (same "
            f"claim) or {MatchDecision.NOT_SAME} (not the same).",
        },
    )
    score = forms.FloatField(
        required=False,
        min_value=0,
        max_value=1,
        error_messages={
            "invalid": "The score must be a number between 0 and 1.",
            "min_value": "The score must be a number between 0 and 1.",
            "max_value": "The score must be a number between 0 and 1.",
        },
    )

    def answer(self) -> dict[str, Any]:
        """kind, id, decision, score from a valid form."""
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "id": data["id"],
            "decision": data["decision"],
            "score": data.get("score"),
        }
