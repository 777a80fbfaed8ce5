"""The review queue's tools (issue 16): a search box (full text + trigrams), sorting by
article, editor and verdict, and the bulk bar (`POST /review/bulk/`): one decision on the
ticked claims, each under its own rules, with a result per claim."""

from __future__ import annotations

import re

import pytest

from annotations import limits
from annotations.models import Claim, ClaimStatus, Review
from annotations.selectors.history import ClaimEvent
from annotations.services.articles import article_load
from annotations.services.claims import claim_create, claim_update, source_attach
from annotations.services.workflow import claim_submit
from tests.factories import make_claim

pytestmark = pytest.mark.django_db
QUEUE, BULK = "/review/", "/review/bulk/"
HTMX = {"HTTP_HX_REQUEST": "true"}


def item_ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<article id="review-item-(\d+)"', html)]


def in_review(article, user, quote, *, verdict="false", claimant="") -> Claim:
    claim = claim_create(article=article, user=user, selector={"exact": quote})
    claim = claim_update(
        claim=claim,
        user=user,
        version=claim.version,
        verdict=verdict,
        explanation="Port records.",
        claimant=claimant,
    )
    source_attach(claim=claim, user=user, title="Port records", url="https://example.org/p")
    claim.refresh_from_db()
    return claim_submit(claim=claim, user=user)


@pytest.fixture
def queue(editor, editor2):
    harbour = article_load(
        user=editor,
        title="Harbour floods",
        text="The harbour flooded 40 times last year. Shelling damaged the pier.",
    )
    border = article_load(
        user=editor2, title="Border shooting", text="The soldier took hits to the arm and chest."
    )
    return {
        "floods": in_review(harbour, editor, "flooded 40 times", verdict="mostly-true"),
        "shelling": in_review(harbour, editor2, "Shelling damaged the pier", claimant="Mayor"),
        "hits": in_review(border, editor2, "took hits to the arm and chest", verdict="true"),
    }


def test_the_queue_searches_with_stemming_and_typos(client, reviewer, queue):
    client.force_login(reviewer)

    def found(words: str) -> list[int]:
        response = client.get(QUEUE, {"q": words})
        assert response.status_code == 200, response.content.decode()[:300]
        return item_ids(response.content.decode())

    assert found("hit") == [queue["hits"].pk]
    assert found("flood") == [queue["floods"].pk]
    assert found("sheling") == [queue["shelling"].pk]
    assert found("mayor") == [queue["shelling"].pk]
    assert found('"the pier" -flooded') == [queue["shelling"].pk]
    html = client.get(QUEUE, {"q": "hit"}).content.decode()
    # The box keeps the words; the sort shows that a search is listed best match first;
    # the counts follow the search.
    assert 'name="q" value="hit"' in html
    assert '<option value="relevance" selected>' in html
    assert '<span class="count" data-status="in_review">1</span>' in html


@pytest.mark.parametrize("words", ['"', "\\", "&|!():*", "a & (b | !c", "-", "x" * 200])
def test_hostile_words_in_the_queue_never_answer_500(client, reviewer, queue, words):
    client.force_login(reviewer)
    response = client.get(QUEUE, {"q": words})
    assert response.status_code == 200


def test_the_queue_sorts_by_article_editor_and_verdict(client, reviewer, queue):
    client.force_login(reviewer)
    q = queue

    def order(sort: str) -> list[int]:
        return item_ids(client.get(QUEUE, {"sort": sort}).content.decode())

    assert order("article") == [q["hits"].pk, q["floods"].pk, q["shelling"].pk]
    assert order("editor") == [q["floods"].pk, q["shelling"].pk, q["hits"].pk]
    assert order("verdict") == [q["hits"].pk, q["floods"].pk, q["shelling"].pk]


@pytest.mark.parametrize("query", ["?sort=article", "?sort=editor&q=the", "?q=sheling"])
def test_searching_and_sorting_cost_no_extra_query(
    client, reviewer, queue, query, django_assert_num_queries
):
    client.force_login(reviewer)
    # 9 queries, as any queue page (tests/views/test_queue_pages.py): session, user,
    # groups, verdict and editor choices, counts per status, the page, their sources, the
    # bell's unread count.
    with django_assert_num_queries(9):
        response = client.get(QUEUE + query)
    assert response.status_code == 200


# --- The bulk bar ----------------------------------------------------------------------


def test_the_queue_shows_the_bulk_bar_with_a_labelled_box_per_claim(client, reviewer, queue):
    client.force_login(reviewer)
    html = client.get(QUEUE).content.decode()
    assert '<form id="bulk-review"' in html
    for claim in queue.values():
        assert f'value="{claim.pk}:{claim.version}" form="bulk-review"' in html
        assert f'<label for="bulk-pick-{claim.pk}">Select' in html
    approved = client.get(QUEUE, {"status": "approved"}).content.decode()
    assert 'id="bulk-review"' not in approved


