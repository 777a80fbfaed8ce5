"""`POST /api/v1/claims/bulk-review/` (issue 16): one decision on many claims, 207 with a
result per claim; 400 for a bad body and 403 for a non-reviewer, with nothing written."""

from __future__ import annotations

import pytest

from annotations import limits
from annotations.models import Claim, ClaimStatus, Review
from annotations.selectors.history import ClaimEvent
from annotations.services.workflow import claim_submit
from tests.api.fixtures import helpers
from tests.factories import make_claim

ed_api, rev_api = helpers.ed_api, helpers.rev_api
pytestmark = pytest.mark.django_db
URL = "/api/v1/claims/bulk-review/"


def submitted(article, user, n=1) -> list[Claim]:
    return [claim_submit(claim=make_claim(article, user), user=user) for _ in range(n)]


def written() -> tuple[int, int]:
    return Review.objects.count(), ClaimEvent.objects.count()


def test_approves_each_claim_on_its_own_and_reports_each(rev_api, demo_article, editor, reviewer):
    first, second = submitted(demo_article, editor, 2)
    (own,) = submitted(demo_article, reviewer)
    response = rev_api.post(
        URL,
        {
            "decision": "approve",
            "claims": [
                {"id": first.pk, "version": first.version},
                {"id": own.pk, "version": own.version},
                {"id": second.pk, "version": second.version - 1},
            ],
        },
        format="json",
    )
    assert response.status_code == 207, response.json()
    body = response.json()
    assert (body["done"], body["refused"]) == (1, 2)
    done, four_eyes, stale = body["results"]
    assert done == {
        "id": first.pk,
        "result": "done",
        "status": "approved",
        "version": first.version + 1,
    }
    assert four_eyes["result"] == "refused" and four_eyes["code"] == "not_allowed"
    assert four_eyes["http_status"] == 403 and "four eyes" in four_eyes["detail"]
    assert stale["code"] == "stale_version" and stale["current_version"] == second.version
    assert Claim.objects.get(pk=first.pk).status == ClaimStatus.APPROVED
    assert Claim.objects.get(pk=own.pk).status == ClaimStatus.IN_REVIEW
    assert Claim.objects.get(pk=second.pk).status == ClaimStatus.IN_REVIEW


def test_reject_with_a_comment_rejects_every_claim(rev_api, demo_article, editor):
    claims = submitted(demo_article, editor, 3)
    response = rev_api.post(
        URL,
        {
            "decision": "reject",
            "comment": "Out of scope.",
            "claims": [{"id": c.pk} for c in claims],
        },
        format="json",
    )
    assert response.status_code == 207
    assert [r["status"] for r in response.json()["results"]] == ["rejected"] * 3
    assert Review.objects.filter(comment="Out of scope.", decision="rejected").count() == 3


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"decision": "reject", "claims": "IDS"}, "comment", "needs a comment saying why"),
        ({"decision": "request_changes", "comment": " ", "claims": "IDS"}, "comment", "needs a"),
        ({"decision": "publish", "claims": "IDS"}, "decision", "not a valid choice"),
        ({"decision": "reopen", "comment": "x", "claims": "IDS"}, "decision", "valid choice"),
        ({"claims": "IDS"}, "decision", "required"),
        ({"decision": "approve"}, "claims", "required"),
        ({"decision": "approve", "claims": []}, "claims", "Choose at least one claim."),
        ({"decision": "approve", "claims": "TOO_MANY"}, "claims", "At most 100 claims"),
        ({"decision": "approve", "claims": "TWICE"}, "claims", "listed twice"),
        ({"decision": "approve", "claims": [{"id": "x"}]}, "claims", "valid integer"),
        ({"decision": "approve", "claims": [{"id": 2**70}]}, "claims", "less than or equal"),
        ({"decision": "approve", "claims": [{"id": 1, "verison": 2}]}, "claims", "verison"),
        ({"decision": "approve", "claims": [1, 2]}, "claims", "dictionary"),
        ({"decision": "approve", "claims": "IDS", "status": "x"}, "status", "Unknown field"),
        ({"decision": "approve", "comment": "x" * (limits.COMMENT + 1), "claims": "IDS"},
         "comment", "no more than"),
    ],
)  # fmt: skip
def test_a_bad_body_is_400_naming_the_field_and_nothing_is_written(
    rev_api, demo_article, editor, body, field, message
):
    claims = submitted(demo_article, editor, 2)
    ids = [{"id": c.pk} for c in claims]
    fill = {"IDS": ids, "TOO_MANY": ids[:1] * (limits.BULK_REVIEW + 1), "TWICE": ids + ids[:1]}
    if isinstance(body.get("claims"), str):
        body = {**body, "claims": fill[body["claims"]]}
    before = written()
    response = rev_api.post(URL, body, format="json")
    assert response.status_code == 400, response.json()
    assert message in str(response.json()[field]), response.json()
    assert written() == before


def test_not_json_or_not_an_object_is_400(rev_api, demo_article):
    assert rev_api.post(URL, [1, 2], format="json").status_code == 400
    response = rev_api.post(URL, "{nope", content_type="application/json")
    assert response.status_code == 400


def test_an_editor_may_not_decide_and_nothing_is_written(ed_api, demo_article, editor2):
    claims = submitted(demo_article, editor2, 1)
    before = written()
    response = ed_api.post(
        URL, {"decision": "approve", "claims": [{"id": claims[0].pk}]}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["detail"] == "Only reviewers may approve, send back or reject claims."
    assert written() == before


def test_outsider_and_anonymous_are_refused(outsider, demo_article):
    from rest_framework.test import APIClient

    assert APIClient().post(URL, {}, format="json").status_code == 401
    response = helpers.token_client(outsider).post(URL, {}, format="json")
    assert response.status_code == 403
    assert "newsroom role" in response.json()["detail"]


def test_queries_grow_by_a_fixed_amount_per_claim(
    rev_api, demo_article, editor, django_assert_max_num_queries
):
    claims = submitted(demo_article, editor, 5)
    rev_api.post(URL, {"decision": "approve", "claims": [{"id": claims[0].pk}]}, format="json")
    # token+user+roles (3) and the claims (1), then 12 per claim (as a single approval:
    # see tests/services/test_bulk_review.py): 4 + 12 × 4.
    with django_assert_max_num_queries(4 + 12 * 4):
        response = rev_api.post(
            URL,
            {"decision": "approve", "claims": [{"id": c.pk} for c in claims[1:]]},
            format="json",
        )
    assert response.json()["done"] == 4
