"""Output and input shapes of the API (see ../shared/API.md for the contract)."""

from typing import Any

from rest_framework import serializers

from annotations.models import Verdict


class VerdictSerializer(serializers.ModelSerializer):
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
