"""OpenAPI examples for claims, their sources and comments (annotations.api.claims).

Kept apart so the view module reads as what it does; the served schema is the same.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiExample

SELECTOR_EXAMPLE: dict[str, Any] = {
    "exact": "hit at least five times",
    "prefix": "said the soldier had been ",
    "suffix": " by North Korean gunfire",
    "start": 1234,
    "end": 1257,
}
SOURCE_EXAMPLE: dict[str, Any] = {
    "id": 11,
    "url": "https://example.org/hospital-briefing",
    "title": "Hospital briefing",
    "publisher": "Ajou University Hospital",
    "excerpt": "He had six gunshot wounds.",
    "kind": "official_statement",
    "stance": "supports",
    "accessed_at": "2026-11-20",
    "archived_url": "",
    "created_at": "2026-11-20T10:00:00Z",
}
CLAIM_EXAMPLE: dict[str, Any] = {
    "id": 42,
    "url": "https://factcheck.example.org/api/v1/claims/42/",
    "article": 7,
    "revision": 9,
    "selector": SELECTOR_EXAMPLE,
    "statement": "The soldier was hit at least five times.",
    "claimant": "Joint Chiefs of Staff",
    "verdict": "mostly-true",
    "verdict_label": "Mostly true",
    "explanation": "Hospital records list six gunshot wounds.",
    "status": "draft",
    "anchor_state": "anchored",
    "version": 3,
    "sources": [SOURCE_EXAMPLE],
    "reviews": [],
    "created_by": "ed",
    "updated_by": "ed",
    "reviewed_by": None,
    "created_at": "2026-11-20T09:00:00Z",
    "updated_at": "2026-11-20T10:00:00Z",
    "submitted_at": None,
    "reviewed_at": None,
    "checked_before": [
        {
            "kind": "known_check",
            "url": "https://factcheck.example.net/2017/11/defector-shots/",
            "claim_reviewed": "A North Korean soldier was hit at least five times as he "
            "crossed the border at Panmunjom.",
            "rating": "Mostly true",
            "publisher": "Example Fact Check",
            "date": "2017-11-16",
            "confirmed_by": "ed",
            "confirmed_at": "2026-11-20T09:30:00Z",
        }
    ],
}
STALE_EXAMPLE: dict[str, Any] = {
    "detail": "ed2 saved this claim while you were editing it (version 2 → 3). They changed "
    "verdict: “Mostly true” → “False”. Nothing of yours was saved; reload the claim and "
    "apply your change again.",
    "current_version": 3,
    "changes": {"verdict": ["Mostly true", "False"]},
}
COMMENT_EXAMPLE: dict[str, Any] = {
    "id": 5,
    "author": "rev",
    "body": "Which hospital record is this?",
    "created_at": "2026-11-20T11:00:00Z",
}

# --- Per operation ------------------------------------------------------------------------

STALE = [OpenApiExample("Stale version", value=STALE_EXAMPLE, status_codes=["409"])]

CLAIM_LIST = [OpenApiExample("A page of claims", value=CLAIM_EXAMPLE, response_only=True)]
CLAIM_CREATE = [
    OpenApiExample(
        "By quote",
        request_only=True,
        value={
            "article": 7,
            "selector": {"exact": "hit at least five times"},
            "statement": "The soldier was hit at least five times.",
            "claimant": "Joint Chiefs of Staff",
            "verdict": "mostly-true",
            "explanation": "",
        },
    ),
    OpenApiExample(
        "By offsets",
        request_only=True,
        value={"article": 7, "selector": {"start": 1234, "end": 1257}},
    ),
    OpenApiExample("Created", value=CLAIM_EXAMPLE, response_only=True, status_codes=["201"]),
]
CLAIM_DETAIL = [OpenApiExample("A claim", value=CLAIM_EXAMPLE, response_only=True)]
CLAIM_UPDATE = [
    OpenApiExample(
        "New verdict",
        request_only=True,
        value={"version": 3, "verdict": "false", "explanation": "Records show six."},
    ),
]

SOURCE_LIST = [OpenApiExample("Sources", value=SOURCE_EXAMPLE, response_only=True)]
SOURCE_ATTACH = [
    OpenApiExample(
        "A hospital briefing",
        request_only=True,
        value={
            "url": "https://example.org/hospital-briefing",
            "title": "Hospital briefing",
            "publisher": "Ajou University Hospital",
            "kind": "official_statement",
            "stance": "supports",
            "accessed_at": "2026-11-20",
        },
    ),
    OpenApiExample("Attached", value=SOURCE_EXAMPLE, response_only=True, status_codes=["201"]),
]
SOURCE_UPDATE = [
    OpenApiExample("Change the stance", request_only=True, value={"stance": "context"})
]

COMMENT_LIST = [OpenApiExample("Comments", value=COMMENT_EXAMPLE, response_only=True)]
COMMENT_ADD = [
    OpenApiExample(
        "A question",
        request_only=True,
        value={"body": "Which hospital record is this?"},
    ),
    OpenApiExample("Added", value=COMMENT_EXAMPLE, response_only=True, status_codes=["201"]),
]
