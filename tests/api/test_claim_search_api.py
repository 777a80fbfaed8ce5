"""Claim search and sorting over the API (issue 16): `q` is PostgreSQL full-text search in
the newsroom's language plus trigrams for typos, ranked; `sort` orders the cursor pages.
Odd input never answers 500; an unknown sort answers 400 naming the accepted ones."""

from __future__ import annotations

from base64 import b64encode
from urllib.parse import quote

import pytest
from django.db import connection

from annotations.selectors.claims import CLAIM_SORTS
from annotations.services.articles import article_load
from annotations.services.claims import claim_create, claim_update
from annotations.services.workflow import claim_submit
from tests.api.fixtures import helpers

ed_api = helpers.ed_api
pytestmark = pytest.mark.django_db

TEXT = (
    "The soldier took hits to the arm and chest. Shelling continued overnight near the "
    "border. Officials said 40 rounds were fired. The spelling of his name varies."
)


@pytest.fixture
def claims(editor, editor2):
    article = article_load(user=editor, text=TEXT, title="Border incident")
    other = article_load(user=editor2, text="An armistice was signed in 1953.", title="Armistice")
    made = {
        "hits": claim_create(
            article=article, user=editor, selector={"exact": "took hits to the arm and chest"}
        ),
        "shelling": claim_create(
            article=article,
            user=editor2,
            selector={"exact": "Shelling continued overnight near the border"},
        ),
        "rounds": claim_create(
            article=article, user=editor, selector={"exact": "40 rounds were fired"}
        ),
        "spelling": claim_create(
            article=article, user=editor, selector={"exact": "The spelling of his name varies"}
        ),
        "armistice": claim_create(
            article=other, user=editor2, selector={"exact": "An armistice was signed in 1953"}
        ),
    }
    made["rounds"] = claim_update(
        claim=made["rounds"],
        user=editor,
        version=made["rounds"].version,
        claimant="Defence ministry",
        explanation="The ministry counted the shell casings.",
        verdict="true",
    )
    made["spelling"] = claim_update(
        claim=made["spelling"],
        user=editor,
        version=made["spelling"].version,
        claimant="Anna Shellinger",
    )
    made["armistice"] = claim_update(
        claim=made["armistice"],
        user=editor2,
        version=made["armistice"].version,
        verdict="false",
    )
    return made


def listed(api, query: str) -> list[int]:
    response = api.get(f"/api/v1/claims/?{query}")
    assert response.status_code == 200, response.json()
    return [claim["id"] for claim in response.json()["results"]]


def test_stemming_finds_other_forms_of_a_word(ed_api, claims):
    assert listed(ed_api, "q=hit") == [claims["hits"].pk]
    assert listed(ed_api, "q=fire") == [claims["rounds"].pk]
    # The explanation is searched too ("casings" → "casing"), and the claimant.
    assert listed(ed_api, "q=casing") == [claims["rounds"].pk]
    assert listed(ed_api, "q=ministry") == [claims["rounds"].pk]


def test_a_typo_finds_the_word_by_trigrams(ed_api, claims):
    # Closest first: "Shelling" (7 of its 8 trigrams), then the claimant "Shellinger" (6).
    assert listed(ed_api, "q=sheling") == [claims["shelling"].pk, claims["spelling"].pk]
    assert listed(ed_api, "q=armistise") == [claims["armistice"].pk]


def test_full_text_matches_rank_before_close_words(ed_api, claims):
    # "shelling" (stem "shell") is in one claim's quote (weight A) and another's explanation
    # ("shell casings", weight C): both full-text matches, the quote first; a claimant
    # "Shellinger" is only a close word, so it comes last.
    assert listed(ed_api, "q=shelling") == [
        claims["shelling"].pk,
        claims["rounds"].pk,
        claims["spelling"].pk,
    ]


def test_search_syntax_phrase_or_and_minus(ed_api, claims):
    assert listed(ed_api, "q=" + quote('"near the border"')) == [claims["shelling"].pk]
    assert listed(ed_api, "q=" + quote('"the border near"')) == []
    assert set(listed(ed_api, "q=armistice%20or%20chest")) == {
        claims["armistice"].pk,
        claims["hits"].pk,
    }
    # -word leaves out: no close-word fallback brings "spelling" back.
    assert listed(ed_api, "q=name%20-shelling") == [claims["spelling"].pk]
    assert listed(ed_api, "q=border%20-shelling") == []


@pytest.mark.parametrize(
    "words",
    [
        '"',
        '""',
        "'",
        "\\",
        "\\\\'\"",
        "&|!():*",
        "a & b | !c",
        "(((",
        "<->",
        "-",
        "or",
        "-or -",
        "%_%",
        "😀",
        "x" * 200,
        "sheling:* & (hit | !",
    ],
)
def test_hostile_words_never_answer_500(ed_api, claims, words):
    response = ed_api.get("/api/v1/claims/", {"q": words})
    assert response.status_code == 200, response.content
    response = ed_api.get("/api/v1/claims/", {"q": words, "sort": "verdict"})
    assert response.status_code == 200, response.content


