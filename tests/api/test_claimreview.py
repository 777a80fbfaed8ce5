"""schema.org ClaimReview: approved claims only, every property search engines read."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.api.fixtures import helpers
from tests.api.fixtures.helpers import QUOTES, make_approved, make_claim

ed_api = helpers.ed_api
outsider_api = helpers.outsider_api

pytestmark = pytest.mark.django_db
URL = "/api/v1/claimreviews/"


def check_claim_review(review: dict, claim, article) -> None:
    """Every property the fact-check markup needs (Google's required and recommended)."""
    assert review["@context"] == "https://schema.org"
    assert review["@type"] == "ClaimReview"
    assert review["claimReviewed"] == claim.statement
    assert review["url"].endswith(f"/published/{article.pk}/#claim-{claim.pk}")
    assert review["url"].startswith("http")
    assert review["datePublished"] == claim.reviewed_at.date().isoformat()
    assert review["author"] == {
        "@type": "Organization",
        "name": "factcheck newsroom",
        "url": "https://factcheck.example.org/",
    }
    rating = review["reviewRating"]
    assert rating["@type"] == "Rating"
    assert rating["ratingValue"] == claim.verdict.rating_value
    assert rating["bestRating"] == 6 and rating["worstRating"] == 1
    assert rating["alternateName"] == claim.verdict.label
    item = review["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["author"]["name"] == claim.claimant
    assert item["author"]["@type"] in {"Person", "Organization"}
    assert item["datePublished"] == "2017-11-22"
    appearance = item["appearance"]
    assert appearance["@type"] == "CreativeWork"
    assert appearance["url"] == article.url
    assert appearance["headline"] == article.title


@pytest.fixture
def published_article(demo_article):
    demo_article.url = "https://edition.example.com/defector"
    demo_article.published_at = dt.datetime(2017, 11, 22, 9, tzinfo=dt.UTC)
    demo_article.save()
    return demo_article


def test_only_approved_claims_with_every_property(ed_api, published_article, editor, reviewer):
    approved = make_approved(
        published_article, editor, reviewer, statement="The defector was hit five times."
    )
    make_claim(published_article, editor, QUOTES[1])  # a draft
    in_review = make_claim(
        published_article,
        editor,
        QUOTES[2],
        verdict="true",
        explanation="x",
    )
    from annotations.services import claims as claim_services
    from annotations.services import workflow

    claim_services.source_attach(claim=in_review, user=editor, title="S", url="")
    workflow.claim_submit(claim=in_review, user=editor)
    response = ed_api.get(URL)
    assert response.status_code == 200
    (review,) = response.json()["results"]
    check_claim_review(review, approved, published_article)
    assert review["itemReviewed"]["author"]["@type"] == "Organization"  # United Nations Command


def test_claimant_people_are_persons(ed_api, published_article, editor, reviewer):
    make_approved(published_article, editor, reviewer, claimant="James Marks")
    (review,) = ed_api.get(URL).json()["results"]
    assert review["itemReviewed"]["author"] == {"@type": "Person", "name": "James Marks"}


@pytest.mark.parametrize("rows", [2, 6])
def test_query_count_does_not_grow(
    rows, ed_api, published_article, editor, reviewer, django_assert_num_queries
):
    for i in range(rows):
        make_approved(published_article, editor, reviewer, QUOTES[i % len(QUOTES)])
    # 4 queries: token+user+roles, approved claims with article+verdict, their later
    # appearances (claims confirmed to repeat them), rating scale ends
    with django_assert_num_queries(4):
        response = ed_api.get(URL)
    assert len(response.json()["results"]) == rows


def test_filters_apply(ed_api, published_article, editor, reviewer):
    make_approved(published_article, editor, reviewer)
    future = (timezone.now() + dt.timedelta(days=1)).date().isoformat()
    assert ed_api.get(URL + f"?updated_since={future}T00:00:00Z").json()["results"] == []
    assert ed_api.get(URL + "?verdict=mostly-true").json()["results"]
    assert ed_api.get(URL + "?verdict=bogus").status_code == 400


def test_outsider_is_refused(outsider_api, published_article):
    assert outsider_api.get(URL).status_code == 403


def test_an_article_without_a_url_appears_on_its_public_page(
    ed_api, demo_article, editor, reviewer
):
    assert demo_article.url == ""
    make_approved(demo_article, editor, reviewer)
    (review,) = ed_api.get(URL).json()["results"]
    appearance = review["itemReviewed"]["appearance"]
    # Not the workspace: readers of the markup have no login.
    assert appearance["url"].endswith(f"/published/{demo_article.pk}/")
    assert appearance["url"].startswith("http")


def test_an_article_of_unknown_date_has_no_claim_date(ed_api, demo_article, editor, reviewer):
    # Not the day it was loaded (nor today): when the claim was made is simply not known.
    assert demo_article.published_at is None
    make_approved(demo_article, editor, reviewer)
    (review,) = ed_api.get(URL).json()["results"]
    assert "datePublished" not in review["itemReviewed"]
    assert "datePublished" not in review["itemReviewed"]["appearance"]
    assert review["datePublished"]  # the review's own date is always known


# --- "Checked before?": later appearances (issue 13) --------------------------------------


LATER_TEXT = (
    "Troops fired at the defector\n\nNorth Korean troops opened fire, releasing an estimated "
    "40 rounds as he fled.\n\nHe survived."
)


def _later_claim(editor, *, url: str, words: str = "releasing an estimated 40 rounds"):
    from annotations.services.articles import article_load

    text = f"{LATER_TEXT}\n\nFiled as {url or 'pasted text'}."  # each article its own text
    article = article_load(user=editor, text=text, url=url, title=f"Later {url or 'pasted'}")
    return make_claim(article, editor, words), article


def test_later_articles_confirmed_to_repeat_a_check_are_more_appearances(
    ed_api, published_article, editor, reviewer
):
    from annotations.services.claims import claim_delete

    check = make_approved(published_article, editor, reviewer, QUOTES[1])
    later, later_article = _later_claim(editor, url="https://news.example.com/later")
    pasted, _ = _later_claim(editor, url="")
    gone, _ = _later_claim(editor, url="https://news.example.com/gone")
    for claim in (later, pasted, gone):
        helpers.confirm(claim, editor, earlier_claim=check)
    claim_delete(claim=gone, user=editor)
    (review,) = ed_api.get(URL).json()["results"]
    first, second = review["itemReviewed"]["appearance"]
    assert (first["url"], first["headline"]) == (published_article.url, published_article.title)
    assert second == {
        "@type": "CreativeWork",
        "url": "https://news.example.com/later",
        "headline": later_article.title,
    }
    # The pasted text has no address readers could see; the deleted claim is gone.


def test_a_not_same_answer_adds_no_appearance(ed_api, published_article, editor, reviewer):
    check = make_approved(published_article, editor, reviewer, QUOTES[1])
    later, _ = _later_claim(editor, url="https://news.example.com/later")
    helpers.confirm(later, editor, earlier_claim=check, decision="not_same")
    (review,) = ed_api.get(URL).json()["results"]
    assert review["itemReviewed"]["appearance"]["url"] == published_article.url


def test_the_public_page_embeds_the_later_appearances(published_article, editor, reviewer):
    import json
    import re

    from django.test import Client

    check = make_approved(published_article, editor, reviewer, QUOTES[1])
    later, _ = _later_claim(editor, url="https://news.example.com/later")
    helpers.confirm(later, reviewer, earlier_claim=check)
    page = Client().get(f"/published/{published_article.pk}/")
    assert page.status_code == 200
    script = re.search(
        r'<script type="application/ld\+json">(.*?)</script>', page.content.decode(), re.S
    )
    (review,) = json.loads(script.group(1))
    urls = [a["url"] for a in review["itemReviewed"]["appearance"]]
    assert urls == [published_article.url, "https://news.example.com/later"]


def test_appearances_are_read_once_per_page(
    ed_api, published_article, editor, reviewer, django_assert_num_queries
):
    checks = [make_approved(published_article, editor, reviewer, q) for q in QUOTES[:3]]
    later, _ = _later_claim(editor, url="https://news.example.com/later")
    for check in checks:
        helpers.confirm(later, editor, earlier_claim=check)
    # 4 queries: token+user+roles, approved claims, their later appearances, scale ends
    with django_assert_num_queries(4):
        results = ed_api.get(URL).json()["results"]
    assert all(len(r["itemReviewed"]["appearance"]) == 2 for r in results)
