"""Output and input shapes of the API (see ../shared/API.md for the contract)."""

from rest_framework import serializers

from annotations.models import Verdict


class VerdictSerializer(serializers.ModelSerializer):
    class Meta:
        model = Verdict
        fields = ["slug", "label", "rating_value", "colour", "description"]
