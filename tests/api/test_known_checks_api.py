"""The known-checks API: import (JSON, a page, a file), list with filters, one check."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from annotations.models import KnownCheck
from annotations.services.known_checks import known_checks_import
from tests.api.fixtures import helpers

ed_api = helpers.ed_api
rev_api = helpers.rev_api
outsider_api = helpers.outsider_api

pytestmark = pytest.mark.django_db

LIST = "/api/v1/known-checks/"
IMPORT = "/api/v1/known-checks/import"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "known_checks"


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def claimreviews() -> list[dict]:
    return json.loads(fixture("claimreviews.jsonld"))


def make_checks(n: int, user) -> None:
    items = [
        {
            "@type": "ClaimReview",
            "url": f"https://checks.example.org/{i}/",
            "claimReviewed": f"Claim number {i} about the border",
            "author": {"name": "Checks Example" if i % 2 else "Other Checker"},
            "inLanguage": "en-GB" if i % 3 else "fr",
            "datePublished": f"2020-01-{1 + i % 28:02d}",
            "reviewRating": {"alternateName": "False"},
            "itemReviewed": {"author": {"name": f"Claimant {i}"}},
        }
        for i in range(n)
    ]
    known_checks_import(data=items, user=user)


# --- import ------------------------------------------------------------------------------------


def test_import_json_answers_201_with_the_report_then_200_when_known(ed_api):
    response = ed_api.post(IMPORT, claimreviews(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["created"], body["updated"], body["unchanged"]) == (2, 0, 0)
    assert [item["result"] for item in body["items"]] == ["created", "created"]
    assert body["items"][0]["index"] == 1 and body["items"][0]["id"]
    again = ed_api.post(IMPORT, claimreviews(), format="json")
    assert again.status_code == 200
    assert again.json()["unchanged"] == 2
    assert KnownCheck.objects.count() == 2


def test_import_as_json_ld_and_fact_check_tools_results(ed_api):
    response = ed_api.post(
        IMPORT,
        json.dumps(claimreviews()[0]),
        content_type="application/ld+json",
    )
    assert response.status_code == 201
    response = ed_api.post(IMPORT, json.loads(fixture("factcheck_tools.json")), format="json")
    assert response.status_code == 201 and response.json()["created"] == 2


def test_import_an_html_page_as_the_body_or_as_a_file(ed_api):
    page = fixture("page_with_jsonld.html")
    response = ed_api.post(IMPORT, page, content_type="text/html; charset=utf-8")
    assert response.status_code == 201, response.json()
    assert response.json()["created"] == 2
    upload = SimpleUploadedFile("checks.jsonld", fixture("claimreviews.jsonld").encode())
    response = ed_api.post(IMPORT, {"file": upload}, format="multipart")
    assert response.status_code == 201
    assert response.json()["created"] == 2
    assert KnownCheck.objects.count() == 4


def test_a_bad_item_is_a_400_naming_it_and_nothing_is_written(ed_api):
    items = claimreviews()
    items.append(
        {
            "@type": "ClaimReview",
            "url": "https://bad.example.org/3/",
            "claimReviewed": "A third claim",
            "reviewRating": {"ratingValue": "five"},
        }
    )
    response = ed_api.post(IMPORT, items, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["detail"].startswith(
        "item 3 (https://bad.example.org/3/): reviewRating.ratingValue must be a number"
    )
    assert (body["item"], body["item_url"]) == (3, "https://bad.example.org/3/")
    assert not KnownCheck.objects.exists()


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ('"just a string"', "application/json"),
        ("42", "application/json"),
        ("{}", "application/json"),
        ("plain words", "text/html"),
    ],
)
def test_import_refuses_bodies_that_hold_no_claimreview(ed_api, body, content_type):
    response = ed_api.post(IMPORT, body, content_type=content_type)
    assert response.status_code == 400
    assert response.json()["detail"]


def test_import_without_a_file_in_a_multipart_body_is_a_400(ed_api):
    response = ed_api.post(IMPORT, {"other": "x"}, format="multipart")
    assert response.status_code == 400
    assert "file" in response.json()


def test_outsiders_and_anonymous_clients_may_not_import_or_read(outsider_api):
    assert outsider_api.post(IMPORT, claimreviews(), format="json").status_code == 403
    assert outsider_api.get(LIST).status_code == 403
    anonymous = APIClient()
    assert anonymous.post(IMPORT, claimreviews(), format="json").status_code in (401, 403)
    assert anonymous.get(LIST).status_code in (401, 403)
    assert not KnownCheck.objects.exists()


# --- list and detail ---------------------------------------------------------------------------


def test_the_list_says_how_far_the_vectors_are_computed(ed_api, editor):
    from annotations.services.matching import embeddings_fill

    make_checks(3, editor)
    assert ed_api.get(LIST).json()["matching"] == {"vectors": 0, "of": 3}
    embeddings_fill()
    # Every page counts them all, whatever it filters.
    filtered = ed_api.get(LIST, {"language": "fr", "page_size": 1}).json()
    assert filtered["matching"] == {"vectors": 3, "of": 3}


def test_list_shows_the_contract_fields(ed_api, editor):
    known_checks_import(data=claimreviews(), user=editor)
    response = ed_api.get(LIST)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"next", "previous", "results", "matching"}
    assert body["matching"] == {"vectors": 0, "of": 2}
    first = body["results"][1]  # newest import first: the defector check came first
    assert first == {
        "id": first["id"],
        "claim_reviewed": "The North Korean defector was hit at least five times as he "
        "crossed the border.",
        "claimant": "Joint Chiefs of Staff",
        "rating": {"text": "Mostly true", "value": 4.0, "best": 5.0, "worst": 1.0},
        "publisher": {"name": "Checker Example", "url": "https://checker.example.net/"},
        "url": "https://checker.example.net/2017/11/defector-five-shots/",
        "date": "2017-11-16",
        "language": "en",
        "title": "Was the defector hit five times?",
        "imported_at": first["imported_at"],
        "updated_at": first["updated_at"],
    }
    detail = ed_api.get(f"{LIST}{first['id']}/")
    assert detail.status_code == 200 and detail.json() == first
    assert ed_api.get(f"{LIST}999999999/").status_code == 404


def test_list_filters(ed_api, editor):
    make_checks(12, editor)
    known_checks_import(data=claimreviews(), user=editor)

    def urls(**params):
        response = ed_api.get(LIST, {**params, "page_size": 100})
        assert response.status_code == 200, response.json()
        return {item["url"] for item in response.json()["results"]}

    assert urls(q="DEFECTOR") == {"https://checker.example.net/2017/11/defector-five-shots/"}
    assert urls(q="claimant 11") == {"https://checks.example.org/11/"}
    assert len(urls(publisher="checks example")) == 6
    # "en" finds "en" and "en-GB"; "fr" only French.
    assert len(urls(language="en")) == 8 + 1
    assert len(urls(language="EN-gb")) == 8
    assert urls(language="es") == {"https://verificado.example.org/2020/04/5g-covid/"}
    assert len(urls(reviewed_since="2020-01-10")) == 3 + 1  # days 10, 11, 12 and April
    assert ed_api.get(LIST, {"reviewed_since": "soon"}).status_code == 400


def test_list_pages_with_a_cursor(ed_api, editor):
    make_checks(5, editor)
    first = ed_api.get(LIST, {"page_size": 2}).json()
    second = ed_api.get(first["next"]).json()
    ids = [item["id"] for item in first["results"] + second["results"]]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == 4


@pytest.mark.parametrize("n", [3, 30])
def test_list_runs_a_fixed_number_of_queries(ed_api, editor, n, django_assert_num_queries):
    make_checks(n, editor)
    # 3 queries: token+user+roles, the page of checks, how
    # many have their vector (`matching`)
    with django_assert_num_queries(3):
        response = ed_api.get(LIST, {"q": "border", "publisher": "Checks Example"})
    assert response.status_code == 200
    assert len(response.json()["results"]) == n // 2  # the odd ones are Checks Example's
    with django_assert_num_queries(3):
        response = ed_api.get(LIST, {"language": "en", "reviewed_since": "2020-01-01"})
    assert response.status_code == 200
