""" "Checked before?" in the workspace (issue 13): the panel asks for the section lazily; the
section lists earlier checks with their verdicts as given; "Same claim" / "Not the same" are
recorded (who, when) and can be changed; refusals show their message in place and write
nothing; who may see and answer; the cost, flat in the number of known checks; a confirmed
repeat shown on both sides (the panel and the public page)."""

from __future__ import annotations

import json
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from annotations.models import ClaimMatch, KnownCheck, MatchDecision
from annotations.selectors.matches import index_reset
from annotations.services.articles import article_load
from annotations.services.claims import claim_delete
from annotations.services.known_checks import known_checks_import
from annotations.services.matching import match_decide
from tests.api.fixtures.helpers import make_approved, make_claim

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _fresh_index():
    index_reset()
    yield
    index_reset()


def review(i: int, claim: str, rating: str = "False", publisher: str = "Snopes") -> dict:
    return {
        "@type": "ClaimReview",
        "url": f"https://checks.example.net/{i}/",
        "claimReviewed": claim,
        "author": {"name": publisher},
        "inLanguage": "en",
        "datePublished": "2017-11-20",
        "reviewRating": {"alternateName": rating},
    }


DEFECTOR = "A North Korean defector was hit at least five times by gunfire while escaping."


@pytest.fixture
def known(editor):
    """Three known checks: one about the demo claim, two elsewhere."""
    known_checks_import(
        data=[
            review(1, DEFECTOR, "Mostly true", "Snopes"),
            review(2, "Eating carrots greatly improves your night vision.", "False", "Lead"),
            review(3, "The Great Wall of China is visible from the Moon.", "Pants on fire", "P"),
        ],
        user=editor,
    )
    return {check.url: check for check in KnownCheck.objects.all()}


@pytest.fixture
def claim(demo_article, editor):
    return make_claim(demo_article, editor, statement="The defector was hit at least five times.")


def url(claim) -> str:
    return reverse("claim_matches", args=[claim.pk])


def section(client, claim, **extra):
    return client.get(url(claim), **{**HTMX, **extra})


def answer(client, claim, kind: str, pk, decision: str, score="0.5", **extra):
    data = {"kind": kind, "id": pk, "decision": decision, "score": score}
    return client.post(url(claim), data, **{**HTMX, **extra})


def announced(response) -> dict:
    return json.loads(response["HX-Trigger-After-Settle"])["factcheck:announce"]


def items(html: str) -> list[str]:
    return re.findall(r'data-match="([a-z_]+:\d+)"', html)


# --- Lazy: the panel carries a placeholder only ---------------------------------------------


def test_the_panel_asks_for_the_section_once_shown_and_runs_no_match(client, editor, claim, known):
    client.force_login(editor)
    html = client.get(reverse("claim_panel", args=[claim.pk]), **HTMX).content.decode()
    loader = re.search(r'<section id="claim-matches"[^>]*>', html).group(0)
    assert f'hx-get="{url(claim)}"' in loader and 'hx-trigger="load"' in loader
    assert 'aria-busy="true"' in loader and "data-quiet-load" in loader
    assert "Looking for earlier checks…" in html
    assert "rated it" not in html and DEFECTOR not in html
    # After the steps of checking one claim (form, sources, comments, workflow), so that
    # a claim still takes no scroll to check by mouse (tests/browser/test_action_counts.py);
    # before the history. The key m jumps to it.
    order = ['id="claim-form"', 'id="claim-sources"', 'id="claim-workflow"', 'id="claim-matches"']
    positions = [html.index(marker) for marker in order]
    assert positions == sorted(positions)
    assert html.index('id="claim-matches"') < html.index('id="claim-history"')


