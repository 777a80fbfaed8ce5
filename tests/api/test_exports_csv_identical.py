"""The CSV PostgreSQL writes is byte for byte the CSV Python wrote before (issue 17).

`tests/api/fixtures/csv_before.py` keeps the Python encoder as it was; every test here
exports the same claims both ways and compares the bytes: formula neutralising, quoting,
sources, confirmed earlier checks, NULLs, unicode, time zones (offsets with half hours,
daylight saving, local mean time), microseconds or none, and the API's filters.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from django.http import QueryDict
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from annotations.api.filters import filter_claims
from annotations.models import Article, Claim, ClaimSource, Source
from annotations.presenters.csv import VALUES, stream_csv
from annotations.selectors.exports import claims_for_csv, csv_lines
from tests.api.fixtures import helpers
from tests.api.fixtures.csv_before import csv_rows, reference_csv
from tests.api.fixtures.helpers import QUOTES, make_approved, make_claim

ed_api = helpers.ed_api

pytestmark = pytest.mark.django_db
URL = "/api/v1/export/claims.csv"

#: Cells a spreadsheet or a CSV reader trips on, and text that needs nothing.
TRICKY = [
    "=SUM(A1:A9)",
    "+1 555 0100",
    "-5 percent",
    "@attacker",
    "\tindented",
    "\rcarriage return first",
    "comma, inside",
    'He said "no"',
    '"',
    ",",
    "\n",
    "line\nbreak",
    "windows\r\nline end",
    '="a,b"\nnext',
    "",
    " leading and trailing ",
    "ünïcödé — “curly” ‘quotes’ 🙂 e\u0301",
    "עברית ومرحبا",
    "'already an apostrophe",
    "back\\slash\\",
    "semi;colon\x01control\x7f",
    "zero\u200bwidth\u2028separator",
]

ZONES = [
    "UTC",
    "America/New_York",  # daylight saving; local mean time -04:56:02 before 1883
    "Asia/Kolkata",  # +05:30
    "Asia/Kathmandu",  # +05:45
    "America/St_Johns",  # -03:30 / -02:30
    "Australia/Lord_Howe",  # half an hour of daylight saving
]

FILTERS = [
    "",
    "status=approved",
    "status=draft&status=in_review",
    "verdict=mostly-true",
    "created_by=ed",
    "anchor_state=anchored",
    "q=soldier",
    "updated_since=2000-01-01T00:00:00Z",
    "assigned_to=me",
]


def before_and_after(queryset) -> tuple[bytes, bytes]:
    before = b"".join(reference_csv(csv_rows(queryset, values=VALUES)))
    after = b"".join(stream_csv(csv_lines(queryset)))
    return before, after


def exported(query: str, editor) -> tuple[bytes, bytes]:
    class Request:
        user = editor

    return before_and_after(filter_claims(claims_for_csv(), QueryDict(query), Request()))


@pytest.fixture
def varied(demo_article, editor, reviewer):
    """Claims with every kind of cell: approved ones with verdicts, reviewers and sources,
    drafts with NULLs, tricky text, odd sources and times, a deleted one, a second article,
    and confirmed earlier checks (another fact-checker's, one of ours, one no longer
    published, and a "not the same" answer left out)."""
    from annotations.services.articles import article_load
    from annotations.services.claims import claim_delete, source_attach
    from annotations.services.workflow import claim_reopen

    Article.objects.filter(pk=demo_article.pk).update(
        title='"Quoted", headline — with, commas\nand a line', url=""
    )
    published = make_approved(demo_article, editor, reviewer, QUOTES[0])
    reopened = make_approved(demo_article, editor, reviewer, QUOTES[2], verdict="false")
    other = article_load(user=editor, text="A soldier ran. Nobody followed him.", outlet="BBC")
    Article.objects.filter(pk=other.pk).update(url="https://example.org/a?x=1,y=2")
    make_approved(other, editor, reviewer, "A soldier ran.", statement="=cmd|' /C calc'!A0")
    drafts = [make_claim(demo_article, editor, QUOTES[i % len(QUOTES)]) for i in range(6)]
    claim_delete(claim=make_claim(demo_article, editor, QUOTES[3]), user=editor)
    for i, claim in enumerate(drafts):
        Claim.objects.filter(pk=claim.pk).update(
            statement=TRICKY[i % len(TRICKY)],
            claimant=TRICKY[(i + 7) % len(TRICKY)],
            explanation=TRICKY[(i + 14) % len(TRICKY)],
        )
    source_attach(
        claim=drafts[0],
        user=editor,
        title='=Title, with "quotes"\nand a line',
        url="",
        kind="other",
        stance="refutes",
    )
    source_attach(
        claim=drafts[0],
        user=editor,
        title="",
        url="https://example.org/only-a-url?a=1,b=2",
        kind="other",
    )
    known = helpers.import_known_checks(editor)
    helpers.confirm(drafts[1], editor, known_check=known[helpers.DEFECTOR_CHECK])
    helpers.confirm(drafts[1], reviewer, earlier_claim=published)
    helpers.confirm(drafts[1], editor, earlier_claim=reopened)
    claim_reopen(claim=reopened, reviewer=reviewer, comment="New evidence.")  # unpublished
    helpers.confirm(
        drafts[2],
        editor,
        known_check=known["https://checks.example.com/wind-farms-cancer/"],
        decision="not_same",
    )
    helpers.confirm(drafts[2], editor, earlier_claim=published)
    # Times: whole seconds, long ago (local mean time), summer and winter, far ahead.
    Claim.objects.filter(pk=drafts[3].pk).update(
        created_at=datetime(1850, 1, 1, 12, 0, tzinfo=UTC),
        updated_at=datetime(2026, 7, 1, 12, 30, 15, tzinfo=UTC),
        submitted_at=datetime(2026, 3, 8, 6, 59, 59, 999999, tzinfo=UTC),
    )
    Claim.objects.filter(pk=drafts[4].pk).update(
        created_at=datetime(2026, 10, 4, 15, 45, 0, 1, tzinfo=UTC),
        reviewed_at=datetime(2099, 12, 31, 23, 59, 59, tzinfo=UTC),
    )
    return drafts


@pytest.mark.parametrize("zone", ZONES)
def test_every_cell_is_written_as_python_wrote_it(zone, varied, editor):
    with timezone.override(ZoneInfo(zone)):
        before, after = exported("", editor)
    assert after.count(b"\r\n") >= len(varied)
    assert after == before


@pytest.mark.parametrize("query", FILTERS)
def test_filters_select_the_same_rows_as_before(query, varied, editor):
    before, after = exported(query, editor)
    assert after == before


def test_an_empty_export_is_the_header_alone(editor):
    before, after = exported("", editor)
    assert after == before
    assert after.startswith(b"\xef\xbb\xbfclaim_id,article_id,")


def test_the_api_sends_the_same_bytes(varied, ed_api, editor):
    response = ed_api.get(URL + "?status=draft")
    body = b"".join(response.streaming_content)
    before, _ = exported("status=draft", editor)
    assert body == before


def test_the_settings_time_zone_counts(varied, editor, settings):
    settings.TIME_ZONE = "America/St_Johns"
    before, after = exported("", editor)
    assert b"-03:30" in after or b"-02:30" in after
    assert after == before


#: Any text PostgreSQL stores (no NUL, no lone surrogates), the characters CSV cares about
#: drawn often.
texts = st.text(
    st.sampled_from("\",\r\n=+-@\t' ")
    | st.characters(exclude_categories=("Cs",), exclude_characters="\x00"),
    max_size=30,
)


@hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    statement=texts,
    claimant=texts,
    title=texts,
    when=st.datetimes(datetime(1800, 1, 1), datetime(2200, 1, 1), timezones=st.just(UTC)),
)
def test_any_text_and_time_is_written_as_python_wrote_it(
    demo_article, editor, statement, claimant, title, when
):
    claim = Claim.objects.filter(article=demo_article).first() or make_claim(demo_article, editor)
    Claim.objects.filter(pk=claim.pk).update(
        statement=statement, claimant=claimant[:300], submitted_at=when
    )
    source = Source.objects.filter(claim_sources__claim=claim).first() or None
    if source is None and title.strip():
        ClaimSource.objects.create(
            claim=claim,
            source=Source.objects.create(title=title, created_by=editor),
        )
    elif source is not None and title.strip():
        Source.objects.filter(pk=source.pk).update(title=title)
    with timezone.override(ZoneInfo("America/New_York")):
        before, after = before_and_after(claims_for_csv().filter(pk=claim.pk))
    assert after == before
