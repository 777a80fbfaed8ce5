"""Claims as W3C Web Annotations (the Web Annotation Data Model).

A claim maps to an Annotation thus: `motivation` "assessing"; bodies, each a
`TextualBody` told apart by `purpose` and `label` — the verdict (assessing, label
"verdict"), the statement (describing), the explanation (commenting), the claimant
(identifying) — and each source as a `SpecificResource` (purpose linking) on its URL, with
its `stance` (supports, refutes, context): a term of the app's own JSON-LD context,
`/ns/factcheck.jsonld`, listed after the W3C one (`annotation_context`). Each earlier
check a person confirmed the claim repeats ("Checked before?": Same claim) is one more
`SpecificResource` (purpose linking) on the check's URL, labelled "checked before" and
without a `stance`: a link to where the claim was checked, not evidence. The `target` is
the article (its URL, or the app's page when it has none) with a `TextQuoteSelector` and
a `TextPositionSelector` in code points of the revision's canonical text.

Rows come from `selectors.exports.claims_for_annotations()` (the article URL, verdict
label and creator name as annotated columns), their sources from
`selectors.exports.sources_by_claim()` and their confirmed earlier checks from
`selectors.matches.confirmed_matches()` (one query each for a page).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.urls import reverse

if TYPE_CHECKING:
    from annotations.selectors.exports import AnnotationRow
    from annotations.selectors.matches import Confirmed

#: The W3C Web Annotation JSON-LD context, also the profile of its media type (Web
#: Annotation Protocol §4).
ANNO_PROFILE = "http://www.w3.org/ns/anno.jsonld"


#: A source as an Annotation shows it: (url, title, stance).
SourceRow = tuple[str, str, str]
#: The label of a confirmed earlier check's body (the other bodies' labels name their
#: field the same way: "verdict", "statement", "source" …).
CHECKED_BEFORE_LABEL = "checked before"


def context_document(base: str) -> dict[str, Any]:
    """The app's JSON-LD context: the terms the W3C vocabulary has no word for."""
    return {
        "@context": {
            "factcheck": f"{base}{reverse('factcheck_context')}#",
            # How a source bears on the claim: "supports", "refutes" or "context".
            "stance": {"@id": "factcheck:stance"},
        }
    }


def annotation_context(base: str) -> list[str]:
    """`@context` of every annotation, page and collection: the W3C context first (the
    profile clients ask for), then the app's extension terms."""
    return [ANNO_PROFILE, f"{base}{reverse('factcheck_context')}"]


def textual_body(value: str, purpose: str, label: str) -> dict[str, Any]:
    """A `TextualBody`; the label tells apart the bodies that share a purpose."""
    return {
        "type": "TextualBody",
        "purpose": purpose,
        "label": label,
        "value": value,
        "format": "text/plain",
    }


class AnnotationPresenter:
    """Builds W3C Annotations; computes the URL prefixes once, not once per claim."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.context = annotation_context(base)
        self.annotation_prefix = base + reverse("api_annotations")
        self.article_page = base + reverse("article_detail", args=[0])[: -len("0/")]

    def annotation_id(self, claim_id: int) -> str:
        return f"{self.annotation_prefix}{claim_id}"

    def article_url(self, claim: AnnotationRow) -> str:
        return claim.article_url or f"{self.article_page}{claim.article_id}/"

    def present_all(
        self,
        claims: Sequence[AnnotationRow],
        sources: Mapping[int, list[SourceRow]],
        checked_before: Mapping[int, Sequence[Confirmed]] | None = None,
    ) -> list[dict[str, Any]]:
        """Claims with their sources (`sources_by_claim`, one query) and confirmed earlier
        checks (`confirmed_matches`, one query) as Annotations."""
        earlier = checked_before or {}
        return [self.present(c, sources.get(c.pk, []), earlier.get(c.pk, ())) for c in claims]

    def present(
        self,
        claim: AnnotationRow,
        sources: Sequence[SourceRow],
        checked_before: Sequence[Confirmed] = (),
    ) -> dict[str, Any]:
        body: list[dict[str, Any]] = []
        if claim.verdict_id:
            body.append(textual_body(claim.verdict_label or "", "assessing", "verdict"))
        if claim.statement:
            body.append(textual_body(claim.statement, "describing", "statement"))
        if claim.explanation:
            body.append(textual_body(claim.explanation, "commenting", "explanation"))
        if claim.claimant:
            body.append(textual_body(claim.claimant, "identifying", "claimant"))
        for url, title, stance in sources:
            if url:
                resource = {"type": "SpecificResource", "purpose": "linking", "source": url}
                if title:  # an untitled source is its URL; no empty label
                    resource["label"] = title
                body.append({**resource, "stance": stance})
            else:
                body.append({**textual_body(title, "linking", "source"), "stance": stance})
        for earlier in checked_before:
            body.append(
                {
                    "type": "SpecificResource",
                    "purpose": "linking",
                    "label": CHECKED_BEFORE_LABEL,
                    "source": earlier.url,
                }
            )
        return {
            "@context": self.context,
            "id": self.annotation_id(claim.pk),
            "type": "Annotation",
            "motivation": "assessing",
            "created": claim.created_at.isoformat(),
            "modified": claim.updated_at.isoformat(),
            "creator": {"type": "Person", "nickname": claim.creator_name},
            "body": body,
            "target": {
                "type": "SpecificResource",
                "source": self.article_url(claim),
                "selector": [
                    {
                        "type": "TextQuoteSelector",
                        "exact": claim.exact,
                        "prefix": claim.prefix,
                        "suffix": claim.suffix,
                    },
                    {"type": "TextPositionSelector", "start": claim.start, "end": claim.end},
                ],
            },
        }
