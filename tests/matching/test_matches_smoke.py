"""Smoke: known checks and a published claim ranked for a claim, through the selector."""

import pytest

from annotations.models import KnownCheck
from annotations.selectors.matches import index_reset, matches_for_text
from annotations.services.matching import embeddings_fill

pytestmark = pytest.mark.django_db


def test_text_matches_known_checks_by_words_then_meaning():
    index_reset()
    KnownCheck.objects.create(
        claim_reviewed="Wind turbines cause cancer in people who live near them.",
        url="https://checks.test/wind",
        rating_text="False",
        publisher_name="Checkers",
    )
    KnownCheck.objects.create(
        claim_reviewed="The Eiffel Tower was sold twice by a con man.",
        url="https://checks.test/eiffel",
        rating_text="True",
    )
    first = matches_for_text("windmills give you cancer")
    assert first[0].url == "https://checks.test/wind"
    assert embeddings_fill() == 2
    second = matches_for_text("a swindler sold the famous Paris tower")
    assert second[0].url == "https://checks.test/eiffel"
