"""The dashboard's figures against a desk built by hand (tests/dashboard/desk.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from annotations.selectors.dashboard import dashboard

pytestmark = pytest.mark.django_db


def by_day(board, field: str) -> dict[int, int]:
    """{days ago: count} for the days with any."""
    today = timezone.localdate()
    return {(today - d.day).days: getattr(d, field) for d in board.days if getattr(d, field)}


def test_every_day_of_the_period_is_listed_oldest_first(desk):
    board = dashboard(period=30)
    today = timezone.localdate()
    assert [d.day for d in board.days] == [today - timedelta(days=n) for n in range(29, -1, -1)]
    assert board.first_day == today - timedelta(days=29) and board.last_day == today


def test_created_per_local_day_without_deleted_claims(desk):
    board = dashboard(period=30)
    # A at 23:30 on day −10 is day −10 here, though −9 in UTC; G (deleted) is not counted.
    assert by_day(board, "created") == {10: 1, 6: 1, 5: 1, 2: 1, 1: 1}
    assert board.created == 5


def test_submitted_counts_each_claim_once_on_its_last_submission(desk):
    board = dashboard(period=30)
    assert by_day(board, "submitted") == {9: 1, 6: 1, 3: 1, 2: 1, 1: 1}  # B on −3, not −5


def test_approved_counts_claims_approved_now_on_the_day_of_approval(desk):
    board = dashboard(period=30)
    # E was approved on −6, then reopened: it is not approved now.
    assert by_day(board, "approved") == {8: 1, 3: 1}
    assert board.approved == 2


def test_median_time_from_last_submission_to_approval(desk):
    board = dashboard(period=30)
    assert board.median_seconds == pytest.approx((25 + 4) / 2 * 3600)  # 25 h (A) and 4 h (B)


def test_send_back_rate_is_over_decisions_on_submitted_claims(desk):
    board = dashboard(period=30)
    # rev: approve A, request changes B, approve E, reopen E; rev2: approve B, reject C.
    assert (board.decisions, board.sent_back, board.rejected, board.reopened) == (5, 1, 1, 1)
    assert board.send_back_rate == pytest.approx(0.2)


def test_verdict_mix_lists_the_whole_scale_truest_first(desk, verdicts):
    board = dashboard(period=30)
    counts = {v.slug: v.count for v in board.verdicts}
    assert counts.pop("false") == 1 and counts.pop("mostly-true") == 1
    assert set(counts.values()) == {0}
    assert len(board.verdicts) == len(verdicts)
    ratings = [v.rating_value for v in board.verdicts]
    assert ratings == sorted(ratings, reverse=True)


def test_reviewer_load_is_decisions_per_reviewer_busiest_first(desk):
    board = dashboard(period=30)
    loads = [
        (r.username, r.approved, r.changes_requested, r.rejected, r.reopened, r.total)
        for r in board.reviewers
    ]
    assert loads == [("rev", 2, 1, 0, 1, 4), ("rev2", 1, 0, 1, 0, 2)]


def test_waiting_in_review_is_now_whenever_submitted(desk):
    assert dashboard(period=7).waiting == 1  # D


def test_a_shorter_period_starts_at_local_midnight(desk):
    board = dashboard(period=7)  # days −6 … 0
    assert by_day(board, "created") == {6: 1, 5: 1, 2: 1, 1: 1}
    assert by_day(board, "approved") == {3: 1}
    assert board.median_seconds == pytest.approx(4 * 3600)
    assert [(r.username, r.total) for r in board.reviewers] == [("rev", 3), ("rev2", 2)]


def test_ninety_days_reach_the_old_claim(desk):
    board = dashboard(period=90)
    assert board.created == 6 and board.approved == 3
    assert board.median_seconds == pytest.approx(4 * 3600)  # 1 h (F), 4 h (B), 25 h (A)


def test_no_claims_at_all(db):
    board = dashboard(period=30)
    assert board.is_empty
    assert (board.created, board.approved, board.waiting, board.reviewers) == (0, 0, 0, [])
    assert board.median_seconds is None and board.send_back_rate is None
    assert {v.count for v in board.verdicts} == {0}


def test_a_desk_quiet_in_the_period_is_empty_though_claims_wait(desk):
    board = dashboard(period=30, now=timezone.now() + timedelta(days=60))
    assert board.is_empty
    assert board.waiting == 1
