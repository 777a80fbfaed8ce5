"""GET /api/v1/claims/{id}/history/: the creation, every field edit with before and after,
every source change and every workflow step, in order, with who did it."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from annotations.selectors.history import claim_history


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def ok(response, status=200):
    assert response.status_code == status, response.content
    return response.json()


@pytest.mark.django_db(transaction=True)
def test_history_lists_creation_edits_sources_and_steps_in_order(
    demo_article, editor, reviewer, reviewer2
):
    ed, rev = client_for(editor), client_for(reviewer)
    claim = ok(
        ed.post(
            "/api/v1/claims/",
            {"article": demo_article.pk, "selector": {"exact": "hit at least five times"}},
            format="json",
        ),
        201,
    )
    base = f"/api/v1/claims/{claim['id']}/"
    claim = ok(ed.patch(base, {"version": claim["version"], "claimant": "JCS"}, format="json"))
    claim = ok(
        ed.patch(
            base,
            {"version": claim["version"], "verdict": "mostly-true", "explanation": "Five."},
            format="json",
        )
    )
    source = ok(
        ed.post(
            base + "sources/",
            {"title": "Hospital", "url": "https://example.org/h", "stance": "supports"},
            format="json",
        ),
        201,
    )
    ok(ed.post(base + "submit/", {}, format="json"))
    ok(rev.post(base + "request-changes/", {"comment": "Quote the hospital."}, format="json"))
    claim = ok(ed.get(base))
    ok(ed.patch(base, {"version": claim["version"], "explanation": "Six."}, format="json"))
    ok(ed.patch(f"{base}sources/{source['id']}/", {"stance": "context"}, format="json"))
    ok(ed.post(base + "submit/", {}, format="json"))
    ok(rev.post(base + "approve/", {}, format="json"))
    ok(client_for(reviewer2).post(base + "reopen/", {"comment": "New figures."}, format="json"))

    history = ok(rev.get(base + "history/"))
    steps = [(e["action"], e["user"]) for e in history]
    assert steps == [
        ("claim_create", "ed"),
        ("claim_update", "ed"),
        ("claim_update", "ed"),
        ("source_attach", "ed"),
        ("claim_submit", "ed"),
        ("claim_request_changes", "rev"),
        ("claim_update", "ed"),
        ("source_update", "ed"),
        ("claim_submit", "ed"),
        ("claim_approve", "rev"),
        ("claim_reopen", "rev2"),
    ]
    create, claimant, verdict, attach, submit, request, fix, stance, _, approve, reopen = history
    assert create["changes"]["exact"] == [None, "hit at least five times"]
    assert create["changes"]["status"] == [None, "draft"]
    assert claimant["changes"] == {"claimant": ["", "JCS"]}
    assert verdict["changes"] == {"verdict": [None, "Mostly true"], "explanation": ["", "Five."]}
    assert attach["changes"]["source"] == [None, "Hospital"]
    assert attach["changes"]["stance"] == [None, "supports"]
    assert attach["source"]["title"] == "Hospital"
    assert submit["changes"] == {"status": ["draft", "in_review"]}
    assert request["changes"] == {"status": ["in_review", "changes_requested"]}
    assert request["comment"] == "Quote the hospital."
    assert fix["changes"] == {"explanation": ["Five.", "Six."]}
    assert stance["changes"] == {"stance": ["supports", "context"]}
    assert approve["changes"] == {"status": ["in_review", "approved"]}
    assert reopen["changes"] == {"status": ["approved", "changes_requested"]}
    assert reopen["comment"] == "New figures."
    times = [e["at"] for e in history]
    assert times == sorted(times)
    assert all(e["at"].endswith(("Z", "+00:00")) or "+" in e["at"] for e in history)
    # A refused step adds nothing.
    assert rev.post(base + "reject/", {}, format="json").status_code == 409
    assert len(ok(rev.get(base + "history/"))) == len(history)


def test_history_records_detaching_a_source_and_deleting_a_draft(demo_article, editor):
    from annotations.models import Claim
    from annotations.services.claims import (
        claim_create,
        claim_delete,
        source_attach,
        source_detach,
    )

    claim = claim_create(article=demo_article, user=editor, selector={"exact": "hit at least"})
    link = source_attach(claim=claim, user=editor, title="Doc", stance="refutes")
    source_detach(claim_source=link, user=editor)
    claim_delete(claim=Claim.objects.get(pk=claim.pk), user=editor)
    history = claim_history(claim)
    assert [e["action"] for e in history] == [
        "claim_create",
        "source_attach",
        "source_detach",
        "claim_delete",
    ]
    assert history[2]["changes"] == {"source": ["Doc", None], "stance": ["refutes", None]}
    assert history[3]["changes"]["deleted_at"][0] is None
    body = ok(client_for(editor).get(f"/api/v1/claims/{claim.pk}/history/"))
    assert [e["action"] for e in body] == [e["action"] for e in history]


def test_history_refuses_anonymous_and_outsiders(demo_article, editor, outsider):
    from annotations.services.claims import claim_create

    claim = claim_create(article=demo_article, user=editor, selector={"exact": "hit at least"})
    path = f"/api/v1/claims/{claim.pk}/history/"
    assert APIClient().get(path).status_code in (401, 403)
    assert client_for(outsider).get(path).status_code == 403
    assert client_for(editor).get("/api/v1/claims/999999/history/").status_code == 404


def test_history_query_count_does_not_grow_with_the_history(
    demo_article, editor, reviewer, django_assert_num_queries
):
    from annotations.services.claims import claim_create, claim_update

    claim = claim_create(article=demo_article, user=editor, selector={"exact": "hit at least"})
    client = client_for(reviewer)
    path = f"/api/v1/claims/{claim.pk}/history/"
    # 9 queries: session, user, groups, the claim, verdict labels, claim events (with their
    # context), source-link events, assignment events (issue 16), the users named.
    with django_assert_num_queries(9):
        client.get(path)
    for n in range(5):
        claim = claim_update(claim=claim, user=editor, version=claim.version, claimant=f"C{n}")
    with django_assert_num_queries(9):
        assert len(client.get(path).json()) == 6
