"""Reads of known checks (fact-checks published elsewhere), for the API and the admin.

A known check has no joins to make: the list and the detail read its own row only (who
imported it is the admin's business, which joins it itself).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from annotations.models import KnownCheck


def known_checks() -> QuerySet[KnownCheck]:
    """Every known check, newest import first (the cursor's order: `-id`)."""
    return KnownCheck.objects.all()


def known_checks_matching(checks: QuerySet[KnownCheck], q: str) -> QuerySet[KnownCheck]:
    """Checks whose claim or claimant contains ``q`` (case-insensitive; both columns have
    a trigram index on their UPPER())."""
    q = q.strip()
    if not q:
        return checks
    return checks.filter(Q(claim_reviewed__icontains=q) | Q(claimant__icontains=q))


def known_checks_in_language(checks: QuerySet[KnownCheck], tag: str) -> QuerySet[KnownCheck]:
    """Checks in the language ``tag`` or one of its regional forms: "en" finds "en" and
    "en-GB"; "pt-BR" finds "pt-BR" only (BCP 47 tags are case-insensitive)."""
    tag = tag.strip()
    if not tag:
        return checks
    return checks.filter(Q(language__iexact=tag) | Q(language__istartswith=f"{tag}-"))
