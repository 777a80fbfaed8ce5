"""The re-anchoring pages: the report after a load, the orphaned-claims section and its
htmx actions, and the diff between two revisions (issue #7)."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from annotations.models import Claim
from annotations.services.articles import revision_load
from annotations.services.claims import claim_create
from annotations.views.panel import orphaned_claims_context
from tests.services.test_reanchor import DELETED, HEADLINE, MOVES, TYPO, edited

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
ORPHANED = "annotations/partials/orphaned_claims.html"


@pytest.fixture
def reanchored(demo_article, editor, demo_text):
    """The demo article with four claims, then an edited revision 2 loaded."""
    claims = {
        name: claim_create(article=demo_article, user=editor, selector={"exact": quote})
        for name, quote in [
            ("anchored", HEADLINE),
            ("moved", MOVES),
            ("fuzzy", TYPO),
            ("orphaned", DELETED),
        ]
    }
    loaded = revision_load(article=demo_article, user=editor, text=edited(demo_text))
    return (
        loaded.article,
        loaded.revision,
        {k: Claim.objects.get(pk=c.pk) for k, c in claims.items()},
    )


def report_url(article, number):
    return reverse("reanchor_report", args=[article.id, number])


# --- the report ---------------------------------------------------------------------------------


def test_report_shows_counts_and_links_to_each_claim(client, editor, reanchored):
    article, revision, claims = reanchored
    client.force_login(editor)
    response = client.get(report_url(article, revision.number))
    assert response.status_code == 200
    html = response.content.decode()
    for state in ("anchored", "moved", "fuzzy", "orphaned"):
        assert f'id="count-{state}"><strong>1</strong> {state}' in html
    workspace = reverse("article_detail", args=[article.id])
    for claim in claims.values():
        assert f'href="{workspace}?claim={claim.id}"' in html
    assert "kept on revision 1" in html  # the orphan stays on its revision
    assert 'id="orphaned-claims"' in html  # current revision: the section to fix it


def test_report_is_read_back_later_and_shows_what_changed_since(client, editor, reanchored):
    from annotations.services.reanchor import claim_confirm_fuzzy

    article, revision, claims = reanchored
    claim_confirm_fuzzy(claim=claims["fuzzy"], user=editor)
    client.force_login(editor)
    html = client.get(report_url(article, revision.number)).content.decode()
    assert 'id="count-fuzzy"><strong>1</strong>' in html
    assert "now anchored" in html


def test_report_keeps_its_query_count(client, editor, reanchored, django_assert_num_queries):
    article, revision, _ = reanchored
    client.force_login(editor)
    # session, user, groups, revision+article+current revision, claim events with claims,
    # verdicts and revisions, orphaned and fuzzy claims for the section, the bell's unread
    # count (issue 16)
    with django_assert_num_queries(7):
        assert client.get(report_url(article, revision.number)).status_code == 200


def test_report_of_the_first_revision_says_there_was_nothing_to_move(client, editor, demo_article):
    client.force_login(editor)
    html = client.get(report_url(demo_article, 1)).content.decode()
    assert "first revision" in html


def test_report_refuses_outsiders_and_unknown_revisions(client, outsider, editor, reanchored):
    article, revision, _ = reanchored
    client.force_login(outsider)
    assert client.get(report_url(article, revision.number)).status_code == 403
    client.force_login(editor)
    assert client.get(report_url(article, 99)).status_code == 404


def test_report_sends_anonymous_visitors_to_log_in(client, reanchored):
    article, revision, _ = reanchored
    response = client.get(report_url(article, revision.number))
    assert response.status_code == 302
    assert reverse("login") in response.url


# --- the orphaned-claims section --------------------------------------------------------------


def _section(user, article) -> str:
    """The section as the views render it: data from `views.panel`, no template tag."""
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string(ORPHANED, orphaned_claims_context(user, article), request=request)


def test_section_lists_orphans_and_fuzzy_claims(editor, reanchored):
    article, _, claims = reanchored
    html = _section(editor, article)
    assert html.count('id="orphaned-claims"') == 1
    assert f'id="orphaned-claim-{claims["orphaned"].id}"' in html
    assert f'id="fuzzy-claim-{claims["fuzzy"].id}"' in html
    assert "Anchor again" in html and "Confirm placement" in html
    assert f'id="orphaned-claim-{claims["moved"].id}"' not in html


def test_workspace_shows_the_section_with_the_orphaned_quote(client, editor, reanchored):
    article, _, claims = reanchored
    client.force_login(editor)
    html = client.get(reverse("article_detail", args=[article.id])).content.decode()
    assert html.count('id="orphaned-claims"') == 1
    assert DELETED in html


def test_section_has_an_empty_state(editor, demo_article):
    assert "Every claim is anchored" in _section(editor, demo_article)


def test_editor_anchors_an_orphan_through_htmx(client, editor, reanchored):
    article, revision, claims = reanchored
    orphan = claims["orphaned"]
    words = "Heat-signature video shows him lying by a retaining wall"
    start = revision.text.index(words)
    client.force_login(editor)
    response = client.post(
        reverse("claim_anchor", args=[orphan.id]),
        {"exact": words, "start": start, "end": start + len(words), "version": orphan.version},
        **HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="orphaned-claims"')
    assert f'id="orphaned-claim-{orphan.id}"' not in html
    assert "factcheck:claims-changed" in response["HX-Trigger"]
    orphan.refresh_from_db()
    assert (orphan.anchor_state, orphan.revision_id, orphan.start) == (
        "anchored",
        revision.pk,
        start,
    )


def test_a_selection_not_in_the_text_is_refused_in_the_section(client, editor, reanchored):
    article, _, claims = reanchored
    orphan = claims["orphaned"]
    client.force_login(editor)
    response = client.post(
        reverse("claim_anchor", args=[orphan.id]), {"exact": "no such words here"}, **HTMX
    )
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert "does not occur" in response.content.decode()
    assert "HX-Trigger" not in response
    orphan.refresh_from_db()
    assert orphan.anchor_state == "orphaned"


def test_a_stale_version_is_refused_with_409(client, editor, reanchored):
    _, _, claims = reanchored
    orphan = claims["orphaned"]
    client.force_login(editor)
    response = client.post(
        reverse("claim_anchor", args=[orphan.id]),
        {"exact": MOVES, "version": orphan.version - 1},
        **HTMX,
    )
    assert response.status_code == 409


def test_anchor_keeps_its_query_count(client, editor, reanchored, django_assert_num_queries):
    _, revision, claims = reanchored
    orphan = claims["orphaned"]
    client.force_login(editor)
    # session, user, claim+article, groups, savepoint, article locked (article first, then
    # the claim: one lock order), claim locked with article+revision, update, article
    # touched, release, orphaned and fuzzy claims for the section
    with django_assert_num_queries(11):
        response = client.post(reverse("claim_anchor", args=[orphan.id]), {"exact": MOVES}, **HTMX)
    assert response.status_code == 200


def test_confirm_placement_through_htmx_and_without_js(client, editor, reanchored):
    article, _, claims = reanchored
    fuzzy = claims["fuzzy"]
    client.force_login(editor)
    url = reverse("claim_confirm_placement", args=[fuzzy.id])
    response = client.post(url, {"version": fuzzy.version}, **HTMX)
    assert response.status_code == 200
    assert f'id="fuzzy-claim-{fuzzy.id}"' not in response.content.decode()
    assert Claim.objects.get(pk=fuzzy.pk).anchor_state == "anchored"
    # Again, now without htmx: the workspace, with the refusal as a message.
    response = client.post(url, {})
    assert response.status_code == 302
    assert response.url == reverse("article_detail", args=[article.id]) + f"?claim={fuzzy.id}"


def test_section_actions_refuse_outsiders_and_get(client, outsider, editor, reanchored):
    _, _, claims = reanchored
    client.force_login(outsider)
    url = reverse("claim_confirm_placement", args=[claims["fuzzy"].id])
    assert client.post(url, {}, **HTMX).status_code == 403
    assert client.post(reverse("claim_anchor", args=[claims["orphaned"].id])).status_code == 403
    client.force_login(editor)
    assert client.get(url).status_code == 405
    assert client.post(reverse("claim_anchor", args=[999999]), {}).status_code == 404


# --- the diff ------------------------------------------------------------------------------------


def diff_url(article, **query):
    url = reverse("revision_diff", args=[article.id])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_diff_marks_insertions_and_deletions(client, editor, reanchored):
    article, _, _ = reanchored
    client.force_login(editor)
    response = client.get(diff_url(article, **{"from": 1, "to": 2}))
    assert response.status_code == 200
    html = response.content.decode()
    assert "This story has been updated with the latest video from the border.</ins>" in html
    assert "<del>They drag him further toward their side, taking a significant risk" in html
    assert "<del>converge</del><ins>converged</ins>" in html


def test_diff_defaults_to_the_latest_change(client, editor, reanchored):
    article, _, _ = reanchored
    client.force_login(editor)
    html = client.get(diff_url(article)).content.decode()
    assert "Revision 1 → revision 2" in html


def test_diff_escapes_the_text(client, editor, demo_article, demo_text):
    revision_load(
        article=demo_article, user=editor, text=demo_text + "\n\nA <b>bold</b> & odd note."
    )
    client.force_login(editor)
    html = client.get(diff_url(demo_article, **{"from": 1, "to": 2})).content.decode()
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "<b>bold" not in html


def test_diff_of_identical_revisions_says_so(client, editor, demo_article):
    client.force_login(editor)
    html = client.get(diff_url(demo_article, **{"from": 1, "to": 1})).content.decode()
    assert 'id="diff-empty"' in html


def test_diff_refuses_outsiders_and_unknown_revisions(client, outsider, editor, demo_article):
    client.force_login(outsider)
    assert client.get(diff_url(demo_article)).status_code == 403
    client.force_login(editor)
    assert client.get(diff_url(demo_article, **{"from": 1, "to": 7})).status_code == 404


# --- the API answer -------------------------------------------------------------------------


def test_api_new_revision_answers_with_the_reanchor_report(client, editor, demo_article, demo_text):
    claims = {
        name: claim_create(article=demo_article, user=editor, selector={"exact": quote})
        for name, quote in [("moved", MOVES), ("orphaned", DELETED)]
    }
    client.force_login(editor)
    response = client.post(
        f"/api/v1/articles/{demo_article.id}/revisions/",
        {"text": edited(demo_text)},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    report = response.json()["reanchor"]
    assert report["counts"] == {"anchored": 0, "moved": 1, "fuzzy": 0, "orphaned": 1}
    rows = {row["id"]: row for row in report["claims"]}
    moved = Claim.objects.get(pk=claims["moved"].pk)
    assert rows[moved.id] == {"id": moved.id, "state": "moved", "start": moved.start,
                              "end": moved.end}  # fmt: skip
    assert rows[claims["orphaned"].id]["start"] is None
    # The report page reads the same outcome back from the history, later.
    html = client.get(report_url(demo_article, 2)).content.decode()
    assert 'id="count-moved"><strong>1</strong>' in html
    assert 'id="count-orphaned"><strong>1</strong>' in html
