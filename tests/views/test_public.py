"""The public page: approved fact-checks, no login, ClaimReview JSON-LD embedded safely."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from tests.api.fixtures.helpers import QUOTES, make_approved, make_claim

pytestmark = pytest.mark.django_db


def json_ld_of(html: str) -> list:
    (script,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(script)


def test_anyone_reads_the_approved_fact_checks(demo_article, editor, reviewer):
    approved = make_approved(demo_article, editor, reviewer, statement="Hit five times")
    draft = make_claim(demo_article, editor, QUOTES[1], statement="DRAFT-STATEMENT")
    response = Client().get(f"/published/{demo_article.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="claim-{approved.pk}"' in html
    assert "Hit five times" in html and "Mostly true" in html
    assert "Hospital briefing" in html
    assert f'id="claim-{draft.pk}"' not in html and "DRAFT-STATEMENT" not in html
    (review,) = json_ld_of(html)
    assert review["@type"] == "ClaimReview"
    assert review["url"].endswith(f"/published/{demo_article.pk}/#claim-{approved.pk}")


def test_script_breaking_text_is_escaped_in_the_json_ld(demo_article, editor, reviewer):
    make_approved(
        demo_article,
        editor,
        reviewer,
        statement='</script><script>alert("x")</script>',
    )
    html = Client().get(f"/published/{demo_article.pk}/").content.decode()
    assert '<script>alert("x")' not in html
    (review,) = json_ld_of(html)
    assert review["claimReviewed"] == '</script><script>alert("x")</script>'


def test_article_without_an_approved_check_is_404_like_an_unknown_one(demo_article, editor):
    demo_article.byline = "SECRET-BYLINE"
    demo_article.save()
    make_claim(demo_article, editor)
    response = Client().get(f"/published/{demo_article.pk}/")
    assert response.status_code == 404
    html = response.content.decode()
    assert demo_article.title not in html and "SECRET-BYLINE" not in html
    assert "application/ld+json" not in html
    assert Client().get("/published/999999/").status_code == 404


def test_query_count(demo_article, editor, reviewer, django_assert_num_queries):
    for quote in QUOTES[:4]:
        make_approved(demo_article, editor, reviewer, quote)
    # 4 queries: approved claims with article and verdict, their sources, rating scale
    # ends, the later articles confirmed to repeat them
    with django_assert_num_queries(4):
        assert Client().get(f"/published/{demo_article.pk}/").status_code == 200
