"""Claims built through the services, as the tests need them (no database mocks)."""

from __future__ import annotations

from annotations.models import Claim
from annotations.services.claims import claim_create, claim_update, source_attach

QUOTE = "hit at least five times"


def make_claim(article, user, *, ready: bool = True) -> Claim:
    """A draft claim; `ready` gives it a verdict, an explanation and a source."""
    claim = claim_create(article=article, user=user, selector={"exact": QUOTE})
    if ready:
        claim = claim_update(
            claim=claim,
            user=user,
            version=claim.version,
            claimant="Joint Chiefs of Staff",
            verdict="mostly-true",
            explanation="The Pentagon's account and the hospital's agree on five wounds.",
        )
        source_attach(
            claim=claim,
            user=user,
            title="Hospital statement",
            url="https://example.org/hospital",
            stance="supports",
        )
    claim.refresh_from_db()
    return claim
