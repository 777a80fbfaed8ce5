"""The desk dashboard (`/dashboard/`): the last 7, 30 or 90 days in figures, for
reviewers and staff. Server-drawn SVG charts, each beside a table of the same numbers.
The figures and what they count: `annotations.selectors.dashboard`."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from annotations.forms.dashboard import DashboardForm
from annotations.presenters.charts import (
    bar_chart,
    column_chart,
    duration_text,
    nice_max,
    percent_text,
)
from annotations.presenters.csv import days_csv
from annotations.replica import replica_reads
from annotations.selectors.dashboard import Dashboard, dashboard
from annotations.views.access import NewsroomRequest, reviewer_required

#: The per-day series: (DayCounts field, heading, CSS class of its columns).
SERIES = [
    ("created", "Created", "bar-created"),
    ("submitted", "Submitted", "bar-submitted"),
    ("approved", "Approved", "bar-approved"),
]


def _charts(board: Dashboard) -> dict[str, Any]:
    labels = [f"{d.day:%a} {d.day.day} {d.day:%b}" for d in board.days]
    top = nice_max(max((max(d.created, d.submitted, d.approved) for d in board.days), default=0))
    per_day = [
        {
            "key": key,
            "title": title,
            "css": css,
            "total": getattr(board, key),
            "chart": column_chart([getattr(d, key) for d in board.days], labels, scale_max=top),
        }
        for key, title, css in SERIES
    ]
    verdicts = bar_chart([v.count for v in board.verdicts], [v.label for v in board.verdicts])
    reviewers = bar_chart([r.total for r in board.reviewers], [r.username for r in board.reviewers])
    return {
        "per_day": per_day,
        "verdict_chart": verdicts,
        # Each bar with its verdict: the bar's colour is the verdict's (class v-<slug>).
        "verdict_bars": list(zip(board.verdicts, verdicts.rects, strict=True)),
        "reviewer_chart": reviewers,
        "median_text": duration_text(board.median_seconds),
        "send_back_text": percent_text(board.send_back_rate),
    }


@require_safe
@reviewer_required
def dashboard_view(request: NewsroomRequest, *, as_csv: bool = False) -> HttpResponse:
    """The figures for the chosen period; a period not offered answers 400 with the form
    saying so, and shows no figures. `as_csv`: the per-day table as a CSV download."""
    form = DashboardForm.from_query(request.GET)
    context: dict[str, Any] = {"form": form, "board": None, "error": ""}
    if not form.is_valid():
        context["error"] = " ".join(str(m) for errors in form.errors.values() for m in errors)
        return render(request, "annotations/dashboard.html", context, status=400)
    with replica_reads(request):  # figures of past days may lag by a few seconds
        board = dashboard(period=form.period)
    if as_csv:
        rows = [(d.day, d.created, d.submitted, d.approved) for d in board.days]
        response = HttpResponse(days_csv(rows), content_type="text/csv; charset=utf-8")
        name = f"dashboard-days-{board.first_day}-{board.last_day}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    context.update(board=board, zone=timezone.get_current_timezone_name(), **_charts(board))
    return render(request, "annotations/dashboard.html", context)
