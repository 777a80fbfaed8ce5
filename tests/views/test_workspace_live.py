"""The pieces the workspace fetches again on `claimChanged`: the article text, the claims
list and the claim panel (refreshed after a workflow step, with the step's result)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from annotations.services.workflow import claim_submit
from tests.factories import make_claim

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


def test_article_text_partial_shows_the_current_markers(client, editor, demo_article):
    claim = claim_submit(claim=make_claim(demo_article, editor), user=editor)
    client.force_login(editor)
    response = client.get(reverse("article_text", args=[demo_article.id]), **HX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith('<div id="article-text"')
    assert f'id="hl-{claim.id}"' in html and "st-in_review" in html
    assert 'hx-trigger="claimChanged from:body"' in html
    assert "claim-list" not in html


def test_article_text_without_htmx_redirects_to_the_workspace(client, editor, demo_article):
    client.force_login(editor)
    response = client.get(reverse("article_text", args=[demo_article.id]))
    assert response.status_code == 302
    assert response["Location"] == reverse("article_detail", args=[demo_article.id])


def test_article_text_refuses_outsiders_and_unknown_articles(
    client, outsider, editor, demo_article
):
    client.force_login(outsider)
    assert client.get(reverse("article_text", args=[demo_article.id]), **HX).status_code == 403
    client.force_login(editor)
    assert client.get(reverse("article_text", args=[999999]), **HX).status_code == 404


def test_article_text_query_count(client, editor, demo_article, django_assert_num_queries):
    make_claim(demo_article, editor)
    client.force_login(editor)
    # 6 queries: session, user, the user's groups (role), article + current revision,
    # the article's claims with verdicts and revision numbers, the open suggestions no
    # claim overlaps (issue 14; the verdict scale is no longer read: the text needs none).
    with django_assert_num_queries(6):
        client.get(reverse("article_text", args=[demo_article.id]), **HX)


def test_list_and_panel_fetch_themselves_again_on_claim_changed(client, editor, demo_article):
    claim = make_claim(demo_article, editor)
    client.force_login(editor)
    html = client.get(
        reverse("article_detail", args=[demo_article.id]), {"claim": claim.id}
    ).content.decode()
    assert f'hx-get="{reverse("claim_list", args=[demo_article.id])}"' in html
    assert f'hx-get="{reverse("article_text", args=[demo_article.id])}"' in html
    # The panel's refresh on claimChanged is static/annotations/js/htmx-csp.js (no eval
    # filter under the CSP), told which claim and URL by data attributes.
    panel_url = reverse("claim_panel", args=[claim.id])
    assert f'data-panel-refresh data-claim-id="{claim.id}" data-url="{panel_url}"' in html


def test_panel_refresh_after_a_step_shows_its_result_and_focuses_it(client, editor, demo_article):
    claim = claim_submit(claim=make_claim(demo_article, editor), user=editor)
    client.force_login(editor)
    url = reverse("claim_panel", args=[claim.id])
    html = client.get(url, {"refresh": "1", "done": "submit"}, **HX).content.decode()
    assert "Submit for review: done." in html
    assert 'class="workflow-done" role="status" tabindex="-1" data-autofocus' in html
    assert html.count("data-autofocus") == 1
    assert "This claim is in review" in html
    # Without a step (re-anchoring sends claimChanged too), nothing takes the focus.
    html = client.get(url, {"refresh": "1"}, **HX).content.decode()
    assert "data-autofocus" not in html and "done." not in html
