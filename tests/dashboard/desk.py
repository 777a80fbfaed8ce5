"""A week or two of a desk's work, each step taken through the services at a chosen moment.

The clock is the only thing replaced: `django.utils.timezone.now` answers the moment given,
so `created_at` (auto_now_add), `submitted_at`, `reviewed_at` and the Review rows carry it
exactly as they would have on that day. The database is real.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from unittest import mock

from django.utils import timezone

from annotations.services import claims as claim_services
from annotations.services import workflow
from tests.api.fixtures.helpers import QUOTES

#: A zone where a late evening is already the next day in UTC: days must be local.
ZONE = "America/New_York"


def local(days_ago: int, hour: int, minute: int = 0) -> datetime:
    """`hour:minute` on the local day `days_ago` days before today."""
    zone = timezone.get_current_timezone()
    day = timezone.localdate() - timedelta(days=days_ago)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)


@contextmanager
def at(moment: datetime) -> Iterator[None]:
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def draft(article, editor, quote: str, when: datetime, *, verdict: str = "mostly-true"):
    """A claim ready for approval (verdict, explanation, source), made at `when`."""
    with at(when):
        claim = claim_services.claim_create(
            article=article,
            user=editor,
            selector={"exact": quote},
            verdict=verdict,
            explanation="Hospital records list six gunshot wounds.",
        )
        claim_services.source_attach(
            claim=claim, user=editor, title="Hospital briefing", url="https://example.org/h"
        )
    claim.refresh_from_db()
    return claim


def step(claim, user, name: str, when: datetime, comment: str = ""):
    """One workflow step at `when` (a comment where the step needs one)."""
    if name not in ("submit", "approve") and not comment:
        comment = f"{name} for the test"
    with at(when):
        return workflow.claim_transition(claim=claim, user=user, step=name, comment=comment)


@dataclass
class Desk:
    """What `build` made, by role in the story."""

    twice_reviewed: object
    waiting: object


def build(article, editor, rev, rev2) -> Desk:
    """The story every figure test reads (days ago, local time in ZONE):

    - A: created −10 at 23:30 (already −9 in UTC), submitted −9 09:00, approved by rev
      −8 10:00 (25 h), verdict False;
    - B: created −5 00:15, submitted −5 10:00, sent back by rev −4 11:00, submitted again
      −3 09:00, approved by rev2 −3 13:00 (4 h from the last submission), Mostly true;
    - C: created −2, submitted −2 08:00, rejected by rev2 −1 08:00;
    - D: created −1, submitted −1 12:00: waiting in review;
    - E: created, submitted, approved and reopened by rev on −6: now changes requested;
    - F: created −40, submitted and approved by rev −40: only in the 90 days;
    - G: created −3 and deleted: nowhere.
    """
    a = draft(article, editor, QUOTES[0], local(10, 23, 30), verdict="false")
    step(a, editor, "submit", local(9, 9))
    step(a, rev, "approve", local(8, 10))

    b = draft(article, editor, QUOTES[1], local(5, 0, 15))
    step(b, editor, "submit", local(5, 10))
    step(b, rev, "request_changes", local(4, 11))
    step(b, editor, "submit", local(3, 9))
    step(b, rev2, "approve", local(3, 13))

    c = draft(article, editor, QUOTES[2], local(2, 7))
    step(c, editor, "submit", local(2, 8))
    step(c, rev2, "reject", local(1, 8))

    d = draft(article, editor, QUOTES[3], local(1, 11))
    step(d, editor, "submit", local(1, 12))

    e = draft(article, editor, QUOTES[4], local(6, 8))
    step(e, editor, "submit", local(6, 9))
    step(e, rev, "approve", local(6, 10))
    step(e, rev, "reopen", local(6, 16))

    f = draft(article, editor, QUOTES[5], local(40, 8))
    step(f, editor, "submit", local(40, 9))
    step(f, rev, "approve", local(40, 10))

    g = draft(article, editor, QUOTES[0], local(3, 8))
    with at(local(3, 9)):
        claim_services.claim_delete(claim=g, user=editor)
    return Desk(twice_reviewed=b, waiting=d)
