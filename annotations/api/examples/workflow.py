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

BULK_REVIEW = [
    OpenApiExample(
        "Approve three claims",
        request_only=True,
        value={
            "decision": "approve",
            "comment": "",
            "claims": [{"id": 41, "version": 6}, {"id": 42, "version": 3}, {"id": 57}],
        },
    ),
    OpenApiExample(
        "One result per claim",
        response_only=True,
        status_codes=["207"],
        value={
            "done": 2,
            "refused": 1,
            "results": [
                {"id": 41, "result": "done", "status": "approved", "version": 7},
                {
                    "id": 42,
                    "result": "refused",
                    "detail": "You created this claim or changed what it says or its sources "
                    "in this review round, so another reviewer must approve it (four eyes).",
                    "code": "not_allowed",
                    "http_status": 403,
                },
                {"id": 57, "result": "done", "status": "approved", "version": 5},
            ],
        },
    ),
    OpenApiExample(
        "Reject without a comment",
        response_only=True,
        status_codes=["400"],
        value={
            "detail": "Reject needs a comment saying why; nothing was done.",
            "comment": ["Reject needs a comment saying why; nothing was done."],
        },
    ),
]
