"""`/dashboard/`: who sees it, the period, bad input, the empty state, its query count."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.urls import reverse

from annotations.models import Claim
from annotations.selectors.dashboard import dashboard
from tests.dashboard.desk import build, draft, local, step

pytestmark = pytest.mark.django_db
URL = reverse("dashboard")


def figure(html: str, name: str) -> str:
    found = re.search(rf'data-figure="{name}">(.*?)</dd>', html, re.S)
    assert found, name
    return re.sub(r"<[^>]+>", "", found.group(1)).strip()


def test_reviewers_see_the_figures(client, reviewer, desk):
    client.force_login(reviewer)
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert figure(html, "created") == "5"
    assert figure(html, "submitted") == "5"
    assert figure(html, "approved") == "2"
    assert figure(html, "median") == "14 h 30 min"
    assert figure(html, "send-back") == "20% (1 of 5 decisions)"
    assert figure(html, "rejected") == "1"
    assert figure(html, "waiting") == "1"
    assert 'aria-current="page">Dashboard</a>' in html
    for table in ("per-day-table", "verdicts-table", "reviewers-table"):
        assert f'id="{table}"' in html
    assert html.count('role="img"') == 5  # three per-day charts, verdicts, reviewers
    assert "How these are counted" in html


def test_staff_see_it_too(client, staff):
    client.force_login(staff)
    assert client.get(URL).status_code == 200


def test_editors_are_refused_and_have_no_link(client, editor):
    client.force_login(editor)
    assert client.get(URL).status_code == 403
    assert URL not in client.get(reverse("article_list")).content.decode()


def test_reviewers_have_the_link(client, reviewer):
    client.force_login(reviewer)
    assert f'href="{URL}"' in client.get(reverse("article_list")).content.decode()


def test_anonymous_visitors_go_to_the_login_page(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("days", ["7", "30", "90"])
def test_each_period_is_offered(client, reviewer, days):
    client.force_login(reviewer)
    response = client.get(URL, {"days": days})
    assert response.status_code == 200
    assert f"the last {days} days" in response.content.decode()
    assert f'<option value="{days}" selected>' in response.content.decode()


@pytest.mark.parametrize(
    ("days", "message"),
    [
        ("31", "“31” is not a period the dashboard shows; choose 7, 30 or 90 days."),
        ("-7", "“-7” is not a period the dashboard shows; choose 7, 30 or 90 days."),
        ("seven", "“seven” is not a period the dashboard shows; choose 7, 30 or 90 days."),
        ("", "Choose a period: 7, 30 or 90 days."),
        ("7.0", "“7.0” is not a period the dashboard shows"),
        ("9" * 400, "is not a period the dashboard shows"),
    ],
)
def test_a_bad_period_is_refused_with_a_message(client, reviewer, desk, days, message):
    client.force_login(reviewer)
    before = Claim.objects.count()
    response = client.get(URL, {"days": days})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="dashboard-error"' in html and message in html
    assert "data-figure" not in html  # no figures for a period nobody asked for
    assert Claim.objects.count() == before


def test_other_methods_are_refused(client, reviewer):
    client.force_login(reviewer)
    assert client.post(URL).status_code == 405


def test_an_empty_period_says_so_instead_of_drawing_empty_charts(client, reviewer):
    client.force_login(reviewer)
    html = client.get(URL).content.decode()
    assert 'id="dashboard-empty"' in html and "No claims in these days" in html
    assert 'role="img"' not in html and "<table" not in html
    assert figure(html, "median") == "—" and figure(html, "send-back") == "—"


def test_a_period_with_claims_waiting_only_is_empty_too(client, reviewer, demo_article, editor):
    claim = draft(demo_article, editor, "hit at least five times", local(50, 9))
    step(claim, editor, "submit", local(50, 10))
    client.force_login(reviewer)
    html = client.get(URL).content.decode()
    assert "No claims in these days" in html
    assert figure(html, "waiting") == "1"


def test_no_reviewer_decided_says_so(client, reviewer, demo_article, editor):
    draft(demo_article, editor, "hit at least five times", local(2, 9))
    client.force_login(reviewer)
    html = client.get(URL).content.decode()
    assert 'id="reviewers-empty"' in html and 'id="per-day-table"' in html


def test_the_query_count_does_not_grow_with_the_data(
    client, reviewer, demo_article, editor, reviewer2, django_assert_num_queries
):
    client.force_login(reviewer)
    # 5 queries: session, user, the user's groups (roles), the figures (one statement), the
    # bell's unread count.
    with django_assert_num_queries(5):
        assert client.get(URL, {"days": "90"}).status_code == 200
    build(demo_article, editor, reviewer, reviewer2)
    for n in range(12):
        claim = draft(demo_article, editor, "hit at least five times", local(n % 20 + 1, 9))
        step(claim, editor, "submit", local(n % 20 + 1, 10))
        step(claim, reviewer2 if n % 2 else reviewer, "approve", local(n % 20 + 1, 11))
    with django_assert_num_queries(5):
        response = client.get(URL, {"days": "90"})
    assert figure(response.content.decode(), "approved") == "15"


CSV_URL = reverse("dashboard_days_csv")


def test_the_per_day_table_downloads_as_csv(client, reviewer, desk):
    client.force_login(reviewer)
    response = client.get(CSV_URL, {"days": "7"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    board = dashboard(period=7)
    assert response["Content-Disposition"] == (
        f'attachment; filename="dashboard-days-{board.first_day}-{board.last_day}.csv"'
    )
    raw = response.content
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["day", "created", "submitted", "approved"]
    assert rows[1:] == [
        [d.day.isoformat(), str(d.created), str(d.submitted), str(d.approved)] for d in board.days
    ]
    assert sum(int(r[1]) for r in rows[1:]) == 4  # B, C, D, E (A is 10 days ago)
    assert f'href="{CSV_URL}?days=30"' in client.get(URL).content.decode()


def test_the_csv_refuses_a_bad_period_and_editors(client, reviewer, editor):
    client.force_login(reviewer)
    response = client.get(CSV_URL, {"days": "365"})
    assert response.status_code == 400
    assert "“365” is not a period the dashboard shows" in response.content.decode()
    client.force_login(editor)
    assert client.get(CSV_URL).status_code == 403
