"""The desk dashboard's figures for the last N days, in one SQL statement.

What each figure counts (the page's "How these are counted" says the same, and
docs/decisions.md why). Days are calendar days in the newsroom's zone (TIME_ZONE), the
period is the last N of them, today included. Deleted claims are left out everywhere.

From the claims, each as it stands now: these can be recomputed from the CSV export
(one row per claim, times in the newsroom's zone), and `tests/dashboard` does so.

- created on a day: claims whose `created_at` falls on it;
- submitted on a day: claims whose latest submission (`submitted_at`) falls on it: a
  claim sent back and submitted again counts once, on the day of its last submission;
- approved on a day: claims now approved whose approval (`reviewed_at`) falls on it;
- time to approval: for the claims approved in the period, `reviewed_at − submitted_at`
  (from the last submission to the approval), and its median;
- verdict mix: the claims approved in the period, per verdict (every step of the scale);
- waiting in review: claims in review now, whenever they were submitted.

From the review record (every decision, a `Review` row; the CSV holds only a claim's
latest decision, so these are not in it):

- each reviewer's decisions made in the period, per kind (approve, request changes,
  reject, reopen);
- the send-back rate: "request changes" decisions over the decisions on submitted claims
  (approve + request changes + reject). Rejections are not send-backs (the claim does not
  come back); reopening an approved claim is not a decision on submitted work: both are
  shown, neither is in the rate.

One statement, whatever the number of claims: each figure is a scalar subquery that
aggregates in PostgreSQL (GROUP BY the local day, FILTER, percentile_cont) and hands back
at most one row per day, verdict or reviewer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connections, router
from django.utils import timezone

from annotations.models import Claim, ClaimStatus, Review, ReviewDecision, Verdict

#: The periods the dashboard offers, in days; the first one it shows.
PERIODS = (7, 30, 90)
DEFAULT_PERIOD = 30


@dataclass(frozen=True)
class DayCounts:
    day: date
    created: int
    submitted: int
    approved: int


@dataclass(frozen=True)
class VerdictCount:
    label: str
    slug: str
    rating_value: int
    count: int


@dataclass(frozen=True)
class ReviewerLoad:
    username: str
    approved: int
    changes_requested: int
    rejected: int
    reopened: int

    @property
    def total(self) -> int:
        return self.approved + self.changes_requested + self.rejected + self.reopened


@dataclass(frozen=True)
class Dashboard:
    period: int
    first_day: date
    last_day: date
    #: Every day of the period, oldest first, zeros included.
    days: list[DayCounts]
    #: Median seconds from last submission to approval; None when nothing was approved.
    median_seconds: float | None
    waiting: int
    #: Every verdict of the scale, truest first.
    verdicts: list[VerdictCount]
    #: Reviewers who decided anything in the period, busiest first.
    reviewers: list[ReviewerLoad]

    @property
    def created(self) -> int:
        return sum(d.created for d in self.days)

    @property
    def submitted(self) -> int:
        return sum(d.submitted for d in self.days)

    @property
    def approved(self) -> int:
        return sum(d.approved for d in self.days)

    @property
    def decisions(self) -> int:
        """Decisions on submitted claims: the send-back rate's denominator."""
        return sum(r.approved + r.changes_requested + r.rejected for r in self.reviewers)

    @property
    def sent_back(self) -> int:
        return sum(r.changes_requested for r in self.reviewers)

    @property
    def rejected(self) -> int:
        return sum(r.rejected for r in self.reviewers)

    @property
    def reopened(self) -> int:
        return sum(r.reopened for r in self.reviewers)

    @property
    def send_back_rate(self) -> float | None:
        return self.sent_back / self.decisions if self.decisions else None

    @property
    def is_empty(self) -> bool:
        """Nothing created, submitted, approved or decided in the period."""
        return not (self.created or self.submitted or self.approved or self.reviewers)


def period_start(period: int, *, now: datetime | None = None) -> tuple[date, date, datetime]:
    """The period's first and last local days and the moment it starts (local midnight)."""
    zone = timezone.get_current_timezone()
    today = timezone.localdate(now or timezone.now(), zone)
    first = today - timedelta(days=period - 1)
    return first, today, datetime(first.year, first.month, first.day, tzinfo=zone)


