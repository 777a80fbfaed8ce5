"""Known checks imported from ClaimReview: each shape, upserts, refusals, roles."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path

import pytest
from django.db import IntegrityError, transaction

from annotations import limits
from annotations.models import KnownCheck
from annotations.services.errors import InvalidInput, NotAllowed
from annotations.services.known_checks import known_checks_import

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent.parent / "api" / "fixtures" / "known_checks"


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def claimreviews() -> list[dict]:
    return json.loads(fixture("claimreviews.jsonld"))


def test_a_claimreview_array_imports_every_field(editor):
    report = known_checks_import(data=claimreviews(), user=editor)
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    check = KnownCheck.objects.get(url="https://checker.example.net/2017/11/defector-five-shots/")
    assert check.claim_reviewed.startswith("The North Korean defector was hit")
    assert check.claimant == "Joint Chiefs of Staff"
    assert (check.rating_text, check.rating_value, check.best_rating, check.worst_rating) == (
        "Mostly true",
        4.0,
        5.0,
        1.0,
    )
    assert (check.publisher_name, check.publisher_url) == (
        "Checker Example",
        "https://checker.example.net/",
    )
    assert (check.review_date, check.language, check.title) == (
        date(2017, 11, 16),
        "en",
        "Was the defector hit five times?",
    )
    assert check.imported_by == editor
    spanish = KnownCheck.objects.get(url__contains="5g-covid")
    # A Language object gives its code; a time gives its date; no number, no scale.
    assert (spanish.language, spanish.review_date, spanish.rating_text) == (
        "es",
        date(2020, 4, 3),
        "Falso",
    )
    assert spanish.rating_value is None and spanish.best_rating is None
    assert [item.result for item in report.items] == ["created", "created"]
    assert [item.id for item in report.items] == [
        KnownCheck.objects.get(url=item.url).pk for item in report.items
    ]


def test_one_claimreview_object_and_a_graph_import(editor):
    one = claimreviews()[0]
    assert known_checks_import(data=one, user=editor).created == 1
    graph = {"@context": "https://schema.org", "@graph": [{"@type": "WebSite"}, claimreviews()[1]]}
    report = known_checks_import(data=graph, user=editor)
    assert (report.created, report.ignored) == (1, 1)
    assert KnownCheck.objects.count() == 2


def test_fact_check_tools_results_import_one_check_per_review(editor):
    report = known_checks_import(data=fixture("factcheck_tools.json"), user=editor)
    assert report.created == 2
    french = KnownCheck.objects.get(url="https://verif.example.fr/eau-chaude/")
    assert french.claim_reviewed == "Drinking hot water kills the coronavirus."
    assert french.claimant == "Viral post"
    assert (french.publisher_name, french.publisher_url) == (
        "Les Vérificateurs",
        "https://verif.example.fr",
    )
    assert (french.rating_text, french.language, french.review_date) == (
        "Faux",
        "fr",
        date(2020, 3, 13),
    )
    assert french.title == "Non, l'eau chaude ne tue pas le virus"


def test_an_html_page_imports_its_claimreview_blocks_and_ignores_the_rest(editor):
    report = known_checks_import(data=fixture("page_with_jsonld.html"), user=editor)
    # Two ClaimReviews (one in a @graph); the NewsArticle and the WebPage are left alone.
    assert (report.created, report.ignored) == (2, 2)
    half = KnownCheck.objects.get(url="https://news.example.com/checks/1/")
    # Numbers given as text are numbers.
    assert (half.rating_value, half.best_rating, half.worst_rating) == (3.0, 5.0, 1.0)
    assert half.rating_text == "Half true"
    assert KnownCheck.objects.get(url="https://news.example.com/checks/2/").rating_text == "False"


def test_html_as_bytes_with_a_byte_order_mark_imports(editor):
    data = b"\xef\xbb\xbf" + fixture("page_with_jsonld.html").encode()
    assert known_checks_import(data=data, user=editor).created == 2


def test_reimporting_the_same_urls_updates_and_never_duplicates(editor, editor2):
    known_checks_import(data=claimreviews(), user=editor)
    first = KnownCheck.objects.get(url__contains="defector")
    again = known_checks_import(data=claimreviews(), user=editor2)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    changed = claimreviews()
    changed[0]["reviewRating"]["alternateName"] = "True"
    changed[0]["reviewRating"]["ratingValue"] = 5
    report = known_checks_import(data=changed, user=editor2)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    assert [item.result for item in report.items] == ["updated", "unchanged"]
    assert KnownCheck.objects.count() == 2
    check = KnownCheck.objects.get(pk=first.pk)
    assert (check.rating_text, check.rating_value) == ("True", 5.0)
    # The first import is kept as such; the last change is dated.
    assert check.imported_by == editor and check.imported_at == first.imported_at
    assert check.updated_at > first.updated_at
    assert report.items[0].id == first.pk


def test_the_same_url_twice_in_one_import_keeps_the_later_item(editor):
    items = claimreviews()
    later = copy.deepcopy(items[0])
    later["reviewRating"]["alternateName"] = "Accurate"
    report = known_checks_import(data=[*items, later], user=editor)
    assert (report.created, report.duplicates) == (2, 1)
    assert [item.result for item in report.items] == ["duplicate", "created", "created"]
    kept = KnownCheck.objects.get(url=later["url"])
    assert kept.rating_text == "Accurate"
    assert report.items[0].id == report.items[2].id == kept.pk


def test_the_unique_url_holds_in_the_database(editor):
    known_checks_import(data=claimreviews(), user=editor)
    with pytest.raises(IntegrityError), transaction.atomic():
        KnownCheck.objects.create(
            url="https://checker.example.net/2017/11/defector-five-shots/", claim_reviewed="x"
        )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda item: item["reviewRating"].update(ratingValue="five"),
            "item 2 (https://verificado.example.org/2020/04/5g-covid/): "
            "reviewRating.ratingValue must be a number; got “five”",
        ),
        (lambda item: item.pop("claimReviewed"), "claimReviewed is missing or empty"),
        (lambda item: item.pop("url"), "item 2: url is missing or empty"),
        (lambda item: item.update(url="ftp://x.example/"), "url must be an http(s) address"),
        (
            lambda item: item.update(datePublished="last Tuesday"),
            "datePublished must be a date",
        ),
        (lambda item: item.update(inLanguage="Spanish!"), "inLanguage must be a BCP 47"),
        (
            lambda item: item["reviewRating"].update(ratingValue=7, bestRating=5),
            "reviewRating.ratingValue (7) is above bestRating (5)",
        ),
        (
            lambda item: item["reviewRating"].update(worstRating=3, bestRating=1),
            "reviewRating.worstRating (3) is above bestRating (1)",
        ),
        (
            lambda item: item.update(claimReviewed="x" * (limits.CLAIM_REVIEWED + 1)),
            f"claimReviewed is {limits.CLAIM_REVIEWED + 1:,} characters long",
        ),
        (lambda item: item.update(reviewRating="False"), "reviewRating must be a Rating object"),
        (lambda item: item.update(claimReviewed=["a", "b"]), "claimReviewed must be text"),
    ],
)
def test_a_bad_item_is_refused_by_number_and_url_and_nothing_is_written(editor, change, message):
    items = claimreviews()
    change(items[1])
    with pytest.raises(InvalidInput) as refused:
        known_checks_import(data=items, user=editor)
    assert message in refused.value.message
    assert refused.value.message.startswith("item 2")
    assert "Nothing was imported" in refused.value.message
    assert refused.value.extra["item"] == 2
    # The good first item was not written either.
    assert not KnownCheck.objects.exists()


def test_a_bad_item_leaves_earlier_imports_as_they_were(editor):
    known_checks_import(data=claimreviews(), user=editor)
    items = claimreviews()
    items[0]["reviewRating"]["alternateName"] = "Changed"
    items.append({"@type": "ClaimReview", "url": "https://x.example/3", "claimReviewed": ""})
    with pytest.raises(InvalidInput, match=r"^item 3 \(https://x.example/3\): claimReviewed"):
        known_checks_import(data=items, user=editor)
    assert KnownCheck.objects.get(url__contains="defector").rating_text == "Mostly true"
    assert KnownCheck.objects.count() == 2


def test_a_fact_check_tools_claim_without_reviews_is_refused(editor):
    data = {"claims": [{"text": "A claim", "claimReview": []}]}
    with pytest.raises(InvalidInput, match="item 1: claimReview must hold at least one review"):
        known_checks_import(data=data, user=editor)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "No ClaimReview found"),
        ({"@type": "NewsArticle"}, "No ClaimReview found"),
        ("not json at all", "neither JSON nor an HTML page"),
        ("<html><body>No JSON-LD</body></html>", "No ClaimReview found"),
        (
            '<script type="application/ld+json">{"@type": "ClaimReview",</script>',
            "JSON-LD block 1 of the page mentions ClaimReview but is not valid JSON",
        ),
        (b"\xff\xfe\x00", "not UTF-8"),
    ],
)
def test_input_without_any_claimreview_is_refused(editor, data, message):
    with pytest.raises(InvalidInput, match=message):
        known_checks_import(data=data, user=editor)


def test_a_broken_block_of_another_kind_does_not_stop_the_page(editor):
    page = fixture("page_with_jsonld.html").replace(
        "<body>", '<body><script type="application/ld+json">{"@type": "Breadcrumb",</script>'
    )
    assert known_checks_import(data=page, user=editor).created == 2


def test_more_items_than_the_limit_are_refused_before_anything_is_read(editor, monkeypatch):
    monkeypatch.setattr(limits, "KNOWN_CHECKS_PER_IMPORT", 1)
    with pytest.raises(InvalidInput, match="at most 1 ClaimReviews; this one has 2"):
        known_checks_import(data=claimreviews(), user=editor)
    assert not KnownCheck.objects.exists()


def test_reviewers_and_staff_import_and_an_operator_without_user_too(reviewer, staff):
    assert known_checks_import(data=claimreviews()[:1], user=reviewer).created == 1
    assert known_checks_import(data=claimreviews()[1:], user=staff).created == 1
    changed = claimreviews()
    changed[0]["name"] = "New headline"
    assert known_checks_import(data=changed, user=None).updated == 1


def test_someone_without_a_role_may_not_import(outsider):
    with pytest.raises(NotAllowed, match="Only editors and reviewers may import known checks"):
        known_checks_import(data=claimreviews(), user=outsider)
    assert not KnownCheck.objects.exists()


def test_our_own_claimreview_export_round_trips(ed_api, demo_article, editor, reviewer, settings):
    from tests.api.fixtures.helpers import make_approved

    claim = make_approved(demo_article, editor, reviewer, statement="He was hit five times.")
    page = ed_api.get("/api/v1/claimreviews/").json()
    exported = page["results"]
    assert len(exported) == 1
    # The whole page as fetched (next/previous/results), or its items: both import.
    report = known_checks_import(data=page, user=editor)
    assert report.created == 1
    check = KnownCheck.objects.get()
    review = exported[0]
    assert check.url == review["url"] and check.url.endswith(f"#claim-{claim.pk}")
    assert check.claim_reviewed == "He was hit five times."
    assert check.claimant == "United Nations Command"
    assert check.rating_text == claim.verdict.label
    assert check.rating_value == claim.verdict.rating_value
    assert (check.best_rating, check.worst_rating) == (6.0, 1.0)
    assert check.publisher_name == settings.FACTCHECK_NEWSROOM_NAME
    assert check.publisher_url == settings.FACTCHECK_NEWSROOM_URL
    assert check.review_date == claim.reviewed_at.date()
    assert known_checks_import(data=exported, user=editor).unchanged == 1


@pytest.fixture
def ed_api(editor):
    from tests.api.fixtures.helpers import token_client

    return token_client(editor)