def test_bulk_approve_over_htmx_lists_each_result_and_refreshes_the_queue(
    client, reviewer, queue, demo_article
):
    own = claim_submit(claim=make_claim(demo_article, reviewer), user=reviewer)
    client.force_login(reviewer)
    picked = [queue["floods"], own, queue["hits"]]
    response = client.post(
        BULK,
        {"decision": "approve", "claim": [f"{c.pk}:{c.version}" for c in picked]},
        **HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith('<section id="bulk-results"')
    assert "Approve: 2 done, 1 refused" in html
    assert html.count("now approved") == 2
    assert "refused: You created this claim" in html and "four eyes" in html
    assert "claimsReviewed" in response["HX-Trigger"]
    statuses = dict(Claim.objects.filter(pk__in=[c.pk for c in picked]).values_list("pk", "status"))
    assert statuses == {
        queue["floods"].pk: ClaimStatus.APPROVED,
        own.pk: ClaimStatus.IN_REVIEW,
        queue["hits"].pk: ClaimStatus.APPROVED,
    }


def test_bulk_without_javascript_answers_a_page_with_the_results(client, reviewer, queue):
    client.force_login(reviewer)
    claim = queue["shelling"]
    response = client.post(
        BULK,
        {
            "decision": "request_changes",
            "comment": "Name the source.",
            "claim": [f"{claim.pk}:{claim.version}"],
            "next": "/review/?sort=article",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Review: several claims</h1>" in html
    assert "Request changes: 1 done, 0 refused" in html
    assert 'href="/review/?sort=article"' in html
    assert Review.objects.get(claim=claim).comment == "Name the source."


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"decision": "reject"}, "Select at least one claim (tick its box)."),
        ({"decision": "reject", "claim": "PICK"}, "Reject needs a comment saying why"),
        ({"decision": "request_changes", "comment": "  ", "claim": "PICK"}, "needs a comment"),
        ({"claim": "PICK"}, "Choose Approve, Request changes or Reject."),
        ({"decision": "reopen", "comment": "x", "claim": "PICK"}, "“reopen” is not a decision"),
        ({"decision": "approve", "claim": ["12"]}, "“12” is not a claim as the queue sends it"),
        ({"decision": "approve", "claim": ["1:x"]}, "is not a claim as the queue sends it"),
        ({"decision": "approve", "claim": ["9" * 30 + ":1"]}, "is not a claim as the queue"),
        ({"decision": "approve", "claim": "TOO_MANY"}, f"At most {limits.BULK_REVIEW} claims"),
        ({"decision": "approve", "claim": "TWICE"}, "listed twice"),
        ({"decision": "approve", "comment": "a\x00b", "claim": "PICK"}, "Null characters"),
    ],
)
def test_a_refused_bulk_request_says_why_and_writes_nothing(client, reviewer, queue, data, message):
    client.force_login(reviewer)
    refs = [f"{c.pk}:{c.version}" for c in queue.values()]
    fill = {
        "PICK": refs,
        "TOO_MANY": [f"{n}:1" for n in range(1, limits.BULK_REVIEW + 2)],
        "TWICE": refs + refs[:1],
    }
    if isinstance(data.get("claim"), str):
        data = {**data, "claim": fill[data["claim"]]}
    before = (Review.objects.count(), ClaimEvent.objects.count())
    response = client.post(BULK, data, **HTMX)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="workflow-error" role="alert"' in html
    assert message in html.replace("&quot;", '"'), html
    assert (Review.objects.count(), ClaimEvent.objects.count()) == before
    assert "HX-Trigger" not in response


def test_editors_and_outsiders_may_not_use_the_bulk_bar(client, editor, outsider, queue):
    claim = queue["hits"]
    for user in (editor, outsider):
        client.force_login(user)
        response = client.post(
            BULK, {"decision": "approve", "claim": [f"{claim.pk}:{claim.version}"]}
        )
        assert response.status_code == 403
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.IN_REVIEW


def test_bulk_results_cost_one_query_more_than_the_decisions(
    client, reviewer, queue, django_assert_max_num_queries
):
    client.force_login(reviewer)
    refs = [f"{c.pk}:{c.version}" for c in queue.values()]
    # session, user, groups (3); the claims (1); 12 per claim (services); the results (1).
    with django_assert_max_num_queries(3 + 1 + 12 * 3 + 1):
        response = client.post(BULK, {"decision": "approve", "claim": refs}, **HTMX)
    assert "Approve: 3 done, 0 refused" in response.content.decode()