def test_too_long_or_nul_words_are_refused_with_400(ed_api, claims):
    response = ed_api.get("/api/v1/claims/", {"q": "x" * 201})
    assert response.status_code == 400
    assert "200" in response.json()["q"][0]
    response = ed_api.get("/api/v1/claims/?q=a%00b")
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]


def test_sorts_by_article_editor_verdict_and_age(ed_api, claims, editor, editor2):
    c = claims
    assert listed(ed_api, "sort=article") == [
        c["armistice"].pk,  # "Armistice" before "Border incident"
        c["hits"].pk,
        c["shelling"].pk,
        c["rounds"].pk,
        c["spelling"].pk,
    ]
    assert listed(ed_api, "sort=editor") == [
        c["hits"].pk,
        c["rounds"].pk,
        c["spelling"].pk,  # ed
        c["shelling"].pk,
        c["armistice"].pk,  # ed2
    ]
    # The scale's order, True first; no verdict last.
    assert listed(ed_api, "sort=verdict") == [
        c["rounds"].pk,
        c["armistice"].pk,
        c["hits"].pk,
        c["shelling"].pk,
        c["spelling"].pk,
    ]
    claim_submit(claim=c["spelling"], user=editor)
    claim_submit(claim=c["shelling"], user=editor2)
    waiting = listed(ed_api, "sort=oldest")
    # Never submitted: waiting since created (all were created before the two submissions).
    assert waiting == [c["hits"].pk, c["rounds"].pk, c["armistice"].pk,
                       c["spelling"].pk, c["shelling"].pk]  # fmt: skip
    assert listed(ed_api, "sort=newest") == waiting[::-1]
    assert listed(ed_api, "sort=created") == sorted(waiting, reverse=True)
    assert listed(ed_api, "") == sorted(waiting, reverse=True)


def test_sorted_pages_walk_every_claim_once(ed_api, claims):
    for sort in [s for s in CLAIM_SORTS if s != "relevance"] + ["relevance&q=the"]:
        url, seen = f"/api/v1/claims/?sort={sort}&page_size=2", []
        while url:
            body = ed_api.get(url).json()
            seen += [claim["id"] for claim in body["results"]]
            url = body["next"]
        expected = 5 if sort != "relevance&q=the" else len(listed(ed_api, "q=the"))
        assert len(seen) == len(set(seen)) == expected, sort


def test_unknown_sort_or_relevance_without_words_is_400(ed_api, claims):
    response = ed_api.get("/api/v1/claims/?sort=popular")
    assert response.status_code == 400
    assert response.json()["sort"] == [
        "“popular” is not a sort; use one of " + ", ".join(CLAIM_SORTS) + "."
    ]
    response = ed_api.get("/api/v1/claims/?sort=relevance")
    assert response.status_code == 400
    assert response.json()["sort"] == ["sort=relevance needs q, the words to search for."]


def test_a_hand_made_cursor_on_a_sort_key_is_400(ed_api, claims):
    for sort, position in [("oldest", "yesterday"), ("verdict", "x"), ("relevance&q=hit", "1.5")]:
        cursor = b64encode(f"o=0&p={position}".encode()).decode()
        response = ed_api.get(f"/api/v1/claims/?sort={sort}&cursor={quote(cursor)}")
        assert response.status_code == 400, (sort, response.content)
        assert "cursor" in response.json()["detail"]


@pytest.mark.parametrize("sort", ["article", "editor", "verdict", "oldest", "relevance"])
def test_a_sorted_search_costs_the_same_queries_as_the_plain_list(
    ed_api, claims, sort, django_assert_num_queries
):
    # 6 queries: token+user+roles, claims with verdict and users, their sources, their
    # reviews with reviewers, their confirmed earlier checks, their assignees.
    # Issue 17: sources, reviews and assignees come as JSON rows in the claims query (-3).
    with django_assert_num_queries(3):
        response = ed_api.get(f"/api/v1/claims/?q=the&sort={sort}")
    assert response.status_code == 200


def test_the_search_can_use_its_indexes(claims):
    from annotations.models import Claim
    from annotations.selectors.search import claim_search

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = Claim.objects.filter(claim_search("sheling")).explain()
    for index in (
        "claim_search_fts",
        "claim_exact_trgm",
        "claim_statement_trgm",
        "claim_claimant_trgm",
        "claim_explanation_trgm",
    ):
        assert f"Bitmap Index Scan on {index}" in plan, plan