def test_creating_a_claim_answers_with_the_placeholder_not_the_matches(
    client, editor, demo_article, known
):
    client.force_login(editor)
    response = client.post(
        reverse("claim_create", args=[demo_article.pk]),
        {"exact": "hit at least five times"},
        **HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Looking for earlier checks…" in html and "rated it" not in html


# --- The section ----------------------------------------------------------------------------


def test_the_section_lists_earlier_checks_with_the_verdict_as_given(client, editor, claim, known):
    client.force_login(editor)
    response = section(client, claim)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith('<section id="claim-matches"')
    assert "hx-trigger" not in html  # the loaded section never asks again by itself
    check = known["https://checks.example.net/1/"]
    assert items(html)[0] == f"known_check:{check.pk}"
    assert len(items(html)) <= 5
    assert DEFECTOR in html
    assert "Snopes rated it: <strong>Mostly true</strong>" in html
    assert '<time datetime="2017-11-20">20 Nov 2017</time>' in html
    assert (
        '<a href="https://checks.example.net/1/" target="_blank" rel="noopener noreferrer">' in html
    )
    assert "A match means the same topic, not agreement" in html
    assert f'data-match-answer="known_check:{check.pk}:same"' in html
    assert f'data-match-answer="known_check:{check.pk}:not_same"' in html
    assert 'aria-pressed="true"' not in html
    assert "style=" not in html and "<script" not in html and "hx-on" not in html


def test_the_empty_state_says_where_it_looked(client, editor, claim, reviewer, demo_article):
    make_approved(demo_article, editor, reviewer, "releasing an estimated 40 rounds")
    client.force_login(editor)
    html = section(client, claim).content.decode()
    # The approved claim shares words with ours, so it may match; one with nothing to
    # match against says how much it searched.
    if not items(html):
        assert "No earlier checks found in 0 known checks and our 1 published check." in html
    lonely = article_load(user=editor, text="Zebras whistle at dawn.", outlet="Test")
    zebra = make_claim(lonely, editor, "Zebras whistle")
    KnownCheck.objects.all().delete()
    html = section(client, zebra).content.decode()
    assert items(html) == []
    assert "No earlier checks found in 0 known checks and our 1 published check." in html


def test_without_htmx_the_section_is_a_page_of_its_own(client, editor, claim, known):
    client.force_login(editor)
    response = client.get(url(claim))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<!doctype html>" in html.lower() and 'id="claim-matches"' in html
    assert f"/articles/{claim.article_id}/?claim={claim.pk}" in html
    check = known["https://checks.example.net/1/"]
    response = client.post(url(claim), {"kind": "known_check", "id": check.pk, "decision": "same"})
    assert response.status_code == 302 and response["Location"] == url(claim)
    assert ClaimMatch.objects.get().decision == MatchDecision.SAME


# --- Answers --------------------------------------------------------------------------------


def test_same_claim_is_recorded_with_who_and_when_and_focus_returns_to_it(
    client, editor, claim, known
):
    check = known["https://checks.example.net/1/"]
    client.force_login(editor)
    response = answer(client, claim, "known_check", check.pk, "same", score="0.8125")
    assert response.status_code == 200
    match = ClaimMatch.objects.get()
    assert (match.claim, match.known_check, match.decision, match.decided_by) == (
        claim,
        check,
        MatchDecision.SAME,
        editor,
    )
    assert match.score == pytest.approx(0.8125)
    html = response.content.decode()
    assert html.startswith('<section id="claim-matches"')
    assert "Same claim: answered by ed, <time" in html
    pressed = re.search(rf'data-match-answer="known_check:{check.pk}:same"[^>]*>', html).group(0)
    assert 'aria-pressed="true"' in pressed
    said = announced(response)
    assert said["message"] == "Recorded: the same claim as this earlier check."
    assert said["focus"] == f'[data-match-answer="known_check:{check.pk}:same"]'


def test_an_answer_can_be_changed_by_someone_else(client, editor, reviewer, claim, known):
    check = known["https://checks.example.net/1/"]
    match_decide(claim=claim, user=editor, decision="same", known_check=check)
    client.force_login(reviewer)
    html = section(client, claim).content.decode()
    assert "Same claim: answered by ed" in html
    response = answer(client, claim, "known_check", check.pk, "not_same")
    assert response.status_code == 200
    match = ClaimMatch.objects.get()
    assert (match.decision, match.decided_by) == (MatchDecision.NOT_SAME, reviewer)
    html = response.content.decode()
    assert "Not the same: answered by rev" in html
    not_same = re.search(rf'data-match-answer="known_check:{check.pk}:not_same"[^>]*>', html)
    assert 'aria-pressed="true"' in not_same.group(0)
    assert announced(response)["focus"] == f'[data-match-answer="known_check:{check.pk}:not_same"]'


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "known_check", "decision": "maybe"}, "“maybe” is not an answer"),
        ({"kind": "blog_post", "decision": "same"}, "“blog_post” is not a kind of earlier"),
        ({"kind": "known_check", "id": "abc", "decision": "same"}, "must be a whole number"),
        ({"kind": "known_check", "id": "", "decision": "same"}, "Say which earlier check"),
        ({"kind": "known_check", "id": "99999999999", "decision": "same"}, "no earlier check"),
        ({"kind": "known_check", "id": "999999", "decision": "same"}, "no known check 999999"),
        ({"kind": "our_check", "id": "999999", "decision": "same"}, "no published check 999999"),
        ({"kind": "known_check", "decision": "same", "score": "2"}, "between 0 and 1"),
        ({"kind": "known_check", "decision": "same", "score": "nan"}, "between 0 and 1"),
        ({"kind": "known_check"}, "Choose “Same claim” or “Not the same”"),
    ],
)
def test_bad_answers_are_refused_in_place_and_nothing_is_written(
    client, editor, claim, known, data, message
):
    check = known["https://checks.example.net/1/"]
    data = {"id": check.pk, **data}
    client.force_login(editor)
    response = client.post(url(claim), data, **HTMX)
    assert response.status_code == 400
    html = response.content.decode()
    assert html.startswith('<section id="claim-matches"')
    error = re.search(r'<p class="panel-error matches-error" role="alert"[^>]*>(.*?)</p>', html)
    assert error and message in error.group(1).replace("&ldquo;", "“").replace("&rdquo;", "”")
    assert "HX-Trigger-After-Settle" not in response
    assert not ClaimMatch.objects.exists()


