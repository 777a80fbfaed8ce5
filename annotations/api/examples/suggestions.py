"""OpenAPI examples for suggested claims (annotations.api.suggestions)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiExample

from annotations.api.examples.claims import CLAIM_EXAMPLE

SUGGESTION_EXAMPLE: dict[str, Any] = {
    "id": 301,
    "selector": {
        "exact": "hit at least five times",
        "prefix": "ing to the Joint Chiefs, he was ",
        "suffix": " as he ran across the border. H",
        "start": 1234,
        "end": 1257,
    },
    "sentence": "According to the Joint Chiefs, he was hit at least five times as he ran "
    "across the border.",
    "score": 0.8731,
    "reason": "quantity",
    "reason_label": "Quantity",
    "status": "open",
}

SUGGESTION_LIST = [
    OpenApiExample(
        "Suggestions of the current revision",
        response_only=True,
        value={
            "article": 7,
            "revision": 9,
            "revision_number": 2,
            "suggestions": [SUGGESTION_EXAMPLE],
        },
    )
]
SUGGESTION_ACCEPT = [
    OpenApiExample(
        "Accepted: the new draft claim",
        response_only=True,
        status_codes=["201"],
        value={
            **CLAIM_EXAMPLE,
            "statement": SUGGESTION_EXAMPLE["sentence"],
            "claimant": "",
            "verdict": None,
            "verdict_label": None,
            "explanation": "",
            "version": 1,
            "sources": [],
            "checked_before": [],
            "updated_at": "2026-11-20T09:00:00Z",
        },
    ),
    OpenApiExample(
        "Already accepted",
        response_only=True,
        status_codes=["409"],
        value={"detail": "This suggestion was already accepted as claim 42.", "claim": 42},
    ),
    OpenApiExample(
        "The article has a newer revision",
        response_only=True,
        status_codes=["409"],
        value={
            "detail": "This suggestion is on revision 1, and the article has a newer "
            "revision: it can no longer be accepted. Reload the article to see the current "
            "suggestions."
        },
    ),
]
SUGGESTION_DISMISS = [
    OpenApiExample(
        "Dismissed",
        response_only=True,
        status_codes=["200"],
        value={**SUGGESTION_EXAMPLE, "status": "dismissed"},
    ),
    OpenApiExample(
        "Already accepted",
        response_only=True,
        status_codes=["409"],
        value={"detail": "This suggestion was already accepted as claim 42.", "claim": 42},
    ),
]
