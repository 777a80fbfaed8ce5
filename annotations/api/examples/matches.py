"""OpenAPI examples for "Checked before?" (annotations.api.matches)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiExample

from annotations.api.examples.known_checks import KNOWN_CHECK_EXAMPLE

KNOWN_MATCH: dict[str, Any] = {
    "kind": "known_check",
    "id": KNOWN_CHECK_EXAMPLE["id"],
    "score": 0.9412,
    "claim_reviewed": KNOWN_CHECK_EXAMPLE["claim_reviewed"],
    "claimant": KNOWN_CHECK_EXAMPLE["claimant"],
    "rating": "Mostly true",
    "publisher": "Example Fact Check",
    "date": KNOWN_CHECK_EXAMPLE["date"],
    "url": KNOWN_CHECK_EXAMPLE["url"],
    "language": "en",
    "decision": "same",
    "decided_by": "ed",
    "decided_at": "2026-12-01T10:30:00Z",
    "article_title": None,
}
OUR_MATCH: dict[str, Any] = {
    "kind": "our_check",
    "id": 34,
    "score": 0.6125,
    "claim_reviewed": "The soldier was shot five times while crossing the border.",
    "claimant": "United Nations Command",
    "rating": "Mostly true",
    "publisher": "factcheck newsroom",
    "date": "2017-11-23",
    "url": "https://factcheck.example.org/published/5/#claim-34",
    "language": "",
    "decision": None,
    "decided_by": None,
    "decided_at": None,
    "article_title": "North Korean defector shot five times",
}
QUERY = (
    "The defector was hit at least five times. According to the Joint Chiefs, he was hit at "
    "least five times as he ran across the border. Joint Chiefs of Staff"
)

CLAIM_MATCHES = [
    OpenApiExample(
        "Earlier checks, one confirmed",
        response_only=True,
        value={"query": QUERY, "results": [KNOWN_MATCH, OUR_MATCH]},
    )
]
TEXT_MATCHES = [
    OpenApiExample(
        "Earlier checks of a sentence",
        response_only=True,
        value={
            "query": "Was the defector shot five times?",
            "language": "en",
            "results": [{**KNOWN_MATCH, "decision": None, "decided_by": None, "decided_at": None}],
        },
    ),
    OpenApiExample(
        "No text",
        response_only=True,
        status_codes=["400"],
        value={"detail": "Give the text to match in `q`.", "q": ["Give the text to match in `q`."]},
    ),
]
ANSWER = [
    OpenApiExample(
        "Same claim, a known check",
        request_only=True,
        value={"known_check": KNOWN_CHECK_EXAMPLE["id"], "decision": "same", "score": 0.9412},
    ),
    OpenApiExample(
        "Not the same, one of our checks",
        request_only=True,
        value={"claim": 34, "decision": "not_same"},
    ),
    OpenApiExample(
        "Recorded",
        response_only=True,
        status_codes=["201"],
        value={
            "claim": 42,
            "kind": "known_check",
            "id": KNOWN_CHECK_EXAMPLE["id"],
            "decision": "same",
            "score": 0.9412,
            "decided_by": "ed",
            "decided_at": "2026-12-01T10:30:00Z",
        },
    ),
    OpenApiExample(
        "Unknown known check",
        response_only=True,
        status_codes=["400"],
        value={"known_check": ["There is no known check with id 999."]},
    ),
    OpenApiExample(
        "Not a published check",
        response_only=True,
        status_codes=["400"],
        value={
            "detail": "Claim 35 is not a published check, so it cannot be an earlier check.",
            "claim": ["Claim 35 is not a published check, so it cannot be an earlier check."],
        },
    ),
]