def _sql() -> str:
    claims = Claim._meta.db_table
    verdicts = Verdict._meta.db_table
    reviews = Review._meta.db_table
    users = get_user_model()._meta.db_table
    username = get_user_model().USERNAME_FIELD
    live = "c.deleted_at IS NULL"
    approved_in_period = f"{live} AND c.status = %(approved)s AND c.reviewed_at >= %(start)s"

    def per_day(column: str, condition: str) -> str:
        return f"""(
            SELECT coalesce(json_object_agg(t.day, t.n), '{{}}')
            FROM (SELECT (c.{column} AT TIME ZONE %(zone)s)::date AS day, count(*) AS n
                  FROM {claims} c WHERE {condition} AND c.{column} >= %(start)s
                  GROUP BY 1) AS t)"""

    return f"""
    SELECT
      {per_day("created_at", live)} AS created,
      {per_day("submitted_at", live)} AS submitted,
      {per_day("reviewed_at", f"{live} AND c.status = %(approved)s")} AS approved,
      (SELECT percentile_cont(0.5) WITHIN GROUP (
                ORDER BY extract(epoch FROM c.reviewed_at - c.submitted_at))
       FROM {claims} c WHERE {approved_in_period}) AS median_seconds,
      (SELECT count(*) FROM {claims} c WHERE {live} AND c.status = %(in_review)s) AS waiting,
      (SELECT coalesce(json_agg(json_build_array(v.label, v.slug, v.rating_value, v.n)), '[]')
       FROM (SELECT v.label, v.slug, v.rating_value, count(c.id) AS n
             FROM {verdicts} v LEFT JOIN {claims} c
               ON c.verdict_id = v.id AND {approved_in_period}
             GROUP BY v.id) AS v) AS verdicts,
      (SELECT coalesce(json_agg(json_build_array(t.name, t.a, t.cr, t.rj, t.ro)), '[]')
       FROM (SELECT u.{username} AS name,
                    count(*) FILTER (WHERE r.decision = %(d_approved)s) AS a,
                    count(*) FILTER (WHERE r.decision = %(d_changes)s) AS cr,
                    count(*) FILTER (WHERE r.decision = %(d_rejected)s) AS rj,
                    count(*) FILTER (WHERE r.decision = %(d_reopened)s) AS ro
             FROM {reviews} r
             JOIN {claims} c ON c.id = r.claim_id AND {live}
             JOIN {users} u ON u.id = r.reviewer_id
             WHERE r.created_at >= %(start)s
             GROUP BY u.id) AS t) AS reviewers
    """


def dashboard(*, period: int = DEFAULT_PERIOD, now: datetime | None = None) -> Dashboard:
    """The figures for the last `period` days (one query)."""
    if period not in PERIODS:
        raise ValueError(f"period must be one of {PERIODS}")
    first, last, start = period_start(period, now=now)
    params: dict[str, Any] = {
        "zone": timezone.get_current_timezone_name(),
        "start": start,
        "approved": ClaimStatus.APPROVED.value,
        "in_review": ClaimStatus.IN_REVIEW.value,
        "d_approved": ReviewDecision.APPROVED.value,
        "d_changes": ReviewDecision.CHANGES_REQUESTED.value,
        "d_rejected": ReviewDecision.REJECTED.value,
        "d_reopened": ReviewDecision.REOPENED.value,
    }
    # Raw SQL takes no router on its own: ask it, so the page reads the replica when the
    # view allows (annotations.replica).
    with connections[router.db_for_read(Claim)].cursor() as cursor:
        cursor.execute(_sql(), params)
        created, submitted, approved, median, waiting, verdicts, reviewers = cursor.fetchone()
    days = []
    for offset in range(period):
        day = first + timedelta(days=offset)
        key = day.isoformat()
        days.append(
            DayCounts(day, created.get(key, 0), submitted.get(key, 0), approved.get(key, 0))
        )
    return Dashboard(
        period=period,
        first_day=first,
        last_day=last,
        days=days,
        median_seconds=float(median) if median is not None else None,
        waiting=waiting,
        verdicts=sorted(
            (VerdictCount(*row) for row in verdicts), key=lambda v: (-v.rating_value, v.label)
        ),
        reviewers=sorted(
            (ReviewerLoad(*row) for row in reviewers), key=lambda r: (-r.total, r.username)
        ),
    )
