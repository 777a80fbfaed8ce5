"""Suggested claims in the workspace (issue 14): the list and the marks, accepting (one
action to a draft claim with its panel), dismissing, the refusals, and their cost."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from annotations.models import Claim, Suggestion, SuggestionStatus
from annotations.services.articles import article_load, revision_load
from annotations.services.claims import claim_create
from annotations.services.suggestions import suggestion_accept, suggestion_dismiss
from annotations.views.panel import SUGGESTIONS_SHOWN

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def open_suggestions(article):
    return list(
        Suggestion.objects.filter(revision=article.current_revision, status=SuggestionStatus.OPEN)
    )


def suggestion_on(article, words: str) -> Suggestion:
    return Suggestion.objects.get(revision=article.current_revision, exact__contains=words)


def workspace_html(client, article) -> str:
    response = client.get(reverse("article_detail", args=[article.id]))
    assert response.status_code == 200
    return response.content.decode()


def accept(client, suggestion, **extra):
    return client.post(reverse("suggestion_accept", args=[suggestion.pk]), **{**HTMX, **extra})


def dismiss(client, suggestion, **extra):
    return client.post(reverse("suggestion_dismiss", args=[suggestion.pk]), **{**HTMX, **extra})


def announced(response) -> dict:
    return json.loads(response["HX-Trigger-After-Settle"])["factcheck:announce"]


def list_items(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'data-suggestion-item="(\d+)"', html)]


# --- The workspace -----------------------------------------------------------------------------


def test_workspace_lists_suggestions_ranked_with_reasons_and_marks_them(
    client, editor, demo_article
):
    client.force_login(editor)
    html = workspace_html(client, demo_article)
    ranked = open_suggestions(demo_article)  # Meta.ordering: -score, start, id
    assert len(ranked) >= 2
    assert f'Suggested claims <span class="count">({len(ranked)})</span>' in html
    assert list_items(html) == [s.pk for s in ranked]
    five = suggestion_on(demo_article, "hit at least five times")
    assert "Quantity" in html and "Check this claim" in html and "Dismiss" in html
    # In the text: a dashed mark (class sg), never a claim's mark (class hl, data-claims).
    mark = re.search(rf'<mark class="sg" data-suggestion="{five.pk}"[^>]*>([^<]*)</mark>', html)
    assert mark and mark.group(1) == five.exact
    assert f'id="sg-{five.pk}"' in html
    assert "data-claims" not in html  # no claims yet
    assert "style=" not in html


def test_a_claims_highlight_replaces_the_suggestion_under_it(client, editor, demo_article):
    five = suggestion_on(demo_article, "hit at least five times")
    claim_create(article=demo_article, user=editor, selector={"start": five.start, "end": five.end})
    client.force_login(editor)
    html = workspace_html(client, demo_article)
    assert f'data-suggestion="{five.pk}"' not in html
    assert f'data-suggestion-item="{five.pk}"' not in html
    assert re.search(r'<mark class="hl[^"]*" data-claims="\d+"[^>]*>hit at least five times<', html)


def test_empty_state_says_what_suggestions_are(client, editor):
    article = article_load(user=editor, text="Hello.", outlet="CNN")
    client.force_login(editor)
    html = workspace_html(client, article)
    assert "No suggestions for this revision." in html
    assert "never become claims by themselves" in html
    assert 'Suggested claims <span class="count">(0)</span>' in html


def test_a_long_list_shows_the_top_eight_and_show_all(client, editor, demo_text):
    article = article_load(user=editor, text="\n\n".join([demo_text] * 3), outlet="CNN")
    count = len(open_suggestions(article))
    assert count > SUGGESTIONS_SHOWN
    client.force_login(editor)
    html = workspace_html(client, article)
    top, rest = html.split('<details class="suggestion-more">')
    assert len(list_items(top)) == SUGGESTIONS_SHOWN
    assert f"Show all {count}</summary>" in rest
    assert len(list_items(rest)) == count - SUGGESTIONS_SHOWN


def test_the_list_alone_for_htmx_and_a_redirect_without(client, editor, demo_article):
    client.force_login(editor)
    url = reverse("suggestion_list", args=[demo_article.id])
    html = client.get(url, **HTMX).content.decode()
    assert html.startswith('<section id="suggestion-list"')
    assert 'hx-trigger="claimChanged from:body"' in html
    response = client.get(url)
    assert response.status_code == 302 and response["Location"] == f"/articles/{demo_article.id}/"


def test_the_list_refuses_an_outsider(client, outsider, demo_article):
    client.force_login(outsider)
    url = reverse("suggestion_list", args=[demo_article.id])
    assert client.get(url, **HTMX).status_code == 403


# --- Accept ------------------------------------------------------------------------------------


def test_accepting_creates_the_draft_claim_and_answers_with_its_panel(client, editor, demo_article):
    five = suggestion_on(demo_article, "hit at least five times")
    client.force_login(editor)
    response = accept(client, five)
    assert response.status_code == 200
    claim = Claim.objects.get(article=demo_article)
    assert (claim.exact, claim.start, claim.end) == (five.exact, five.start, five.end)
    assert (claim.prefix, claim.suffix) == (five.prefix, five.suffix)
    sentence = demo_article.current_revision.text[five.sentence_start : five.sentence_end]
    assert claim.statement == " ".join(sentence.split())
    assert claim.status == "draft"
    five.refresh_from_db()
    assert five.status == SuggestionStatus.ACCEPTED and five.claim == claim
    assert five.decided_by == editor
    html = response.content.decode()
    # The panel, then the text, the claims list and the suggestions out of band.
    assert re.match(rf'<section id="claim-panel"[^>]* data-claim="{claim.pk}"', html)
    assert 'id="article-text"' in html and 'id="claim-list"' in html
    assert html.count('hx-swap-oob="true"') == 3
    assert f'data-suggestion-item="{five.pk}"' not in html
    assert f'data-claims="{claim.pk}"' in html
    assert "Claim added from the suggestion." in html
    assert 'id="claim-claimant"' in html and "data-autofocus" in html
    assert announced(response)["message"] == "Claim added from the suggestion."


def test_a_reviewer_may_accept(client, reviewer, demo_article):
    client.force_login(reviewer)
    assert accept(client, suggestion_on(demo_article, "estimated 40 rounds")).status_code == 200
    assert Claim.objects.filter(article=demo_article, created_by=reviewer).count() == 1


def test_accepting_without_htmx_redirects_to_the_claim(client, editor, demo_article):
    client.force_login(editor)
    response = client.post(
        reverse("suggestion_accept", args=[suggestion_on(demo_article, "40").pk])
    )
    claim = Claim.objects.get(article=demo_article)
    assert response.status_code == 302
    assert response["Location"] == f"/articles/{demo_article.id}/?claim={claim.pk}"


def test_accept_refuses_an_outsider_and_writes_nothing(client, outsider, demo_article):
    five = suggestion_on(demo_article, "hit at least five times")
    client.force_login(outsider)
    assert accept(client, five).status_code == 403
    assert not Claim.objects.exists()
    five.refresh_from_db()
    assert five.status == SuggestionStatus.OPEN


def test_accept_and_dismiss_of_an_unknown_suggestion_are_404(client, editor, demo_article):
    client.force_login(editor)
    for name in ("suggestion_accept", "suggestion_dismiss"):
        assert client.post(reverse(name, args=[999999]), **HTMX).status_code == 404
    assert not Claim.objects.exists()


def test_accept_and_dismiss_take_post_only(client, editor, demo_article):
    five = suggestion_on(demo_article, "hit at least five times")
    client.force_login(editor)
    for name in ("suggestion_accept", "suggestion_dismiss"):
        response = client.get(reverse(name, args=[five.pk]), **HTMX)
        assert response.status_code == 405 and response["Allow"] == "POST"
    five.refresh_from_db()
    assert five.status == SuggestionStatus.OPEN and not Claim.objects.exists()


def test_accepting_one_a_colleague_accepted_says_so_in_the_list(
    client, editor, editor2, demo_article
):
    five = suggestion_on(demo_article, "hit at least five times")
    first = suggestion_accept(suggestion=five, user=editor2)
    client.force_login(editor)
    response = accept(client, five)
    assert response.status_code == 409
    assert response["HX-Retarget"] == "#suggestion-list" and response["HX-Reswap"] == "outerHTML"
    html = response.content.decode()
    assert html.startswith('<section id="suggestion-list"')
    assert re.search(r'role="alert"[^>]*>[^<]*already accepted', html)
    assert f"claim {first.pk}" in html
    assert list(Claim.objects.values_list("pk", flat=True)) == [first.pk]  # nothing written


def test_accepting_a_dismissed_suggestion_is_refused(client, editor, demo_article):
    five = suggestion_on(demo_article, "hit at least five times")
    suggestion_dismiss(suggestion=five, user=editor)
    client.force_login(editor)
    response = accept(client, five)
    assert response.status_code == 409
    assert "dismissed" in response.content.decode()
    assert not Claim.objects.exists()


def test_accepting_on_an_older_revision_is_refused(client, editor, demo_article, demo_text):
    five = suggestion_on(demo_article, "hit at least five times")
    revision_load(article=demo_article, user=editor, text=demo_text + "\n\nA new last line.")
    client.force_login(editor)
    response = accept(client, five)
    assert response.status_code == 409
    html = response.content.decode()
    assert "newer revision" in html
    # The list answered is the current revision's.
    demo_article.refresh_from_db()
    assert list_items(html) == [s.pk for s in open_suggestions(demo_article)]
    assert not Claim.objects.exists()
    five.refresh_from_db()
    assert five.status == SuggestionStatus.OPEN


# --- Dismiss -----------------------------------------------------------------------------------


def test_dismissing_answers_with_the_list_and_text_without_it(client, editor, demo_article):
    ranked = open_suggestions(demo_article)
    first, second = ranked[0], ranked[1]
    client.force_login(editor)
    response = dismiss(client, first)
    assert response.status_code == 200
    first.refresh_from_db()
    assert first.status == SuggestionStatus.DISMISSED and first.decided_by == editor
    html = response.content.decode()
    assert html.startswith('<section id="suggestion-list"')
    assert f'data-suggestion-item="{first.pk}"' not in html
    assert f'data-suggestion="{first.pk}"' not in html  # the text, out of band
    assert html.count('hx-swap-oob="true"') == 1
    said = announced(response)
    assert said["message"] == "Suggestion dismissed."
    assert said["focus"] == f'[data-suggestion-accept="{second.pk}"]'
    # It stays gone from the workspace.
    page = workspace_html(client, demo_article)
    assert f'data-suggestion-item="{first.pk}"' not in page
    assert not Claim.objects.exists()


def test_dismissing_the_last_one_moves_focus_to_the_previous_then_the_heading(
    client, editor, demo_article
):
    ranked = open_suggestions(demo_article)
    client.force_login(editor)
    assert announced(dismiss(client, ranked[-1]))["focus"] == (
        f'[data-suggestion-accept="{ranked[-2].pk}"]'
    )
    for s in ranked[:-2]:
        dismiss(client, s)
    response = dismiss(client, ranked[-2])
    assert announced(response)["focus"] == "#suggestion-list-title"
    assert "No suggestions for this revision." in response.content.decode()


def test_dismissing_twice_is_harmless(client, editor, demo_article):
    five = suggestion_on(demo_article, "hit at least five times")
    client.force_login(editor)
    assert dismiss(client, five).status_code == 200
    assert dismiss(client, five).status_code == 200
    five.refresh_from_db()
    assert five.status == SuggestionStatus.DISMISSED


def test_dismissing_an_accepted_one_is_refused_in_place(client, editor, demo_article):
    five = suggestion_on(demo_article, "hit at least five times")
    claim = suggestion_accept(suggestion=five, user=editor)
    client.force_login(editor)
    response = dismiss(client, five)
    assert response.status_code == 409
    assert response["HX-Retarget"] == "#suggestion-list"
    assert 'role="alert"' in response.content.decode()
    five.refresh_from_db()
    assert five.status == SuggestionStatus.ACCEPTED and five.claim == claim


def test_dismiss_refuses_an_outsider_and_writes_nothing(client, outsider, demo_article):
    five = suggestion_on(demo_article, "hit at least five times")
    client.force_login(outsider)
    assert dismiss(client, five).status_code == 403
    five.refresh_from_db()
    assert five.status == SuggestionStatus.OPEN and five.decided_at is None


def test_dismissing_without_htmx_redirects_to_the_workspace(client, editor, demo_article):
    five = suggestion_on(demo_article, "hit at least five times")
    client.force_login(editor)
    response = client.post(reverse("suggestion_dismiss", args=[five.pk]))
    assert response.status_code == 302 and response["Location"] == f"/articles/{demo_article.id}/"


# --- Other answers carry the list --------------------------------------------------------------


def test_adding_a_claim_over_a_suggestion_takes_it_off_the_list(client, editor, demo_article):
    five = suggestion_on(demo_article, "hit at least five times")
    client.force_login(editor)
    response = client.post(
        reverse("claim_create", args=[demo_article.id]),
        {"exact": five.exact, "start": five.start, "end": five.end},
        **HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert '<section id="suggestion-list"' in html
    assert f'data-suggestion-item="{five.pk}"' not in html


# --- Cost --------------------------------------------------------------------------------------


def test_workspace_query_count_does_not_grow_with_suggestions(
    client, editor, demo_text, django_assert_num_queries
):
    few = article_load(user=editor, text=demo_text, outlet="CNN")
    many = article_load(user=editor, text="\n\n".join([demo_text] * 5), outlet="CNN")
    assert len(open_suggestions(many)) > 3 * len(open_suggestions(few)) > 0
    client.force_login(editor)
    for article in (few, many):
        # 10 queries: session, user, the user's groups (role), article + current revision,
        # the verdict scale, the article's claims (highlights and list), the open
        # suggestions no claim overlaps, the claims needing attention; issue 16: the newest
        # live event and the bell's unread count.
        with django_assert_num_queries(10):
            client.get(reverse("article_detail", args=[article.id]))


def test_accept_query_count(client, editor, demo_article, django_assert_num_queries):
    five = suggestion_on(demo_article, "hit at least five times")
    client.force_login(editor)
    # 25 queries: session, user, groups; the suggestion with its revision; the service:
    # savepoint, lock the article, lock the suggestion (with revision and article);
    # claim_create: savepoint, lock the article, insert the claim, touch the article,
    # release; mark the suggestion accepted, release; then the answer: the article with its
    # current revision, the new panel (claim, its sources, its comments, the verdict scale,
    # #5's verdict labels, claim events, claim-source events, their users), the article's
    # claims (highlights and list), the open suggestions no claim overlaps.
    # +1: the new claim's assignment history (issue 16). -1: locking and touching the
    # article are one UPDATE … RETURNING (issue 17).
    with django_assert_num_queries(25):
        assert accept(client, five).status_code == 200


def test_dismiss_query_count(client, editor, demo_article, django_assert_num_queries):
    five = suggestion_on(demo_article, "hit at least five times")
    client.force_login(editor)
    # 12 queries: session, user, groups; the suggestion with its revision; the service:
    # savepoint, lock the article, lock the suggestion, mark it dismissed, release; then the
    # answer: the article with its current revision, its claims (highlights), the open
    # suggestions no claim overlaps (list and text).
    with django_assert_num_queries(12):
        assert dismiss(client, five).status_code == 200
