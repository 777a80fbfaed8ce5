"""Pages and feeds for an approved check a new revision sent back to review (issue 10,
item 4): the public page and ClaimReview keep it with a dated note, the review queue says
why it is back, the workspace lets an editor fix its statement, the history names the
system."""

from __future__ import annotations

import json
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotations.models import Claim
from annotations.services.articles import revision_load
from annotations.services.reanchor import claim_restate
from annotations.services.workflow import claim_reject
from tests.api.fixtures.helpers import token_client
from tests.services.test_reanchor import DELETED, MOVES, TYPO, approved, edited

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
STATEMENT = "Soldiers converge a few feet behind him and open fire."


def json_ld_of(html: str) -> list:
    (script,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(script)


@pytest.fixture
def changed(demo_article, editor, editor2, reviewer, verdicts, demo_text):
    """Three approved claims; editor2 loads a revision that changes the words of two
    (one fuzzy, one orphaned) and only moves the third."""
    claims = {}
    for name, quote in [("fuzzy", TYPO), ("orphaned", DELETED), ("moved", MOVES)]:
        claim = approved(demo_article, editor, reviewer, verdicts, quote)
        assert_statement_is_the_quote(claim, quote)
        claims[name] = claim
    revision = revision_load(article=demo_article, user=editor2, text=edited(demo_text)).revision
    return demo_article, revision, {k: Claim.objects.get(pk=c.pk) for k, c in claims.items()}


def assert_statement_is_the_quote(claim, quote):
    # `approved` leaves the statement as the quote: the published statement to look for.
    assert claim.statement == quote


# --- the public page ---------------------------------------------------------------------------


def test_public_page_keeps_the_approved_check_with_a_dated_note(changed):
    article, revision, claims = changed
    html = Client().get(f"/published/{article.pk}/").content.decode()
    for name in ("fuzzy", "orphaned", "moved"):
        assert f'id="claim-{claims[name].pk}"' in html
    note = f'The article changed on <time datetime="{revision.created_at:%Y-%m-%dT%H:%M:%S}'
    assert html.count(note) == 2  # the fuzzy and the orphaned claim; the moved one is approved
    assert "this check is being re-reviewed" in html
    # The approved words (the statement here is the quote, so it is printed once, as the heading).
    assert f'<h2 class="public-statement">{TYPO}</h2>' in html
    assert "soldiers converged just" not in html
    assert html.count("UNC video") == 3  # the kept sources
    reviews = json_ld_of(html)
    assert sorted(r["claimReviewed"] for r in reviews) == sorted([TYPO, DELETED, MOVES])


def test_public_page_shows_the_approved_statement_not_the_editors_fix(changed, editor):
    article, _, claims = changed
    claim = claims["fuzzy"]
    claim_restate(claim=claim, user=editor, statement=STATEMENT, version=claim.version)
    html = Client().get(f"/published/{article.pk}/").content.decode()
    assert STATEMENT not in html
    assert TYPO in html


def test_a_reviewers_rejection_takes_the_check_off_the_public_page(changed, reviewer2):
    article, _, claims = changed
    claim_reject(claim=claims["orphaned"], reviewer=reviewer2, comment="Cut from the story.")
    html = Client().get(f"/published/{article.pk}/").content.decode()
    assert f'id="claim-{claims["orphaned"].pk}"' not in html
    assert f'id="claim-{claims["fuzzy"].pk}"' in html


def test_public_page_query_count_holds_with_checks_in_re_review(changed, django_assert_num_queries):
    article, _, _ = changed
    # 4 queries: published claims with article and verdict, their sources, rating scale ends,
    # the later articles confirmed to repeat them
    with django_assert_num_queries(4):
        assert Client().get(f"/published/{article.pk}/").status_code == 200


# --- ClaimReview --------------------------------------------------------------------------------


def test_claimreview_feed_keeps_the_approved_check(changed, editor, verdicts):
    article, _, claims = changed
    claim = claims["fuzzy"]
    claim_restate(claim=claim, user=editor, statement=STATEMENT, version=claim.version)
    results = token_client(editor).get("/api/v1/claimreviews/").json()["results"]
    by_url = {r["url"].rsplit("#claim-", 1)[1]: r for r in results}
    assert set(by_url) == {str(c.pk) for c in claims.values()}
    review = by_url[str(claim.pk)]
    assert review["claimReviewed"] == TYPO  # approved, not the statement being re-reviewed
    assert review["reviewRating"]["alternateName"] == verdicts["true"].label
    assert review["reviewBody"] == "Checked against the UN Command's footage."
    assert review["datePublished"] == claims["fuzzy"].published_check["reviewed_at"][:10]


def test_claimreview_query_count_holds_with_checks_in_re_review(
    changed, editor, django_assert_num_queries
):
    api = token_client(editor)
    # 4 queries: token+user+roles, published claims with article+verdict, rating scale
    # ends, the later articles confirmed to repeat them (one for the page)
    with django_assert_num_queries(4):
        response = api.get("/api/v1/claimreviews/")
    assert len(response.json()["results"]) == 3


# --- the review queue ---------------------------------------------------------------------------


def test_review_queue_says_why_an_approved_claim_is_back(client, reviewer, changed):
    _, revision, claims = changed
    client.force_login(reviewer)
    html = client.get(reverse("review_queue")).content.decode()
    fuzzy, orphan = claims["fuzzy"], claims["orphaned"]
    item = html[html.index(f'id="review-item-{fuzzy.pk}"') :]
    item = item[: item.index("</article>")]
    assert f"Was approved; words changed in revision {revision.number}" in item
    assert f'<blockquote class="rereview-old">{TYPO}</blockquote>' in item
    assert f'<blockquote class="rereview-new">{fuzzy.exact}</blockquote>' in item
    item = html[html.index(f'id="review-item-{orphan.pk}"') :]
    item = item[: item.index("</article>")]
    assert f'<blockquote class="rereview-old">{DELETED}</blockquote>' in item
    assert f"Not found in revision {revision.number}" in item


def test_review_queue_query_count_does_not_grow_with_re_reviews(
    client, reviewer, changed, demo_article, editor, verdicts, demo_text
):
    client.force_login(reviewer)
    with CaptureQueriesContext(connection) as two:
        client.get(reverse("review_queue"))
    from tests.services.test_reanchor import HEADLINE

    demo_article.refresh_from_db()
    approved(demo_article, editor, reviewer, verdicts, HEADLINE)
    text = demo_article.current_revision.text.replace("defector’s harrowing", "defector’s daring")
    revision_load(article=demo_article, user=editor, text=text)
    with CaptureQueriesContext(connection) as three:
        response = client.get(reverse("review_queue"))
    assert response.content.decode().count("Was approved; words changed") == 3
    assert len(two) == len(three)


# --- the editor's statement fix in the workspace -------------------------------------------------


def test_workspace_lists_re_reviewed_claims_with_a_statement_form(client, editor, changed):
    article, _, claims = changed
    client.force_login(editor)
    html = client.get(reverse("article_detail", args=[article.pk])).content.decode()
    for name in ("fuzzy", "orphaned"):
        claim = claims[name]
        assert f'id="rereview-claim-{claim.pk}"' in html
        assert f'action="{reverse("claim_restate", args=[claim.pk])}"' in html
    assert f'id="rereview-claim-{claims["moved"].pk}"' not in html


def test_editor_fixes_the_statement_through_htmx(client, editor, changed):
    _, _, claims = changed
    claim = claims["fuzzy"]
    client.force_login(editor)
    response = client.post(
        reverse("claim_restate", args=[claim.pk]),
        {"statement": STATEMENT, "version": claim.version},
        **HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert '<section id="orphaned-claims"' in html  # the section alone, not the page
    assert "<html" not in html
    assert "Saved the statement" in html
    assert "factcheck:claims-changed" in response["HX-Trigger"]
    assert Claim.objects.get(pk=claim.pk).statement == STATEMENT


def test_a_stale_statement_fix_is_refused_in_the_section(client, editor, changed):
    _, _, claims = changed
    claim = claims["fuzzy"]
    client.force_login(editor)
    response = client.post(
        reverse("claim_restate", args=[claim.pk]),
        {"statement": STATEMENT, "version": claim.version - 1},
        **HTMX,
    )
    assert response.status_code == 409
    assert "changed while you were looking at it" in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).statement == TYPO


def test_without_htmx_the_fix_redirects_to_the_workspace_with_a_message(client, editor, changed):
    article, _, claims = changed
    claim = claims["moved"]  # approved, not re-reviewed: refused
    client.force_login(editor)
    response = client.post(
        reverse("claim_restate", args=[claim.pk]), {"statement": "X", "version": claim.version}
    )
    assert response.status_code == 302
    assert response.url == reverse("article_detail", args=[article.pk]) + f"?claim={claim.pk}"
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("sent back to review" in m for m in messages)
    assert Claim.objects.get(pk=claim.pk).statement == MOVES


def test_statement_fix_refuses_outsiders_get_and_unknown_claims(client, outsider, editor, changed):
    _, _, claims = changed
    url = reverse("claim_restate", args=[claims["fuzzy"].pk])
    client.force_login(outsider)
    assert client.post(url, {"statement": "X", "version": 1}, **HTMX).status_code == 403
    client.force_login(editor)
    assert client.get(url).status_code == 405
    assert client.post(reverse("claim_restate", args=[999999]), {}).status_code == 404
    assert Claim.objects.get(pk=claims["fuzzy"].pk).statement == TYPO


def test_statement_fix_keeps_its_query_count(client, editor, changed, django_assert_num_queries):
    _, _, claims = changed
    claim = claims["fuzzy"]
    client.force_login(editor)
    # 11 queries: session, user, groups, claim+article, savepoint, article locked (the one
    # lock order), claim locked with article+revision+verdict, update, article touched,
    # release, claims for the section
    with django_assert_num_queries(11):
        response = client.post(
            reverse("claim_restate", args=[claim.pk]),
            {"statement": STATEMENT, "version": claim.version},
            **HTMX,
        )
    assert response.status_code == 200


# --- the history ---------------------------------------------------------------------------------


def test_history_names_the_system_not_whoever_loaded_the_revision(client, editor, editor2, changed):
    _, revision, claims = changed
    client.force_login(editor)
    html = client.get(reverse("claim_history", args=[claims["fuzzy"].pk])).content.decode()
    assert f"System (new revision {revision.number})" in html
    assert "Sent back to review automatically" in html
    assert editor2.username not in html  # editor2 loaded the revision and did nothing else
    entries = token_client(editor).get(f"/api/v1/claims/{claims['fuzzy'].pk}/history/").json()
    (entry,) = [e for e in entries if e["action"] == "claim_reanchor"]
    assert (entry["user"], entry["actor"]) == (None, f"System (new revision {revision.number})")
