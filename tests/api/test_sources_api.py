"""Sources and comments of a claim over the API."""

from __future__ import annotations

import pytest

from annotations.models import ClaimSource
from annotations.services import claims as claim_services
from tests.api.fixtures import helpers
from tests.api.fixtures.helpers import make_approved, make_claim

ed_api = helpers.ed_api
rev_api = helpers.rev_api
outsider_api = helpers.outsider_api

pytestmark = pytest.mark.django_db

SOURCE = {
    "url": "https://example.org/briefing",
    "title": "Hospital briefing",
    "publisher": "Ajou University Hospital",
    "excerpt": "Six gunshot wounds.",
    "kind": "official_statement",
    "stance": "supports",
    "accessed_at": "2026-11-20",
}


def test_attach_list_edit_and_detach_a_source(ed_api, demo_article, editor):
    claim = make_claim(demo_article, editor)
    url = f"/api/v1/claims/{claim.pk}/sources/"
    created = ed_api.post(url, SOURCE, format="json")
    assert created.status_code == 201, created.json()
    source = created.json()
    assert {k: source[k] for k in SOURCE} == SOURCE
    listed = ed_api.get(url).json()
    assert [s["id"] for s in listed["results"]] == [source["id"]]
    edited = ed_api.patch(f"{url}{source['id']}/", {"stance": "refutes"}, format="json")
    assert edited.status_code == 200 and edited.json()["stance"] == "refutes"
    assert ed_api.get(f"/api/v1/claims/{claim.pk}/").json()["sources"][0]["stance"] == "refutes"
    assert ed_api.delete(f"{url}{source['id']}/").status_code == 204
    assert not ClaimSource.objects.filter(claim=claim).exists()
    assert ed_api.delete(f"{url}{source['id']}/").status_code == 404


def test_bad_sources_are_400(ed_api, demo_article, editor):
    claim = make_claim(demo_article, editor)
    url = f"/api/v1/claims/{claim.pk}/sources/"
    response = ed_api.post(url, {"url": "ftp://x", "title": "t"}, format="json")
    assert response.status_code == 400 and "url" in response.json()
    assert ed_api.post(url, {"kind": "rumour", "title": "t"}, format="json").status_code == 400
    assert ed_api.post(url, {}, format="json").status_code == 400


def test_sources_of_an_approved_claim_are_locked(ed_api, demo_article, editor, reviewer):
    claim = make_approved(demo_article, editor, reviewer)
    url = f"/api/v1/claims/{claim.pk}/sources/"
    assert ed_api.post(url, SOURCE, format="json").status_code == 409
    source_id = claim.claim_sources.get().source_id
    assert ed_api.delete(f"{url}{source_id}/").status_code == 409


@pytest.mark.parametrize("rows", [3, 30])
def test_source_list_query_count(rows, ed_api, demo_article, editor, django_assert_num_queries):
    claim = make_claim(demo_article, editor)
    for i in range(rows):
        claim_services.source_attach(claim=claim, user=editor, title=f"Source {i}")
    # 3 queries: token+user+roles, the bare claim (get_claim_for), the page of sources with
    # their source rows (one row past the page: no COUNT)
    with django_assert_num_queries(3):
        response = ed_api.get(f"/api/v1/claims/{claim.pk}/sources/?page_size={rows}")
    assert len(response.json()["results"]) == rows


def test_comments(ed_api, rev_api, outsider_api, demo_article, editor, reviewer):
    claim = make_approved(demo_article, editor, reviewer)
    url = f"/api/v1/claims/{claim.pk}/comments/"
    response = rev_api.post(url, {"body": "Which hospital record?"}, format="json")
    assert response.status_code == 201
    assert response.json()["author"] == "rev"
    ed_api.post(url, {"body": "The discharge summary."}, format="json")
    bodies = [c["body"] for c in ed_api.get(url).json()["results"]]
    assert bodies == ["Which hospital record?", "The discharge summary."]
    assert ed_api.post(url, {"body": "   "}, format="json").status_code == 400
    assert outsider_api.get(url).status_code == 403


def test_sources_and_comments_of_deleted_or_unknown_claims_are_404(ed_api, demo_article, editor):
    claim = make_claim(demo_article, editor)
    claim_services.claim_delete(claim=claim, user=editor)
    assert ed_api.get(f"/api/v1/claims/{claim.pk}/sources/").status_code == 404
    assert ed_api.get(f"/api/v1/claims/{claim.pk}/comments/").status_code == 404
    assert ed_api.get("/api/v1/claims/999999/comments/").status_code == 404
