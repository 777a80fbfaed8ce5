"""A page of claims is freed when its request ends (issue 17).

DRF keeps a view reachable from its request and its answer, and a list serializer and its
child point at each other; both hold the page: reference cycles, which only Python's
garbage collector frees. A page of 200 claims then outlived its request into the
collector's oldest generation, whose full passes paused later requests. These tests send
requests through Django's WSGI handler, as `make serve` does, and look at what each
leaves for the collector."""

from __future__ import annotations

import gc
import io

import pytest
from django.core.handlers.wsgi import WSGIHandler
from rest_framework.authtoken.models import Token

from annotations.models import Claim
from tests.api.fixtures import helpers

#: Django's handler closes the test's connection at the end of each request, as it does in
#: production: the test cannot run inside a transaction.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def answer(editor, settings):
    """GET `path` through Django's WSGI handler with the editor's token: the status."""
    settings.ALLOWED_HOSTS = ["testserver"]
    token = Token.objects.create(user=editor).key
    handler = WSGIHandler()

    def get(path: str) -> str:
        path, _, query = path.partition("?")
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "HTTP_HOST": "testserver",
            "HTTP_AUTHORIZATION": f"Token {token}",
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.url_scheme": "http",
        }
        started = []
        body = handler(environ, lambda status, headers, exc_info=None: started.append(status))
        b"".join(body)
        body.close()
        return started[0]

    return get


def claims_left_for_the_collector(answer, path: str) -> list[Claim]:
    assert answer(path).startswith("200")  # warm
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)  # what a collection finds is kept in gc.garbage
    try:
        assert answer(path).startswith("200")
        gc.collect()
        return [o for o in gc.garbage if type(o) is Claim]  # (isinstance would wake lazy objects)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()


@pytest.fixture
def claims(demo_article, editor):
    return helpers.make_claims(demo_article, editor, 25)


@pytest.mark.parametrize(
    "view, query, found",
    [
        ("ClaimList", "page_size=10", 10),
        ("ClaimList", "page_size=200&sort=article", 25),
        ("ArticleListCreate", "page_size=10", 1),
    ],
)
def test_a_list_lets_go_of_its_page_once_answered(editor, claims, view, query, found):
    """A list view's page is in the view's own cycle (its paginator's `page`, and the
    view points at itself through `head`); here the test's tooling keeps the view alive
    after the request, so what is checked is that the page no longer holds the objects."""
    from rest_framework.test import APIRequestFactory, force_authenticate

    from annotations.api.articles import ArticleListCreate
    from annotations.api.claims import ClaimList

    request = APIRequestFactory().get(f"/api/v1/?{query}")
    force_authenticate(request, user=editor)
    views = {"ClaimList": ClaimList, "ArticleListCreate": ArticleListCreate}
    response = views[view].as_view()(request)
    response.render()
    assert response.renderer_context["view"].paginator.page == []  # let go of…
    assert len(response.data["results"]) == found  # …once the answer was written


@pytest.mark.parametrize("query", ["page_size=10", "page_size=10&sort=article"])
def test_the_browsable_api_still_links_the_next_page(editor, claims, query):
    """The page controls of the browsable API ask for the links after the page is let go
    of: they get the links the answer has (with sort=article every claim has the same
    key, and the links carry an offset worked out from the page)."""
    api = helpers.token_client(editor)
    second = api.get(f"/api/v1/claims/?{query}").json()["next"]
    links = api.get(second).json()
    html = api.get(second, HTTP_ACCEPT="text/html")
    assert html.status_code == 200
    assert links["next"] and links["previous"]
    for link in (links["next"], links["previous"]):
        assert link.replace("&", "&amp;") in html.content.decode()


def test_an_articles_claims_are_freed_with_its_request(answer, claims, demo_article):
    path = f"/api/v1/articles/{demo_article.pk}/?include=claims"
    assert claims_left_for_the_collector(answer, path) == []


def test_the_answers_are_whole_all_the_same(editor, claims, demo_article):
    api = helpers.token_client(editor)
    seen, url = [], "/api/v1/claims/?page_size=10"
    while url:
        page = api.get(url).json()
        seen += [c["id"] for c in page["results"]]
        url = page["next"]
    assert sorted(seen) == sorted(c.pk for c in claims)
    article = api.get(f"/api/v1/articles/{demo_article.pk}/?include=claims").json()
    assert sorted(c["id"] for c in article["claims"]) == sorted(c.pk for c in claims)
    assert article["claims"] == [api.get(c["url"]).json() for c in article["claims"]]
