"""Finding things in the review queue and "My claims": pages, filters, sorting, the status
counts as filters, links to the public page. Bad values are refused with a message and
list nothing; query counts stay the same however many claims there are."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations.models import Claim, ClaimStatus
from annotations.selectors.review import PAGE_SIZE
from annotations.services.articles import article_load
from annotations.services.workflow import claim_approve, claim_submit
from tests.factories import make_claim

pytestmark = pytest.mark.django_db
QUEUE = "/review/"


def submitted(article, user, n=1):
    return [claim_submit(claim=make_claim(article, user), user=user) for _ in range(n)]


def item_ids(html: str) -> list[int]:
    import re

    return [int(i) for i in re.findall(r'<article id="review-item-(\d+)"', html)]


# --- Review queue: pages -------------------------------------------------------------------


def test_queue_is_paged_and_each_page_costs_the_same_queries(
    client, reviewer, editor, demo_article
):
    claims = submitted(demo_article, editor, PAGE_SIZE + 3)
    client.force_login(reviewer)
    with CaptureQueriesContext(connection) as first:
        response = client.get(QUEUE)
    html = response.content.decode()
    assert item_ids(html) == [c.pk for c in claims[:PAGE_SIZE]]
    assert "Page 1 of 2" in html and 'href="?page=2"' in html
    with CaptureQueriesContext(connection) as second:
        html = client.get(QUEUE + "?page=2").content.decode()
    assert item_ids(html) == [c.pk for c in claims[PAGE_SIZE:]]
    # 9 queries: session, user, groups, verdict and editor choices, counts per status (the
    # page's total too, so no COUNT(*) of its own), the page of claims, their sources, the
    # bell's unread count (issue 16).
    assert len(first) == len(second) == 9, [q["sql"][:80] for q in second]


def test_queue_page_past_the_end_or_not_a_number_is_400_with_a_message(
    client, reviewer, editor, demo_article
):
    submitted(demo_article, editor)
    client.force_login(reviewer)
    response = client.get(QUEUE + "?page=3")
    assert response.status_code == 400
    assert "There is no page 3: the last page is 1." in response.content.decode()
    assert item_ids(response.content.decode()) == []
    for bad in ("x", "0", "-1", "99999999999999999999"):
        response = client.get(QUEUE + f"?page={bad}")
        assert response.status_code == 400, bad
        assert "The page must be a whole number, 1 or more." in response.content.decode()


# --- Review queue: filters and sorting -----------------------------------------------------


def test_queue_filters_by_article_editor_verdict_and_age(
    client, reviewer, editor, editor2, demo_article
):
    mine = submitted(demo_article, editor)[0]
    theirs = submitted(demo_article, editor2)[0]
    other_article = article_load(user=editor, text="The harbour flooded 40 times last year.")
    elsewhere = claim_submit(
        claim=_ready_claim(other_article, editor, "flooded 40 times"), user=editor
    )
    Claim.objects.filter(pk=mine.pk).update(submitted_at=mine.submitted_at - dt.timedelta(days=10))
    client.force_login(reviewer)

    def listed(query):
        response = client.get(QUEUE + query)
        assert response.status_code == 200, response.content.decode()[:500]
        return set(item_ids(response.content.decode()))

    assert listed("") == {mine.pk, theirs.pk, elsewhere.pk}
    assert listed(f"?article={other_article.pk}") == {elsewhere.pk}
    assert listed("?editor=ed2") == {theirs.pk}
    assert listed("?verdict=mostly-true") == {mine.pk, theirs.pk}
    assert listed("?verdict=false") == {elsewhere.pk}
    assert listed("?verdict=none") == set()
    assert listed("?age=7") == {mine.pk}
    assert listed("?editor=ed&age=7") == {mine.pk}
    html = client.get(QUEUE + f"?article={other_article.pk}").content.decode()
    assert "Article: <strong>The harbour flooded" in html


def _ready_claim(article, user, quote):
    from annotations.services.claims import claim_create, claim_update, source_attach

    claim = claim_create(article=article, user=user, selector={"exact": quote})
    claim = claim_update(
        claim=claim, user=user, version=claim.version, verdict="false", explanation="Port records."
    )
    source_attach(claim=claim, user=user, title="Port records", url="https://example.org/p")
    claim.refresh_from_db()
    return claim


def test_queue_sorts_oldest_newest_and_recently_edited(client, reviewer, editor, demo_article):
    a, b, c = submitted(demo_article, editor, 3)
    Claim.objects.filter(pk=b.pk).update(updated_at=b.updated_at + dt.timedelta(hours=1))
    client.force_login(reviewer)
    assert item_ids(client.get(QUEUE).content.decode()) == [a.pk, b.pk, c.pk]
    assert item_ids(client.get(QUEUE + "?sort=newest").content.decode()) == [c.pk, b.pk, a.pk]
    assert item_ids(client.get(QUEUE + "?sort=updated").content.decode())[0] == b.pk


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?status=published", "“published” is not a status; use one of draft, in_review"),
        ("?verdict=bogus", "“bogus” is not a verdict; use one of none, true"),
        ("?editor=nobody", "“nobody” is not the username of an editor."),
        ("?article=abc", "There is no article with the id “abc”."),
        ("?article=999999", "There is no article with the id “999999”."),
        ("?article=99999999999999999999", "There is no article with the id"),
        ("?age=2", "“2” is not an age; use 1, 3, 7 or 30 (days waiting)."),
        (
            "?sort=random",
            "“random” is not a sort order; use one of oldest, newest, updated, article, "
            "editor, verdict, relevance.",
        ),
        ("?sort=relevance", "“Best match first” sorts a search: type words to search for"),
        ("?q=" + "x" * 201, "The search is longer than 200 characters"),
    ],
)
def test_queue_refuses_a_bad_filter_with_a_message_and_lists_nothing(
    client, reviewer, editor, demo_article, query, message
):
    submitted(demo_article, editor)
    client.force_login(reviewer)
    response = client.get(QUEUE + query)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html and message in html
    assert item_ids(html) == []


def test_status_counts_are_links_that_filter_and_follow_the_other_filters(
    client, reviewer, editor, editor2, demo_article
):
    submitted(demo_article, editor, 2)
    submitted(demo_article, editor2, 1)
    draft = make_claim(demo_article, editor2)
    client.force_login(reviewer)
    html = client.get(QUEUE + "?editor=ed2").content.decode()
    assert 'href="?editor=ed2&amp;status=draft"' in html
    assert 'data-status="in_review">1<' in html and 'data-status="draft">1<' in html
    assert 'aria-current="page"><span class="count" data-status="in_review">' in html
    html = client.get(QUEUE + "?editor=ed2&status=draft").content.decode()
    assert item_ids(html) == [draft.pk]


def test_an_approved_claim_in_the_queue_links_to_its_public_page(
    client, reviewer, editor, demo_article
):
    (claim,) = submitted(demo_article, editor)
    claim_approve(claim=claim, reviewer=reviewer)
    client.force_login(reviewer)
    html = client.get(QUEUE + "?status=approved").content.decode()
    assert item_ids(html) == [claim.pk]
    assert f'href="/published/{demo_article.pk}/#claim-{claim.pk}"' in html
    assert "now approved" in html


# --- My claims -----------------------------------------------------------------------------


def test_my_claims_sections_are_paged_with_constant_queries(client, editor, demo_article):
    drafts = [make_claim(demo_article, editor) for _ in range(PAGE_SIZE + 2)]
    (waiting,) = submitted(demo_article, editor)
    client.force_login(editor)
    with CaptureQueriesContext(connection) as first:
        html = client.get("/my-claims/").content.decode()
    newest_first = sorted(drafts, key=lambda c: (c.updated_at, c.pk), reverse=True)
    section = html[html.index('id="my-claims-draft"') : html.index('id="my-claims-in_review"')]
    assert section.count('class="my-claim ') == PAGE_SIZE
    assert f'id="my-claim-{newest_first[0].pk}"' in section
    assert 'Drafts <span class="count">(27)</span>' in html
    assert 'href="?page_draft=2#my-claims-draft"' in section
    assert f'id="my-claim-{waiting.pk}"' in html  # other sections are unaffected
    with CaptureQueriesContext(connection) as second:
        html = client.get("/my-claims/?page_draft=2").content.decode()
    section = html[html.index('id="my-claims-draft"') : html.index('id="my-claims-in_review"')]
    assert section.count('class="my-claim ') == 2
    assert f'id="my-claim-{newest_first[-1].pk}"' in section
    # 8 queries: session, user, groups, counts per section, drafts, in review, sources, the
    # bell's unread count (issue 16).
    assert len(first) == len(second) == 8, [q["sql"][:80] for q in second]


def test_my_claims_refuses_a_bad_page(client, editor, demo_article):
    make_claim(demo_article, editor)
    client.force_login(editor)
    response = client.get("/my-claims/?page_draft=5")
    assert response.status_code == 400
    assert "“Drafts”: There is no page 5: the last page is 1." in response.content.decode()
    response = client.get("/my-claims/?page_in_review=abc")
    assert response.status_code == 400
    assert "The page must be a whole number, 1 or more." in response.content.decode()
    assert 'class="my-claim ' not in response.content.decode()


def test_my_approved_claims_link_to_the_public_page(client, editor, reviewer, demo_article):
    (claim,) = submitted(demo_article, editor)
    claim_approve(claim=claim, reviewer=reviewer)
    client.force_login(editor)
    html = client.get("/my-claims/").content.decode()
    section = html[html.index('id="my-claims-approved"') :]
    assert f'id="my-claim-{claim.pk}"' in section
    assert f'href="/published/{demo_article.pk}/#claim-{claim.pk}"' in section
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.APPROVED
