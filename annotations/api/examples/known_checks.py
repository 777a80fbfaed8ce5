"""OpenAPI examples for known checks (annotations.api.known_checks)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiExample

KNOWN_CHECK_EXAMPLE: dict[str, Any] = {
    "id": 812,
    "claim_reviewed": "A North Korean soldier was hit at least five times as he crossed the "
    "border at Panmunjom.",
    "claimant": "Joint Chiefs of Staff",
    "rating": {"text": "Mostly true", "value": 4.0, "best": 5.0, "worst": 1.0},
    "publisher": {"name": "Example Fact Check", "url": "https://factcheck.example.net/"},
    "url": "https://factcheck.example.net/2017/11/defector-shots/",
    "date": "2017-11-16",
    "language": "en",
    "title": "Was the defector hit five times?",
    "imported_at": "2026-11-30T10:00:00Z",
    "updated_at": "2026-11-30T10:00:00Z",
}

CLAIMREVIEW_EXAMPLE: dict[str, Any] = {
    "@context": "https://schema.org",
    "@type": "ClaimReview",
    "url": KNOWN_CHECK_EXAMPLE["url"],
    "name": KNOWN_CHECK_EXAMPLE["title"],
    "claimReviewed": KNOWN_CHECK_EXAMPLE["claim_reviewed"],
    "datePublished": "2017-11-16",
    "inLanguage": "en",
    "author": {
        "@type": "Organization",
        "name": "Example Fact Check",
        "url": "https://factcheck.example.net/",
    },
    "reviewRating": {
        "@type": "Rating",
        "ratingValue": 4,
        "bestRating": 5,
        "worstRating": 1,
        "alternateName": "Mostly true",
    },
    "itemReviewed": {
        "@type": "Claim",
        "author": {"@type": "Organization", "name": "Joint Chiefs of Staff"},
        "datePublished": "2017-11-14",
    },
}

FACTCHECK_TOOLS_EXAMPLE: dict[str, Any] = {
    "claims": [
        {
            "text": "The defector was shot five times.",
            "claimant": "Joint Chiefs of Staff",
            "claimDate": "2017-11-14T00:00:00Z",
            "claimReview": [
                {
                    "publisher": {"name": "Example Fact Check", "site": "factcheck.example.net"},
                    "url": "https://factcheck.example.net/2017/11/five-shots/",
                    "title": "Five shots?",
                    "reviewDate": "2017-11-16T00:00:00Z",
                    "textualRating": "Mostly true",
                    "languageCode": "en",
                }
            ],
        }
    ]
}

REPORT_EXAMPLE: dict[str, Any] = {
    "created": 1,
    "updated": 0,
    "unchanged": 0,
    "duplicates": 0,
    "ignored": 0,
    "items": [{"index": 1, "url": KNOWN_CHECK_EXAMPLE["url"], "result": "created", "id": 812}],
}

LIST = [OpenApiExample("A page of known checks", value=KNOWN_CHECK_EXAMPLE, response_only=True)]
DETAIL = [OpenApiExample("A known check", value=KNOWN_CHECK_EXAMPLE, response_only=True)]
IMPORT = [
    OpenApiExample(
        "ClaimReview JSON-LD (an array)", value=[CLAIMREVIEW_EXAMPLE], request_only=True
    ),
    OpenApiExample(
        "Fact Check Tools claims:search results",
        value=FACTCHECK_TOOLS_EXAMPLE,
        request_only=True,
    ),
    OpenApiExample("Imported", value=REPORT_EXAMPLE, response_only=True, status_codes=["201"]),
    OpenApiExample(
        "Imported again, nothing changed",
        value={
            **REPORT_EXAMPLE,
            "created": 0,
            "unchanged": 1,
            "items": [{**REPORT_EXAMPLE["items"][0], "result": "unchanged"}],
        },
        response_only=True,
        status_codes=["200"],
    ),
    OpenApiExample(
        "A bad item: nothing was written",
        value={
            "detail": "item 3 (https://factcheck.example.net/x/): reviewRating.ratingValue must "
            "be a number; got “five”. Nothing was imported.",
            "item": 3,
            "item_url": "https://factcheck.example.net/x/",
        },
        response_only=True,
        status_codes=["400"],
    ),
]
