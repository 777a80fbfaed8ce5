"""`ClaimSerializer.to_representation` is written by hand for speed (issue 17): it must
answer byte for byte what DRF's generic path answers from the declared fields."""

from __future__ import annotations

import datetime

import pytest
from django.test import RequestFactory
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer

from annotations.api.claims import CHECKED_BEFORE, ClaimSerializer
from annotations.models import Claim
from annotations.selectors.claims import claims_with_sources_and_reviews
from annotations.services.assignments import assignment_add
from annotations.services.claims import claim_create, source_attach
from annotations.services.workflow import claim_approve, claim_submit
from tests.factories import make_claim


def generic(claim: Claim, context: dict) -> bytes:
    """What DRF's own Serializer.to_representation makes of the declared fields."""
    serializer = ClaimSerializer(context=context)
    return JSONRenderer().render(serializers.Serializer.to_representation(serializer, claim))


def by_hand(claim: Claim, context: dict) -> bytes:
    return JSONRenderer().render(ClaimSerializer(claim, context=context).data)


@pytest.fixture
def claims(demo_article, editor, reviewer):
    bare = claim_create(article=demo_article, user=editor, selector={"exact": "an estimated 40"})
    approved = claim_approve(
        claim=claim_submit(claim=make_claim(demo_article, editor), user=editor),
        reviewer=reviewer,
        comment="Checked the hospital's statement.",
    )
    dated = claim_create(
        article=demo_article, user=editor, selector={"exact": "Dramatic new video"}
    )
    source_attach(
        claim=dated,
        user=editor,
        title="Ministry «report»",
        publisher="Ministry of Unification",
        kind="official_statement",
        accessed_at=datetime.date(2026, 11, 30),
        excerpt="…at least five…",
        stance="refutes",
    )
    assignment_add(user=editor, person=reviewer, role="reviewer", claim=dated)
    assignment_add(user=editor, person=editor, role="editor", claim=dated)
    return [bare, approved, dated]


@pytest.mark.parametrize("zone", ["UTC", "Asia/Seoul"])
@pytest.mark.parametrize("with_request", [True, False], ids=["absolute", "relative"])
def test_the_hand_written_answer_equals_drfs_for_every_kind_of_claim(
    claims, with_request, zone, settings
):
    settings.TIME_ZONE = zone  # DRF writes times in the current zone; the JSON rows in UTC
    context = {"request": RequestFactory().get("/api/v1/claims/")} if with_request else {}
    # As the services hand them back (choice enums, unsaved relations) …
    for claim in claims:
        assert by_hand(claim, context) == generic(claim, context)
    # … as a list reads them (prefetched), and as a plain read (no prefetch).
    listed = list(claims_with_sources_and_reviews().filter(pk__in=[c.pk for c in claims]))
    plain = list(Claim.objects.filter(pk__in=[c.pk for c in claims]))
    assert len(listed) == len(plain) == 3
    # The list's read carries the sources, reviews and assignees as JSON rows (one query).
    assert all(hasattr(claim, "source_rows") for claim in listed)
    assert all(hasattr(claim, "created_by_name") for claim in listed)
    for claim in listed + plain:
        assert by_hand(claim, context) == generic(claim, context)
    # The cases really differ: sources, reviews, assignees, a verdict-less draft.
    answers = [ClaimSerializer(claim, context=context).data for claim in listed]
    assert {len(a["sources"]) for a in answers} == {0, 1}
    assert any(a["reviews"] for a in answers) and any(a["assignees"] for a in answers)
    assert any(a["verdict"] is None for a in answers)
    assert any(a["sources"] and a["sources"][0]["accessed_at"] == "2026-11-30" for a in answers)


def test_a_list_builds_the_claim_url_once_and_each_answer_names_its_claim(claims):
    context = {"request": RequestFactory().get("/api/v1/claims/"), CHECKED_BEFORE: {}}
    data = ClaimSerializer(claims, many=True, context=context).data
    assert [item["url"] for item in data] == [
        f"http://testserver/api/v1/claims/{claim.pk}/" for claim in claims
    ]


@pytest.mark.parametrize(
    "stored, answered",
    [
        ("2026-12-03T13:22:46.1+00:00", "2026-12-03T13:22:46.100000Z"),
        ("2026-12-03T13:22:46+00:00", "2026-12-03T13:22:46Z"),
        ("2026-12-03T13:22:46.123456+00:00", "2026-12-03T13:22:46.123456Z"),
    ],
)
def test_a_json_row_timestamp_is_written_as_drf_writes_it(stored, answered):
    from annotations.api.claims import _when_row

    assert _when_row(stored) == answered
    assert _when_row(None) is None


_ZONES = ["UTC", "Asia/Seoul", "America/New_York", "Asia/Kolkata", "Europe/Dublin"]
_TIMES = [
    datetime.datetime(2026, 12, 3, 13, 22, 46, tzinfo=datetime.UTC),
    datetime.datetime(2026, 12, 3, 13, 22, 46, 100000, tzinfo=datetime.UTC),
    datetime.datetime(2026, 3, 8, 7, 0, 0, 1, tzinfo=datetime.UTC),  # New York's DST starts
    datetime.datetime(1890, 6, 1, 12, 0, tzinfo=datetime.UTC),  # local mean time: odd offsets
    datetime.datetime(2026, 6, 1, 12, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=5))),
    datetime.datetime(2026, 6, 1, 12, 0),  # naive
    None,
    "2026-06-01T12:00:00Z",
]


@pytest.mark.parametrize("zone", _ZONES)
@pytest.mark.parametrize("value", _TIMES)
def test_times_are_written_as_drfs_datetime_field_writes_them(zone, value):
    from zoneinfo import ZoneInfo

    from annotations.api.claims import times_as_drf_writes

    tz = ZoneInfo(zone)
    drf = serializers.DateTimeField(default_timezone=tz).to_representation
    assert times_as_drf_writes(tz)(value) == drf(value)


def test_another_datetime_format_is_left_to_drf(settings):
    from zoneinfo import ZoneInfo

    from annotations.api.claims import times_as_drf_writes

    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DATETIME_FORMAT": "%d/%m/%Y %H:%M"}
    value = datetime.datetime(2026, 12, 3, 13, 22, 46, tzinfo=datetime.UTC)
    assert times_as_drf_writes(ZoneInfo("Asia/Seoul"))(value) == "03/12/2026 22:22"
