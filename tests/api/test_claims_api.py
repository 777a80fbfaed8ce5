"""Claims over the API: list, filters, create, read with ETag, change with version, delete."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from annotations.models import Claim
from annotations.services import claims as claim_services
from tests.api.fixtures import helpers
from tests.api.fixtures.helpers import QUOTES, make_approved, make_claim, make_claims

ed_api = helpers.ed_api
outsider_api = helpers.outsider_api

pytestmark = pytest.mark.django_db

SELECTOR_FIELDS = {"exact", "prefix", "suffix", "start", "end"}


def test_list_answers_claims_with_selector_sources_reviews_and_version(
    ed_api, demo_article, editor, reviewer
):
    make_approved(demo_article, editor, reviewer)
    response = ed_api.get("/api/v1/claims/")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"next", "previous", "results"}
    (claim,) = body["results"]
    assert set(claim["selector"]) == SELECTOR_FIELDS
    assert claim["selector"]["exact"] == QUOTES[0]
    assert claim["sources"][0]["title"] == "Hospital briefing"
    assert claim["reviews"][0]["decision"] == "approved"
    assert claim["version"] >= 1
    assert claim["verdict"] == "mostly-true"


def test_anonymous_gets_401_and_an_invalid_token_401(demo_article):
    assert APIClient().get("/api/v1/claims/").status_code == 401
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = client.get("/api/v1/claims/")
    assert response.status_code == 401
    assert response.json()["detail"] == "Invalid token."


def test_outsider_is_refused(outsider_api, demo_article):
    response = outsider_api.get("/api/v1/claims/")
    assert response.status_code == 403
    assert "newsroom role" in response.json()["detail"]


@pytest.mark.parametrize("rows", [5, 50])
def test_list_query_count_does_not_grow_with_page_size(
    rows, ed_api, demo_article, editor, reviewer, django_assert_num_queries
):
    claims = make_claims(demo_article, editor, rows)
    for claim in claims[:3]:
        claim_services.source_attach(claim=claim, user=editor, title="A source", url="")
    # 6 queries: token+user+roles, claims with verdict and users, their sources, their
    # reviews with reviewers, their assignees (issue 16), their confirmed earlier checks
    # (checked_before)
    # Issue 17: sources, reviews and assignees come as JSON rows in the claims query (-3).
    with django_assert_num_queries(3):
        response = ed_api.get(f"/api/v1/claims/?page_size={rows}")
    assert len(response.json()["results"]) == rows


def test_filters_select_claims(ed_api, demo_article, editor, editor2, reviewer):
    approved = make_approved(demo_article, editor, reviewer, QUOTES[0])
    draft = make_claim(demo_article, editor2, QUOTES[1], claimant="Gen. Marks")

    def ids(query: str) -> set[int]:
        response = ed_api.get(f"/api/v1/claims/?{query}")
        assert response.status_code == 200, response.json()
        return {c["id"] for c in response.json()["results"]}

    assert ids("status=approved") == {approved.pk}
    assert ids("status=approved&status=draft") == {approved.pk, draft.pk}
    assert ids("verdict=mostly-true") == {approved.pk}
    assert ids(f"article={demo_article.pk}") == {approved.pk, draft.pk}
    assert ids("created_by=ed2") == {draft.pk}
    assert ids(f"created_by={editor.pk}") == {approved.pk}
    assert ids("anchor_state=anchored") == {approved.pk, draft.pk}
    assert ids("q=marks") == {draft.pk}
    future = (timezone.now() + dt.timedelta(hours=1)).isoformat().replace("+", "%2B")
    assert ids(f"updated_since={future}") == set()
    past = (timezone.now() - dt.timedelta(hours=1)).isoformat().replace("+", "%2B")
    assert ids(f"updated_since={past}") == {approved.pk, draft.pk}


@pytest.mark.parametrize(
    "query, field, words",
    [
        ("status=published", "status", "not one of: draft"),
        ("verdict=pants-on-fire", "verdict", "no verdict with that slug"),
        ("created_by=ghost", "created_by", "no user “ghost”"),
        ("article=999999", "article", "no article"),
        ("anchor_state=lost", "anchor_state", "not one of: anchored"),
        ("updated_since=yesterday", "updated_since", "date"),
    ],
)
def test_unknown_filter_values_are_400_with_a_clear_message(
    ed_api, demo_article, query, field, words
):
    response = ed_api.get(f"/api/v1/claims/?{query}")
    assert response.status_code == 400
    assert words.lower() in " ".join(response.json()[field]).lower()


def test_create_by_quote_answers_201_with_all_selector_fields(ed_api, demo_article):
    response = ed_api.post(
        "/api/v1/claims/",
        {
            "article": demo_article.pk,
            "selector": {"exact": QUOTES[0]},
            "claimant": "UNC",
            "verdict": "mostly-true",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    text = demo_article.current_revision.text
    assert text[body["selector"]["start"] : body["selector"]["end"]] == QUOTES[0]
    assert body["selector"]["prefix"] and body["selector"]["suffix"]
    assert body["status"] == "draft" and body["version"] == 1
    # No statement given: the sentence around the quote, so it reads as a claim.
    assert body["statement"] == "The defector was hit at least five times, but lives."
    assert response["Location"].endswith(f"/api/v1/claims/{body['id']}/")


def test_create_by_offsets(ed_api, demo_article):
    text = demo_article.current_revision.text
    start = text.index(QUOTES[1])
    response = ed_api.post(
        "/api/v1/claims/",
        {"article": demo_article.pk, "selector": {"start": start, "end": start + len(QUOTES[1])}},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["selector"]["exact"] == QUOTES[1]


def test_an_ambiguous_quote_is_400_saying_how_often_it_occurs(ed_api, demo_article):
    response = ed_api.post(
        "/api/v1/claims/",
        {"article": demo_article.pk, "selector": {"exact": "Marks"}},
        format="json",
    )
    assert response.status_code == 400
    assert "times in the article" in response.json()["selector"][0]


def test_offsets_that_do_not_match_the_quote_are_400(ed_api, demo_article):
    response = ed_api.post(
        "/api/v1/claims/",
        {"article": demo_article.pk, "selector": {"exact": "hello", "start": 0, "end": 5}},
        format="json",
    )
    assert response.status_code == 400
    assert "does not match" in response.json()["detail"]


def test_create_refuses_unknown_fields_and_unknown_articles(ed_api, demo_article):
    response = ed_api.post(
        "/api/v1/claims/",
        {"article": demo_article.pk, "selector": {"exact": QUOTES[0]}, "status": "approved"},
        format="json",
    )
    assert response.status_code == 400
    assert "status" in response.json()
    response = ed_api.post(
        "/api/v1/claims/", {"article": 999999, "selector": {"exact": "x"}}, format="json"
    )
    assert response.status_code == 400
    assert "no article" in response.json()["article"][0]


def test_outsider_cannot_create_claims(outsider_api, demo_article):
    response = outsider_api.post(
        "/api/v1/claims/",
        {"article": demo_article.pk, "selector": {"exact": QUOTES[0]}},
        format="json",
    )
    assert response.status_code == 403


def test_detail_sets_an_etag_from_id_and_version(ed_api, demo_article, editor):
    claim = make_claim(demo_article, editor)
    response = ed_api.get(f"/api/v1/claims/{claim.pk}/")
    assert response.status_code == 200
    assert response["ETag"] == f'"claim-{claim.pk}-v1"'
    assert set(response.json()["selector"]) == SELECTOR_FIELDS
    again = ed_api.get(f"/api/v1/claims/{claim.pk}/", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_detail_query_count(ed_api, demo_article, editor, django_assert_num_queries):
    claim = make_claim(demo_article, editor)
    # 6 queries: token+user+roles, claim with verdict and users, its sources, its reviews
    # with reviewers, its assignees (issue 16), its confirmed earlier checks (checked_before)
    # Issue 17: sources, reviews and assignees come as JSON rows in the claims query (-3).
    with django_assert_num_queries(3):
        assert ed_api.get(f"/api/v1/claims/{claim.pk}/").status_code == 200


def test_patch_with_version_changes_the_claim_and_bumps_the_etag(ed_api, demo_article, editor):
    claim = make_claim(demo_article, editor)
    response = ed_api.patch(
        f"/api/v1/claims/{claim.pk}/",
        {"version": 1, "verdict": "false", "explanation": "Six wounds."},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["verdict"] == "false"
    assert response.json()["version"] == 2
    assert response["ETag"] == f'"claim-{claim.pk}-v2"'


def test_patch_with_if_match(ed_api, demo_article, editor):
    claim = make_claim(demo_article, editor)
    etag = ed_api.get(f"/api/v1/claims/{claim.pk}/")["ETag"]
    response = ed_api.patch(
        f"/api/v1/claims/{claim.pk}/", {"claimant": "UNC"}, format="json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 200
    assert response.json()["claimant"] == "UNC"


def test_a_stale_version_is_409_with_what_changed_and_nothing_saved(
    ed_api, demo_article, editor, editor2
):
    claim = make_claim(demo_article, editor)
    claim_services.claim_update(claim=claim, user=editor2, version=1, verdict="false")
    response = ed_api.patch(
        f"/api/v1/claims/{claim.pk}/", {"version": 1, "claimant": "Mine"}, format="json"
    )
    assert response.status_code == 409
    body = response.json()
    assert body["current_version"] == 2
    assert body["changes"]["verdict"] == [None, "False"]
    assert "ed2" in body["detail"]
    assert Claim.objects.get(pk=claim.pk).claimant == ""
    stale_etag = ed_api.patch(
        f"/api/v1/claims/{claim.pk}/",
        {"claimant": "Mine"},
        format="json",
        HTTP_IF_MATCH=f'"claim-{claim.pk}-v1"',
    )
    assert stale_etag.status_code == 409


def test_patch_without_version_is_400(ed_api, demo_article, editor):
    claim = make_claim(demo_article, editor)
    response = ed_api.patch(f"/api/v1/claims/{claim.pk}/", {"claimant": "X"}, format="json")
    assert response.status_code == 400
    assert "version" in response.json()["detail"]
    bad = ed_api.patch(
        f"/api/v1/claims/{claim.pk}/", {"claimant": "X"}, format="json", HTTP_IF_MATCH='"nope"'
    )
    assert bad.status_code == 400


def test_patch_an_approved_claim_is_409(ed_api, demo_article, editor, reviewer):
    claim = make_approved(demo_article, editor, reviewer)
    response = ed_api.patch(
        f"/api/v1/claims/{claim.pk}/", {"version": claim.version, "claimant": "X"}, format="json"
    )
    assert response.status_code == 409
    assert "approved and locked" in response.json()["detail"]


def test_delete_a_draft_hides_it(ed_api, demo_article, editor):
    claim = make_claim(demo_article, editor)
    assert ed_api.delete(f"/api/v1/claims/{claim.pk}/").status_code == 204
    assert ed_api.get(f"/api/v1/claims/{claim.pk}/").status_code == 404
    assert ed_api.get("/api/v1/claims/").json()["results"] == []
    assert Claim.objects.get(pk=claim.pk).deleted_at is not None


def test_delete_is_for_drafts_only(ed_api, demo_article, editor, reviewer):
    claim = make_approved(demo_article, editor, reviewer)
    response = ed_api.delete(f"/api/v1/claims/{claim.pk}/")
    assert response.status_code == 409
    assert "Only drafts" in response.json()["detail"]


def test_unknown_claim_is_404(ed_api, demo_article):
    assert ed_api.get("/api/v1/claims/999999/").status_code == 404


# --- "Checked before?": confirmed earlier checks (issue 13) -------------------------------


def test_a_claim_carries_the_earlier_checks_confirmed_to_be_the_same(
    ed_api, demo_article, editor, reviewer
):
    from annotations.models import KnownCheck

    known = helpers.import_known_checks(editor)
    published = make_approved(demo_article, editor, reviewer, QUOTES[1])
    claim = make_claim(demo_article, editor, QUOTES[0])
    first = helpers.confirm(claim, editor, known_check=known[helpers.DEFECTOR_CHECK])
    helpers.confirm(claim, reviewer, earlier_claim=published)
    wind = KnownCheck.objects.get(url__contains="wind")
    helpers.confirm(claim, editor, known_check=wind, decision="not_same")
    body = ed_api.get(f"/api/v1/claims/{claim.pk}/").json()
    known_one, ours = body["checked_before"]  # oldest answer first; "not the same" left out
    assert known_one == {
        "kind": "known_check",
        "url": helpers.DEFECTOR_CHECK,
        "claim_reviewed": known[helpers.DEFECTOR_CHECK].claim_reviewed,
        "rating": "Mostly true",
        "publisher": "Checker Example",
        "date": "2017-11-16",
        "confirmed_by": "ed",
        "confirmed_at": known_one["confirmed_at"],
    }
    assert known_one["confirmed_at"].startswith(first.decided_at.date().isoformat())
    assert ours["kind"] == "our_check" and ours["confirmed_by"] == "rev"
    assert ours["url"].endswith(f"/published/{demo_article.pk}/#claim-{published.pk}")
    assert ours["rating"] == "Mostly true" and ours["publisher"]
    listed = {c["id"]: c for c in ed_api.get("/api/v1/claims/").json()["results"]}
    assert listed[claim.pk]["checked_before"] == body["checked_before"]
    assert listed[published.pk]["checked_before"] == []


def test_the_list_reads_confirmed_checks_once_per_page(
    ed_api, demo_article, editor, django_assert_num_queries
):
    known = helpers.import_known_checks(editor)
    claims = make_claims(demo_article, editor, 8)
    # 3 queries: token+user+roles, claims (with their sources, reviews and assignees as
    # JSON rows: issue 17), which of them have a match decided "same" (none here)
    with django_assert_num_queries(3):
        results = ed_api.get("/api/v1/claims/?page_size=5").json()["results"]
    assert [c["checked_before"] for c in results] == [[]] * 5
    for claim in claims:
        helpers.confirm(claim, editor, known_check=known[helpers.DEFECTOR_CHECK])
    # … and one more, the full read of the matches found, whatever the page's size
    for size in (2, 5):
        with django_assert_num_queries(4):
            results = ed_api.get(f"/api/v1/claims/?page_size={size}").json()["results"]
        assert [len(c["checked_before"]) for c in results] == [1] * size
