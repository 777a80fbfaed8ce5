""" "Checked before?" over the API: GET and POST /api/v1/claims/{id}/matches/, and
GET /api/v1/matches/?q=&lang=. Each works, refuses people without a role, answers 404 for
unknown or deleted claims, refuses bad input with a message naming the field and writes
nothing, and keeps its query count. Matching is by words (BM25) here: no vectors."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from annotations import limits
from annotations.models import ClaimMatch, MatchDecision
from annotations.selectors.matches import index_reset
from annotations.services.articles import article_load
from annotations.services.claims import claim_delete
from tests.api.fixtures import helpers
from tests.api.fixtures.helpers import (
    DEFECTOR_CHECK,
    QUOTES,
    confirm,
    import_known_checks,
    make_approved,
    make_claim,
)

ed_api = helpers.ed_api
rev_api = helpers.rev_api
outsider_api = helpers.outsider_api

pytestmark = pytest.mark.django_db

TEXT = "/api/v1/matches/"

LATER_ARTICLE = (
    "Soldiers fired at the defector\n\n"
    "North Korean troops opened fire on the soldier, releasing an estimated 40 rounds as he "
    "fled towards the South.\n\nHe survived his wounds."
)


def matches(claim) -> str:
    return f"/api/v1/claims/{claim.pk}/matches/"


@pytest.fixture(autouse=True)
def _fresh_index():
    """Each test builds its index from its own rows."""
    index_reset()
    yield
    index_reset()


@pytest.fixture
def known(editor):
    return import_known_checks(editor)


@pytest.fixture
def claim(demo_article, editor):
    """A draft on "hit at least five times", claimant the Joint Chiefs of Staff."""
    return make_claim(demo_article, editor, QUOTES[0], claimant="Joint Chiefs of Staff")


@pytest.fixture
def published(demo_article, editor, reviewer):
    """One of our own published checks: the 40 rounds."""
    return make_approved(
        demo_article,
        editor,
        reviewer,
        QUOTES[1],
        statement="North Korean troops fired an estimated 40 rounds at the defector.",
    )


@pytest.fixture
def later(editor):
    """A claim in a later article repeating our published check."""
    article = article_load(user=editor, text=LATER_ARTICLE, url="https://news.example.com/later")
    return make_claim(article, editor, "releasing an estimated 40 rounds")


# --- GET a claim's matches -----------------------------------------------------------------


def test_a_claims_matches_give_its_query_and_the_earlier_check_first(ed_api, known, claim):
    response = ed_api.get(matches(claim))
    assert response.status_code == 200, response.json()
    body = response.json()
    assert "hit at least five times" in body["query"] and "Joint Chiefs of Staff" in body["query"]
    first = body["results"][0]
    assert first == {
        "kind": "known_check",
        "id": known[DEFECTOR_CHECK].pk,
        "score": first["score"],
        "claim_reviewed": known[DEFECTOR_CHECK].claim_reviewed,
        "claimant": "Joint Chiefs of Staff",
        "rating": "Mostly true",
        "publisher": "Checker Example",
        "date": "2017-11-16",
        "url": DEFECTOR_CHECK,
        "language": "en",
        "decision": None,
        "decided_by": None,
        "decided_at": None,
        "article_title": None,
    }
    assert 0 < first["score"] <= 1
    assert len(body["results"]) <= 5


def test_our_published_checks_match_with_their_public_page_and_article(
    ed_api, published, later, demo_article
):
    results = ed_api.get(matches(later)).json()["results"]
    ours = next(r for r in results if r["kind"] == "our_check")
    assert ours["id"] == published.pk
    assert ours["url"].startswith("http")
    assert ours["url"].endswith(f"/published/{demo_article.pk}/#claim-{published.pk}")
    assert ours["article_title"] == demo_article.title
    assert ours["rating"] == published.verdict.label
    # The claim itself is never its own match.
    own = ed_api.get(matches(published)).json()["results"]
    assert published.pk not in [r["id"] for r in own if r["kind"] == "our_check"]


def test_a_recorded_answer_is_shown_with_who_and_when(ed_api, known, claim, reviewer):
    confirm(claim, reviewer, known_check=known[DEFECTOR_CHECK])
    first = ed_api.get(matches(claim)).json()["results"][0]
    assert (first["url"], first["decision"], first["decided_by"]) == (
        DEFECTOR_CHECK,
        "same",
        reviewer.username,
    )
    assert first["decided_at"]


def test_reading_a_claims_matches_follows_the_claims_visibility(
    ed_api, outsider_api, known, claim, editor
):
    refused = outsider_api.get(matches(claim))
    assert refused.status_code == 403 and "no newsroom role" in refused.json()["detail"]
    assert APIClient().get(matches(claim)).status_code in (401, 403)
    assert ed_api.get("/api/v1/claims/999999/matches/").status_code == 404
    claim_delete(claim=claim, user=editor)
    assert ed_api.get(matches(claim)).status_code == 404


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_a_claims_matches_take_get_and_post_only(ed_api, claim, method):
    assert getattr(ed_api, method)(matches(claim)).status_code == 405


def test_a_claims_matches_keep_their_query_count(
    ed_api, known, claim, published, reviewer, django_assert_max_num_queries
):
    confirm(claim, reviewer, known_check=known[DEFECTOR_CHECK])
    assert ed_api.get(matches(claim)).status_code == 200  # builds the index once
    # 7 queries: token and user, groups, the claim with its revision, the index's signature,
    # the claim's answers with who gave them, the known checks shown, our checks shown
    with django_assert_max_num_queries(7):
        assert ed_api.get(matches(claim)).status_code == 200


# --- GET matches for a text (a CMS) -------------------------------------------------------------


def test_a_text_matches_the_earlier_check_first(ed_api, known):
    response = ed_api.get(TEXT, {"q": "Was the North Korean defector hit five times?"})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["query"] == "Was the North Korean defector hit five times?"
    assert body["language"] == ""
    assert body["results"][0]["url"] == DEFECTOR_CHECK
    assert body["results"][0]["decision"] is None


def test_lang_keeps_checks_in_that_language(ed_api, known):
    spanish = ed_api.get(TEXT, {"q": "las antenas 5G y el coronavirus", "lang": "es"}).json()
    assert spanish["language"] == "es"
    assert [r["url"] for r in spanish["results"]] == [known_url("5g-covid", known)]
    english = ed_api.get(TEXT, {"q": "las antenas 5G y el coronavirus", "lang": "en-GB"})
    assert english.status_code == 200
    assert known_url("5g-covid", known) not in [r["url"] for r in english.json()["results"]]


def known_url(fragment: str, known: dict) -> str:
    return next(url for url in known if fragment in url)


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({}, "q", "Give the text to match in `q`."),
        ({"q": ""}, "q", "`q` is blank"),
        ({"q": "   "}, "q", "`q` is blank"),
        ({"q": "x" * (limits.MATCH_QUERY + 1)}, "q", f"at most {limits.MATCH_QUERY:,}"),
        ({"q": "five shots", "lang": "english please"}, "lang", "language tag"),
        ({"q": "five shots", "lang": "e"}, "lang", "language tag"),
        ({"q": "five shots", "lang": "x" * 40}, "lang", "language tag"),
    ],
)
def test_a_bad_text_query_answers_400_naming_the_parameter(ed_api, params, field, words):
    response = ed_api.get(TEXT, params)
    assert response.status_code == 400
    body = response.json()
    assert words in body["detail"] and body[field] == [body["detail"]]


def test_text_matches_are_for_newsroom_members(outsider_api, known):
    assert outsider_api.get(TEXT, {"q": "five shots"}).status_code == 403
    assert APIClient().get(TEXT, {"q": "five shots"}).status_code in (401, 403)


def test_text_matches_keep_their_query_count(
    ed_api, known, published, django_assert_max_num_queries
):
    assert ed_api.get(TEXT, {"q": "five shots"}).status_code == 200  # builds the index once
    # 5 queries: token and user, groups, the index's signature, the known checks shown,
    # our checks shown
    with django_assert_max_num_queries(5):
        assert ed_api.get(TEXT, {"q": "defector rounds five shots"}).status_code == 200


# --- POST an answer -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("anonymous", (401, 403)),
        ("outsider", (403,)),
        ("editor", (201,)),
        ("reviewer", (201,)),
        ("staff", (201,)),
    ],
)
def test_who_may_answer(request, persona, expected, known, claim):
    client = APIClient()
    if persona != "anonymous":
        client.force_authenticate(request.getfixturevalue(persona))
    response = client.post(
        matches(claim), {"known_check": known[DEFECTOR_CHECK].pk, "decision": "same"}, format="json"
    )
    assert response.status_code in expected, response.json()
    assert ClaimMatch.objects.count() == (1 if expected == (201,) else 0)


def test_an_answer_is_201_when_new_and_200_when_changed(ed_api, rev_api, known, claim, reviewer):
    check = known[DEFECTOR_CHECK]
    first = ed_api.post(
        matches(claim), {"known_check": check.pk, "decision": "same", "score": 0.83}, format="json"
    )
    assert first.status_code == 201, first.json()
    body = first.json()
    assert body == {
        "claim": claim.pk,
        "kind": "known_check",
        "id": check.pk,
        "decision": "same",
        "score": 0.83,
        "decided_by": "ed",
        "decided_at": body["decided_at"],
    }
    changed = rev_api.post(matches(claim), {"known_check": check.pk, "decision": "not_same"})
    assert changed.status_code == 200, changed.json()
    assert (changed.json()["decision"], changed.json()["decided_by"]) == ("not_same", "rev")
    answer = ClaimMatch.objects.get()
    assert (answer.decision, answer.decided_by, answer.score) == (
        MatchDecision.NOT_SAME,
        reviewer,
        None,
    )


def test_an_answer_about_one_of_our_checks(ed_api, published, later):
    response = ed_api.post(matches(later), {"claim": published.pk, "decision": "same"})
    assert response.status_code == 201, response.json()
    assert (response.json()["kind"], response.json()["id"]) == ("our_check", published.pk)
    answer = ClaimMatch.objects.get()
    assert (answer.claim, answer.earlier_claim, answer.known_check) == (later, published, None)


def _bad_inputs():
    return [
        (
            "unknown known check",
            lambda k, c, d: {"known_check": 999999, "decision": "same"},
            "known_check",
            "There is no known check with id 999999.",
        ),
        (
            "unknown claim",
            lambda k, c, d: {"claim": 999999, "decision": "same"},
            "claim",
            "There is no claim with id 999999.",
        ),
        (
            "both",
            lambda k, c, d: {"known_check": k, "claim": c, "decision": "same"},
            "known_check",
            "Name one earlier check",
        ),
        ("neither", lambda k, c, d: {"decision": "same"}, "known_check", "Name one earlier check"),
        (
            "bad decision",
            lambda k, c, d: {"known_check": k, "decision": "maybe"},
            "decision",
            "“maybe” is not an answer",
        ),
        ("no decision", lambda k, c, d: {"known_check": k}, "decision", "required"),
        (
            "not published",
            lambda k, c, d: {"claim": d, "decision": "same"},
            "claim",
            "is not a published check",
        ),
        (
            "the claim itself",
            lambda k, c, d: {"claim": "self", "decision": "same"},
            "claim",
            "not an earlier check of itself",
        ),
        (
            "score out of range",
            lambda k, c, d: {"known_check": k, "decision": "same", "score": 2},
            "score",
            "1",
        ),
        (
            "unknown field",
            lambda k, c, d: {"known_check": k, "decision": "same", "why": "x"},
            "why",
            "not accepted",
        ),
    ]


@pytest.mark.parametrize(
    ("case", "make", "field", "words"), _bad_inputs(), ids=[b[0] for b in _bad_inputs()]
)
def test_bad_answers_answer_400_naming_the_field_and_write_nothing(
    ed_api, known, claim, published, demo_article, editor, case, make, field, words
):
    draft = make_claim(demo_article, editor, QUOTES[2])
    data = make(known[DEFECTOR_CHECK].pk, published.pk, draft.pk)
    if data.get("claim") == "self":
        data["claim"] = claim.pk
    response = ed_api.post(matches(claim), data, format="json")
    assert response.status_code == 400, response.json()
    body = response.json()
    assert any(words in message for message in body[field]), body
    assert not ClaimMatch.objects.exists()


def test_a_deleted_claim_takes_no_answer(ed_api, known, claim, editor):
    claim_delete(claim=claim, user=editor)
    response = ed_api.post(
        matches(claim), {"known_check": known[DEFECTOR_CHECK].pk, "decision": "same"}
    )
    assert response.status_code == 409
    assert "deleted" in response.json()["detail"]
    assert not ClaimMatch.objects.exists()


def test_answering_for_an_unknown_claim_is_404(ed_api, known):
    response = ed_api.post(
        "/api/v1/claims/999999/matches/",
        {"known_check": known[DEFECTOR_CHECK].pk, "decision": "same"},
    )
    assert response.status_code == 404
    assert not ClaimMatch.objects.exists()


def test_an_answer_keeps_its_query_count(ed_api, known, claim, django_assert_max_num_queries):
    check = known[DEFECTOR_CHECK].pk
    # 11 queries: token and user, groups, the claim, the known check, whether an answer
    # exists; update_or_create: savepoint, the answer locked, savepoint, INSERT (its history
    # row by trigger), release, release
    with django_assert_max_num_queries(11):
        response = ed_api.post(matches(claim), {"known_check": check, "decision": "same"})
    assert response.status_code == 201
