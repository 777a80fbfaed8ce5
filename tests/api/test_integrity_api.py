"""The API side of issue 11: workflow steps take `version` or `If-Match`; claims take an
`Idempotency-Key`; the same text loaded again is 409 with `existing_id`."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from annotations.models import Article, Claim, ClaimStatus
from annotations.services.claims import claim_update
from annotations.services.workflow import claim_request_changes, claim_submit
from tests.factories import QUOTE

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


@pytest.fixture
def stale(in_review, editor, reviewer2):
    """(claim, the version the reviewer saw) after the claim was changed and resubmitted."""
    seen = in_review.version
    back = claim_request_changes(claim=in_review, reviewer=reviewer2, comment="Check again.")
    changed = claim_update(claim=back, user=editor, version=back.version, verdict="true")
    return claim_submit(claim=changed, user=editor), seen


def approve(client, claim, body=None, **headers):
    return client.post(
        f"/api/v1/claims/{claim.pk}/approve/", body or {}, format="json", headers=headers
    )


def test_a_stale_version_in_the_body_is_409_with_what_changed(stale, reviewer):
    claim, seen = stale
    response = approve(api(reviewer), claim, {"version": seen})
    assert response.status_code == 409
    body = response.json()
    assert body["current_version"] == claim.version
    assert body["changes"] == {"verdict": ["Mostly true", "True"]}
    assert "changed since you read it" in body["detail"]
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.IN_REVIEW


def test_a_stale_if_match_is_409(stale, reviewer):
    claim, seen = stale
    response = approve(api(reviewer), claim, **{"If-Match": f'"claim-{claim.pk}-v{seen}"'})
    assert response.status_code == 409
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.IN_REVIEW


def test_the_current_if_match_approves(stale, reviewer):
    claim, _seen = stale
    response = approve(api(reviewer), claim, **{"If-Match": f'"claim-{claim.pk}-v{claim.version}"'})
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "approved"


@pytest.mark.parametrize(
    ("body", "headers", "message"),
    [
        ({"version": "x"}, {}, "valid integer"),
        ({"version": 0}, {}, "greater than or equal to 1"),
        ({}, {"If-Match": "*"}, "If-Match must be this claim"),
        ({"version": 1}, {"If-Match": '"claim-{pk}-v2"'}, "disagree"),
    ],
)
def test_a_malformed_version_is_400_and_changes_nothing(stale, reviewer, body, headers, message):
    claim, _seen = stale
    headers = {k: v.replace("{pk}", str(claim.pk)) for k, v in headers.items()}
    response = approve(api(reviewer), claim, body, **headers)
    assert response.status_code == 400
    assert message in str(
        response.json()["detail"] if "detail" in response.json() else response.json()
    )
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.IN_REVIEW


def test_without_a_version_a_step_still_works_for_v1_clients(in_review, reviewer):
    response = approve(api(reviewer), in_review)
    assert response.status_code == 200


def test_the_same_idempotency_key_creates_one_claim(demo_article, editor):
    client = api(editor)
    body = {"article": demo_article.pk, "selector": {"exact": QUOTE}}
    first = client.post("/api/v1/claims/", body, format="json", headers={"Idempotency-Key": "a1"})
    again = client.post("/api/v1/claims/", body, format="json", headers={"Idempotency-Key": "a1"})
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert again["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    assert Claim.objects.filter(article=demo_article).count() == 1


def test_an_idempotency_key_reused_for_other_input_is_422(demo_article, editor):
    client = api(editor)
    body = {"article": demo_article.pk, "selector": {"exact": QUOTE}}
    client.post("/api/v1/claims/", body, format="json", headers={"Idempotency-Key": "a2"})
    other = {**body, "statement": "Different"}
    response = client.post(
        "/api/v1/claims/", other, format="json", headers={"Idempotency-Key": "a2"}
    )
    assert response.status_code == 422
    assert "already used for a different claim" in response.json()["detail"]
    assert Claim.objects.filter(article=demo_article).count() == 1


def test_a_malformed_idempotency_key_is_400(demo_article, editor):
    response = api(editor).post(
        "/api/v1/claims/",
        {"article": demo_article.pk, "selector": {"exact": QUOTE}},
        format="json",
        headers={"Idempotency-Key": "x" * 300},
    )
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["detail"]
    assert not Claim.objects.exists()


def test_the_same_text_again_is_409_with_existing_id(demo_article, editor, demo_text):
    response = api(editor).post("/api/v1/articles/", {"text": demo_text}, format="json")
    assert response.status_code == 409
    assert response.json()["existing_id"] == demo_article.pk
    assert Article.objects.count() == 1


def test_the_schema_documents_if_match_and_idempotency_key(editor):
    schema = api(editor).get("/api/schema/", headers={"Accept": "application/json"})
    text = schema.content.decode()
    assert "Idempotency-Key" in text
    paths = (
        schema.json()["paths"] if schema["Content-Type"].startswith("application/json") else None
    )
    if paths is not None:
        approve_params = paths["/api/v1/claims/{claim_id}/approve/"]["post"]["parameters"]
        assert any(p["name"] == "If-Match" for p in approve_params)
