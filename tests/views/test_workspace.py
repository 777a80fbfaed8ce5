"""The reading view (`article_detail`): text, highlights, claims list, and its cost."""

from __future__ import annotations

import gzip
import re

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotations.services.articles import revision_load
from annotations.services.claims import claim_create
from annotations.services.workflow import claim_submit

pytestmark = pytest.mark.django_db

WORDS = re.compile(r"\w+(?: \w+){2}")


def add_claims(article, user, count: int, verdict=None):
    """`count` claims on three-word spans of the text (cycling, so they may repeat)."""
    text = article.current_revision.text
    spans = [m.span() for m in WORDS.finditer(text)]
    return [
        claim_create(
            article=article,
            user=user,
            selector={"start": spans[i % len(spans)][0], "end": spans[i % len(spans)][1]},
            verdict=verdict,
        )
        for i in range(count)
    ]


def _quote(article, quote):
    text = article.current_revision.text
    start = text.index(quote)
    return {"exact": quote, "start": start, "end": start + len(quote)}


def test_workspace_shows_text_in_paragraphs_with_offsets(client, editor, demo_article):
    client.force_login(editor)
    response = client.get(reverse("article_detail", args=[demo_article.id]))
    assert response.status_code == 200
    html = response.content.decode()
    text = demo_article.current_revision.text
    starts = [int(s) for s in re.findall(r'<p data-start="(\d+)">', html)]
    expected, at = [], 0
    for paragraph in text.split("\n\n"):
        expected.append(at)
        at += len(paragraph) + 2
    assert starts == expected
    assert 'id="article-meta"' in html and 'id="claim-panel"' in html
    assert "You are reading <strong>revision 1</strong>" in html
    assert "annotations/js/workspace.js" in html


def test_highlights_are_coloured_and_announced(client, editor, demo_article, verdicts):
    outer = claim_create(
        article=demo_article,
        user=editor,
        selector=_quote(demo_article, "The defector was hit at least five times, but lives."),
        verdict="mostly-true",
    )
    inner = claim_create(
        article=demo_article,
        user=editor,
        selector=_quote(demo_article, "hit at least five times"),
        verdict="true",
    )
    client.force_login(editor)
    html = client.get(reverse("article_detail", args=[demo_article.id])).content.decode()
    assert f'data-claims="{outer.id} {inner.id}"' in html
    # Coloured by the innermost claim's verdict, through a class (no style="" under CSP)
    # that /verdicts.css maps to the scale's colour.
    assert re.search(rf'<mark class="[^"]*v-true[^"]*" data-claims="{outer.id} {inner.id}"', html)
    assert "style=" not in html
    css = client.get(reverse("verdict_colours")).content.decode()
    assert f".v-true {{ --hl: {verdicts['true'].colour}; }}" in css
    assert 'role="button"' in html
    assert "verdict: Mostly true; status: Draft" in html
    mark = re.search(rf'<mark [^>]*data-claims="{outer.id} {inner.id}"[^>]*>([^<]*)</mark>', html)
    assert mark.group(1) == "hit at least five times"


def test_claims_on_an_earlier_revision_say_which(client, editor, demo_article, demo_text):
    (claim,) = add_claims(demo_article, editor, 1)
    revision_load(article=demo_article, user=editor, text=demo_text + "\n\nA new last line.")
    claim.refresh_from_db()
    client.force_login(editor)
    html = client.get(reverse("article_detail", args=[demo_article.id])).content.decode()
    assert "revision 2" in html
    if claim.revision.number == 1:
        assert "refers to revision 1" in html


def test_list_filters_by_status_and_verdict_with_counts(client, editor, demo_article):
    drafts = add_claims(demo_article, editor, 3, verdict="false")
    claim_submit(claim=drafts[0], user=editor)
    client.force_login(editor)
    url = reverse("claim_list", args=[demo_article.id])
    html = client.get(url, {"filter_status": "in_review"}, HTTP_HX_REQUEST="true").content.decode()
    assert html.count("data-claim-item=") == 1
    assert "In review (1)" in html and "Draft (2)" in html and "False (3)" in html
    html = client.get(url, {"filter_verdict": "true"}, HTTP_HX_REQUEST="true").content.decode()
    assert "No claim matches these filters." in html
    page = client.get(reverse("article_detail", args=[demo_article.id]), {"filter_status": "draft"})
    assert page.content.decode().count("data-claim-item=") == 2


def test_workspace_refuses_an_account_without_a_role(client, outsider, demo_article):
    client.force_login(outsider)
    assert client.get(reverse("article_detail", args=[demo_article.id])).status_code == 403


def test_workspace_of_an_unknown_article_is_404(client, editor):
    client.force_login(editor)
    assert client.get(reverse("article_detail", args=[999999])).status_code == 404


def test_reviewers_read_the_workspace(client, reviewer, editor, demo_article):
    add_claims(demo_article, editor, 2)
    client.force_login(reviewer)
    response = client.get(reverse("article_detail", args=[demo_article.id]))
    assert response.status_code == 200


def _queries_for(client, article) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("article_detail", args=[article.id]))
    assert response.status_code == 200
    return [q["sql"] for q in captured.captured_queries]


def test_query_count_does_not_grow_with_claims(client, editor, demo_article):
    client.force_login(editor)
    add_claims(demo_article, editor, 5, verdict="true")
    few = _queries_for(client, demo_article)
    add_claims(demo_article, editor, 495, verdict="false")
    many = _queries_for(client, demo_article)
    assert len(few) == len(many), many
    assert len(many) == 10, many  # named in test_workspace_query_count


def test_workspace_query_count(client, editor, demo_article, django_assert_num_queries):
    add_claims(demo_article, editor, 20, verdict="true")
    client.force_login(editor)
    # 10 queries: session, user, the user's groups (role), article + current revision,
    # the article's claims with verdicts and revision numbers, the open suggestions no
    # claim overlaps (issue 14), the verdict scale, the fuzzy/orphaned claims of #7's
    # orphaned_claims partial; issue 16: the article's newest live event (where the page's
    # stream starts) and the bell's unread count (the "Assigned" section is asked for
    # afterwards).
    with django_assert_num_queries(10):
        client.get(reverse("article_detail", args=[demo_article.id]))


def test_workspace_with_20_claims_transfers_under_200_kb_compressed(client, editor, demo_article):
    add_claims(demo_article, editor, 20, verdict="true")
    client.force_login(editor)
    html = client.get(reverse("article_detail", args=[demo_article.id])).content
    assets = re.findall(rb'(?:href|src)="/static/([^"]+\.(?:css|js))"', html)
    assert any(a.endswith(b"workspace.js") for a in assets)
    total = len(gzip.compress(html))
    for asset in assets:
        path = finders.find(asset.decode())
        assert path, asset
        with open(path, "rb") as f:
            total += len(gzip.compress(f.read()))
    assert total < 200_000, total
    # No front-end framework besides htmx.
    for framework in (b"react", b"vue", b"angular", b"jquery", b"alpine"):
        assert not any(framework in a.lower() for a in assets)
