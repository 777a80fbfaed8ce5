"""OpenAPI examples for the review workflow and the audit trail (annotations.api.workflow)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample

STEP = [
    OpenApiExample(
        "Approve what I read",
        request_only=True,
        value={"version": 6, "comment": ""},
    ),
    OpenApiExample(
        "Changed since read",
        response_only=True,
        status_codes=["409"],
        value={
            "detail": "This claim changed since you read it (version 4 → 6). Changed: "
            "verdict: “False” → “True”. Nothing was done: read it again, then approve "
            "it if you still mean to.",
            "current_version": 6,
            "changes": {"verdict": ["False", "True"]},
        },
    ),
    OpenApiExample(
        "Request changes",
        request_only=True,
        value={"comment": "Add the Pentagon's own statement as a source."},
    ),
    OpenApiExample(
        "Step not allowed",
        response_only=True,
        status_codes=["409"],
        value={"detail": "Cannot approve: the claim is draft. Steps allowed from draft: submit."},
    ),
]

HISTORY = [
    OpenApiExample(
        "History",
        response_only=True,
        value=[
            {
                "at": "2026-11-26T09:12:03+00:00",
                "user": "ed",
                "actor": "ed",
                "action": "claim_update",
                "label": "Edited the claim",
                "changes": {"verdict": [None, "Mostly true"]},
                "comment": "",
            }
        ],
    )
]