def test_a_claim_of_ours_that_is_not_published_is_refused_as_an_earlier_check(
    client, editor, claim, demo_article
):
    other = make_claim(demo_article, editor, "releasing an estimated 40 rounds")
    client.force_login(editor)
    response = answer(client, claim, "our_check", other.pk, "same")
    assert response.status_code == 400
    assert f"Claim {other.pk} is not a published check" in response.content.decode()
    response = answer(client, claim, "our_check", claim.pk, "same")
    assert response.status_code == 400
    assert "not an earlier check of itself" in response.content.decode()
    assert not ClaimMatch.objects.exists()


def test_a_deleted_claim_shows_its_list_without_buttons_and_takes_no_answer(
    client, editor, claim, known
):
    claim_delete(claim=claim, user=editor)
    check = known["https://checks.example.net/1/"]
    client.force_login(editor)
    html = section(client, claim).content.decode()
    assert DEFECTOR in html and "data-match-answer" not in html
    assert "This claim was deleted; it takes no answer." in html
    response = answer(client, claim, "known_check", check.pk, "same")
    assert response.status_code == 409
    assert "This claim was deleted; it takes no answer." in response.content.decode()
    assert not ClaimMatch.objects.exists()


# --- Who may see and answer -----------------------------------------------------------------


@pytest.mark.parametrize("persona", ["editor", "reviewer", "staff"])
def test_every_newsroom_role_sees_and_answers(client, request, persona, claim, known):
    user = request.getfixturevalue(persona)
    check = known["https://checks.example.net/1/"]
    client.force_login(user)
    assert section(client, claim).status_code == 200
    assert client.head(url(claim), **HTMX).status_code == 200
    assert answer(client, claim, "known_check", check.pk, "not_same").status_code == 200
    assert ClaimMatch.objects.get().decided_by == user


def test_an_outsider_is_refused_and_nothing_is_written(client, outsider, claim, known):
    check = known["https://checks.example.net/1/"]
    client.force_login(outsider)
    assert section(client, claim).status_code == 403
    assert answer(client, claim, "known_check", check.pk, "same").status_code == 403
    assert not ClaimMatch.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(claim, known):
    anonymous = Client()
    for response in (anonymous.get(url(claim)), anonymous.post(url(claim), {"decision": "x"})):
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not ClaimMatch.objects.exists()


def test_an_unknown_claim_is_404(client, editor):
    client.force_login(editor)
    response = client.get(reverse("claim_matches", args=[999999]), **HTMX)
    assert response.status_code == 404
    assert client.post(reverse("claim_matches", args=[999999]), **HTMX).status_code == 404
    assert client.put(reverse("claim_matches", args=[999999]), **HTMX).status_code == 405


def test_a_member_who_may_not_edit_sees_no_buttons_and_is_refused_with_the_message(
    client, editor, claim, known, monkeypatch
):
    """A read-only role (none exists yet: roles.may_edit says so in one place) sees the list
    without buttons; an answer posted anyway is the service's 403, in place."""
    import annotations.services.matching as matching
    import annotations.views.panel as panel

    for module in (matching, panel):
        monkeypatch.setattr(module, "may_edit", lambda user: False)
        monkeypatch.setattr(module, "is_reviewer", lambda user: False)
    check = known["https://checks.example.net/1/"]
    client.force_login(editor)
    html = section(client, claim).content.decode()
    assert DEFECTOR in html and "Snopes rated it" in html
    assert "data-match-answer" not in html and "<form" not in html
    response = answer(client, claim, "known_check", check.pk, "same")
    assert response.status_code == 403
    assert "Only editors and reviewers may say whether a claim was checked before." in (
        response.content.decode()
    )
    assert not ClaimMatch.objects.exists()


