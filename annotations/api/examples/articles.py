"""OpenAPI examples for articles and their revisions (annotations.api.articles)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample

LOAD = [
    OpenApiExample(
        "Pasted text",
        value={"text": "Headline\n\nFirst paragraph …", "outlet": "CNN"},
        request_only=True,
    ),
    OpenApiExample(
        "Pasted HTML",
        value={
            "html": "<html><head><title>Headline</title></head><body>…</body></html>",
            "url": "https://news.example/story",
        },
        request_only=True,
    ),
    OpenApiExample(
        "Fetch a URL",
        value={"fetch": True, "url": "https://news.example/story"},
        request_only=True,
    ),
    OpenApiExample(
        "Already known",
        value={
            "detail": "This article is already loaded, with the same web address: “Headline”. "
            "Open it, or load this as a new revision of it.",
            "existing_id": 7,
            "existing_title": "Headline",
        },
        response_only=True,
        status_codes=["409"],
    ),
    OpenApiExample(
        "Too large",
        value={
            "detail": "The text is too long to load (2,100,000 characters; the limit is 2,000,000).",  # noqa: E501
            "text": [
                "The text is too long to load (2,100,000 characters; the limit is 2,000,000)."
            ],
            "code": "too_large",
        },
        response_only=True,
        status_codes=["413"],
    ),
]

METADATA = [OpenApiExample("New headline", value={"title": "A better headline"}, request_only=True)]

REVISION_LOAD = [
    OpenApiExample(
        "New text", value={"text": "Headline\n\nUpdated paragraph …"}, request_only=True
    ),
    OpenApiExample(
        "Loaded",
        value={
            "id": 12,
            "number": 2,
            "text": "…",
            "removed": "",
            "removed_parts": [],
            "content_hash": "…",
            "input_format": "text",
            "source_url": "",
            "created_by": "ed",
            "created_at": "2026-11-22T09:30:00Z",
            "reanchor": {
                "counts": {"anchored": 3, "moved": 1, "fuzzy": 0, "orphaned": 0},
                "claims": [{"id": 5, "state": "moved", "start": 120, "end": 161}],
            },
        },
        response_only=True,
        status_codes=["201"],
    ),
]
