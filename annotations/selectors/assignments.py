"""Reads for assignment (issue 16): who is assigned to an article or a claim, who could
be, and "My work" (what is assigned to me). Each a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Exists, OuterRef, Q, QuerySet

from annotations.models import (
    Article,
    Assignment,
    Claim,
    ClaimStatus,
)
from annotations.roles import EDITOR, REVIEWER


def assignments_of(*, article: Article | None = None, claim: Claim | None = None) -> list[Any]:
    """The people assigned to the article or the claim, editors first, with who assigned
    them: one query."""
    target = Q(claim=claim) if claim is not None else Q(article=article)
    return list(
        Assignment.objects.filter(target)
        .select_related("person", "assigned_by")
        .order_by("role", "person__username", "id")
    )


def eligible_people() -> QuerySet[User]:
    """Everyone who could be assigned: active members, each with `can_review` (whether they
    may be the reviewer). One query."""
    reviewer_group = User.groups.through.objects.filter(
        user_id=OuterRef("pk"), group__name=REVIEWER
    )
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(is_staff=True)
            | Exists(
                User.groups.through.objects.filter(
                    user_id=OuterRef("pk"), group__name__in=[EDITOR, REVIEWER]
                )
            )
        )
        .annotate(can_review=Q(is_staff=True) | Exists(reviewer_group))
        .only("id", "username", "is_staff")
        .order_by("username")
    )


#: "My work": the claim sections, in the order they are shown.
WORK_STATUSES = (
    ClaimStatus.CHANGES_REQUESTED,
    ClaimStatus.DRAFT,
    ClaimStatus.IN_REVIEW,
    ClaimStatus.APPROVED,
    ClaimStatus.REJECTED,
)


@dataclass
class ClaimGroup:
    status: str
    label: str
    claims: list[Any] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.claims)


@dataclass
class MyWork:
    #: (article, [roles]) for each article assigned to me, latest activity first.
    articles: list[tuple[Article, list[str]]]
    #: Claims assigned to me, by status (every status present, maybe empty).
    groups: list[ClaimGroup]

    @property
    def claim_count(self) -> int:
        return sum(group.count for group in self.groups)

    @property
    def is_empty(self) -> bool:
        return not self.articles and not self.claim_count


def my_work(user: User) -> MyWork:
    """Articles and live claims assigned to `user`, claims grouped by status, each claim
    with `roles` (the roles I hold on it). Two queries, however much is assigned."""
    articles: dict[int, tuple[Article, list[str]]] = {}
    for assignment in (
        Assignment.objects.filter(person=user, article__isnull=False)
        .select_related("article")
        .only("role", "article__id", "article__title", "article__outlet", "article__updated_at")
        .order_by("-article__updated_at", "article_id", "role")
    ):
        assert assignment.article is not None
        entry = articles.setdefault(assignment.article_id or 0, (assignment.article, []))
        entry[1].append(assignment.get_role_display())
    groups = {status: ClaimGroup(status, ClaimStatus(status).label) for status in WORK_STATUSES}
    claims: dict[int, Any] = {}
    for assignment in (
        Assignment.objects.filter(person=user, claim__isnull=False)
        .filter(Q(claim__deleted_at__isnull=True))
        .select_related("claim", "claim__article", "claim__verdict")
        .defer("claim__published_check", "claim__explanation")
        .order_by("-claim__updated_at", "claim_id", "role")
    ):
        claim = assignment.claim
        assert claim is not None
        if claim.pk not in claims:
            claim.roles = []  # type: ignore[attr-defined]
            claims[claim.pk] = claim
            groups[ClaimStatus(claim.status)].claims.append(claim)
        claims[claim.pk].roles.append(assignment.get_role_display())
    return MyWork(list(articles.values()), list(groups.values()))


def claims_assigned_to(user: User) -> Q:
    """A condition on claims: assigned to `user` in either role (for the queue and the
    API's `assigned_to`); a subquery, so a claim is listed once whatever the roles."""
    return Q(pk__in=Assignment.objects.filter(person=user, claim__isnull=False).values("claim_id"))