# --- Cost -----------------------------------------------------------------------------------


def section_queries(client, claim) -> int:
    section(client, claim)  # builds the index for what is there now
    with CaptureQueriesContext(connection) as queries:
        response = section(client, claim)
    assert response.status_code == 200
    return len(queries)


def test_the_section_costs_the_same_with_1_or_20_known_checks(
    client, editor, claim, reviewer, demo_article
):
    later = make_claim(demo_article, editor, "releasing an estimated 40 rounds")
    known_checks_import(data=[review(1, DEFECTOR)], user=editor)
    client.force_login(editor)
    one = section_queries(client, claim)
    known_checks_import(
        data=[review(i, f"{DEFECTOR} Report number {i}.", publisher=f"P{i}") for i in range(2, 21)],
        user=editor,
    )
    for check in KnownCheck.objects.all()[:3]:
        match_decide(claim=claim, user=editor, decision="not_same", known_check=check)
    match_decide(claim=later, user=editor, decision="same", known_check=KnownCheck.objects.first())
    twenty = section_queries(client, claim)
    # 9 queries: session, user, roles, the claim with revision and article; the index's
    # signature; the answers with who gave them; the matched known checks; the later
    # appearances (none: our claim is not published); whether the vector fill waits on a
    # worker ("background work is paused")
    assert one == twenty == 9


def test_the_empty_section_costs_two_counts_more(client, editor):
    article = article_load(user=editor, text="Zebras whistle at dawn.", outlet="Test")
    zebra = make_claim(article, editor, "Zebras whistle")
    client.force_login(editor)
    # 10 queries: the 8 of a section without matched rows, then the known checks and our
    # published checks counted for the empty state
    assert section_queries(client, zebra) == 10


# --- Shown on both sides --------------------------------------------------------------------


@pytest.fixture
def repeated(demo_article, demo_text, editor, reviewer):
    """Our published check, and a later article whose claim was confirmed to repeat it."""
    earlier = make_approved(demo_article, editor, reviewer, statement="Hit five times, lives.")
    later_article = article_load(
        user=editor,
        text=demo_text + "\n\nA week later.",
        title="Defector recovers in Seoul",
        url="https://news.example.com/defector-recovers",
        outlet="CNN",
    )
    later = make_claim(later_article, editor, statement="The defector was hit five times.")
    match_decide(claim=later, user=reviewer, decision="same", earlier_claim=earlier, score=0.9)
    return earlier, later, later_article


def test_our_published_check_shows_where_it_appeared_later(client, editor, repeated):
    earlier, later, later_article = repeated
    client.force_login(editor)
    html = section(client, earlier).content.decode()
    block = html[html.index('data-testid="match-appearances"') :]
    assert "Also appeared in:" in block
    assert (
        '<a href="https://news.example.com/defector-recovers" target="_blank" '
        'rel="noopener noreferrer">Defector recovers in Seoul' in block
    )
    assert "(confirmed by rev, <time" in block
    assert f"/articles/{later_article.pk}/?claim={later.pk}" in block
    # The later claim lists ours as confirmed: the other side of the same link.
    html = section(client, later).content.decode()
    assert f'data-match="our_check:{earlier.pk}"' in html
    assert "Same claim: answered by rev" in html
    assert f"/published/{earlier.article_id}/#claim-{earlier.pk}" in html


def test_the_public_page_shows_later_appearances_without_who_confirmed(repeated):
    earlier, _later, _article = repeated
    response = Client().get(f"/published/{earlier.article_id}/")
    assert response.status_code == 200
    html = response.content.decode()
    check = html[html.index(f'id="claim-{earlier.pk}"') :]
    assert "<h3>Also appeared in</h3>" in check
    assert (
        '<a href="https://news.example.com/defector-recovers" rel="noopener nofollow">'
        "Defector recovers in Seoul</a>" in check
    )
    assert "found to repeat this claim on" in check
    assert "rev" not in re.sub(r"<[^>]+>", " ", check).split()


def test_the_workspace_key_help_names_the_jump_to_the_section(client, editor, claim):
    client.force_login(editor)
    html = client.get(f"/articles/{claim.article_id}/?claim={claim.pk}").content.decode()
    assert "<kbd>m</kbd> to the open claim’s “Checked before?”" in html
    assert "annotations/js/matches.js" in html
