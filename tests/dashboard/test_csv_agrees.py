"""The dashboard's claim figures equal what anyone computes from the CSV export's rows.

The CSV is fetched through the API as a CMS or a data desk would; its times are in the
newsroom's zone (ISO 8601 with the offset), so a day is the date part of a time.
"""

from __future__ import annotations

import csv
import io
import statistics
from collections import Counter
from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from annotations.selectors.dashboard import dashboard
from tests.api.fixtures.helpers import token_client
from tests.dashboard.desk import draft, local, step

pytestmark = pytest.mark.django_db


def export_rows(user) -> list[dict[str, str]]:
    response = token_client(user).get("/api/v1/export/claims.csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def day_of(cell: str) -> date | None:
    return datetime.fromisoformat(cell).date() if cell else None


def from_csv(rows: list[dict[str, str]], period: int) -> dict:
    """The dashboard's claim figures, recomputed from the rows alone."""
    last = timezone.localdate()
    first = last - timedelta(days=period - 1)

    def within(cell: str) -> bool:
        day = day_of(cell)
        return day is not None and first <= day <= last

    approved = [r for r in rows if r["status"] == "approved" and within(r["reviewed_at"])]
    waits = [
        (
            datetime.fromisoformat(r["reviewed_at"]) - datetime.fromisoformat(r["submitted_at"])
        ).total_seconds()
        for r in approved
    ]
    return {
        "created": Counter(day_of(r["created_at"]) for r in rows if within(r["created_at"])),
        "submitted": Counter(day_of(r["submitted_at"]) for r in rows if within(r["submitted_at"])),
        "approved": Counter(day_of(r["reviewed_at"]) for r in approved),
        "median": statistics.median(waits) if waits else None,
        "verdicts": Counter(r["verdict"] for r in approved),
        "waiting": sum(r["status"] == "in_review" for r in rows),
    }


def from_dashboard(period: int) -> dict:
    board = dashboard(period=period)
    return {
        "created": Counter({d.day: d.created for d in board.days if d.created}),
        "submitted": Counter({d.day: d.submitted for d in board.days if d.submitted}),
        "approved": Counter({d.day: d.approved for d in board.days if d.approved}),
        "median": board.median_seconds,
        "verdicts": Counter({v.label: v.count for v in board.verdicts if v.count}),
        "waiting": board.waiting,
    }


@pytest.mark.parametrize("period", [7, 30, 90])
def test_the_dashboard_equals_the_csv_export(desk, demo_article, editor, reviewer2, period):
    # More claims on the edges: just before and after local midnight, at a period's start.
    for days_ago, hour, minute in [(7, 23, 59), (6, 0, 1), (29, 23, 55), (30, 0, 5)]:
        claim = draft(
            demo_article, editor, "hit at least five times", local(days_ago, hour, minute)
        )
        step(claim, editor, "submit", local(days_ago, hour, minute) + timedelta(minutes=1))
        step(claim, reviewer2, "approve", local(days_ago, hour, minute) + timedelta(minutes=3))
    rows = export_rows(editor)
    expected = from_csv(rows, period)
    found = from_dashboard(period)
    assert found["median"] == pytest.approx(expected.pop("median"))
    found.pop("median")
    assert found == expected
    assert sum(expected["created"].values()) > 0  # the comparison compared something
