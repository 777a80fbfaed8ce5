"""Output and input shapes of the API (see ../shared/API.md for the contract)."""

import copy
from typing import Any

from rest_framework import serializers

from annotations.models import Verdict
from annotations.roles import EDITOR, REVIEWER, group_names, is_reviewer, may_edit


class ModelSerializer(serializers.ModelSerializer):
    """DRF's ModelSerializer, with the fields it derives from the model worked out once
    per class instead of once per instance.

    DRF reads the model's fields, their validators and unique constraints again for every
    serializer it makes: for one article answer (the article and its revision) that was a
    fifth of the request's time (issue 17). What it builds depends only on the class and
    its Meta, so each class keeps the unbound fields it built the first time, and every
    instance gets its own deep copies — the copies DRF already makes of declared fields,
    so each request still binds fields of its own. A subclass whose fields depend on the
    instance or its context must override `get_fields` itself.
    """

    def get_fields(self) -> dict[str, Any]:
        cls = type(self)
        built = cls.__dict__.get("_fields_built_once")
        if built is None:  # two threads may both build it: the same fields either way
            built = super().get_fields()
            cls._fields_built_once = built
        return {name: copy.deepcopy(field) for name, field in built.items()}


class VerdictSerializer(ModelSerializer):
    class Meta:
        model = Verdict
        fields = ["slug", "label", "rating_value", "colour", "description"]

    def to_representation(self, verdict: Verdict) -> dict[str, Any]:
        """What DRF's fields give for these five plain columns, without building the
        fields from the model on every request (issue 17: the cheapest request lists the
        verdicts). tests/api/test_verdicts.py holds it to the generic output."""
        return {
            "slug": verdict.slug,
            "label": verdict.label,
            "rating_value": verdict.rating_value,
            "colour": verdict.colour,
            "description": verdict.description,
        }


class MeSerializer(serializers.Serializer):
    """`GET /api/v1/me/`: who the request's token (or session) belongs to, and what their
    roles let them do."""

    id = serializers.IntegerField()
    username = serializers.CharField()
    roles = serializers.ListField(
        child=serializers.ChoiceField(choices=[EDITOR, REVIEWER]),
        help_text="The newsroom roles: `editor`, `reviewer`. None: the account reads nothing.",
    )
    may_edit = serializers.BooleanField(help_text="May load articles and write claims.")
    may_review = serializers.BooleanField(help_text="May approve, send back or reject.")

    def to_representation(self, user: Any) -> dict[str, Any]:
        """By hand: an API client asks this before anything else (a CMS checking its
        token), and the roles were read with the token, so it costs no query."""
        return {
            "id": user.pk,
            "username": user.get_username(),
            "roles": sorted(group_names(user) & {EDITOR, REVIEWER}),
            "may_edit": may_edit(user),
            "may_review": is_reviewer(user),
        }
