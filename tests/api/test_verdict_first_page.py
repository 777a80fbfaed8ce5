"""`GET /api/v1/verdicts/` with no parameter reads its page through a prepared read
(issue 17: the cheapest authenticated request); it answers exactly what DRF's own paging
answers, follows changes to the scale at once, and leaves every other page to DRF."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations import limits
from annotations.api.pagination import FirstPageRead
from annotations.models import Verdict
from annotations.selectors.claims import _VERDICTS_FIRST_PAGE, VERDICT_ORDER
from annotations.selectors.claims import verdicts as rating_scale
from annotations.selectors.prepared import PreparedRead
from tests.api.fixtures.helpers import token_client

pytestmark = pytest.mark.django_db


def _add_verdicts(n: int) -> None:
    Verdict.objects.bulk_create(
        Verdict(
            slug=f"extra-{i}",
            label=f"Extra {i}",
            rating_value=i % 4,  # ties on the rating: the id decides
            colour="#abcdef",
            description="For paging.",
        )
        for i in range(n)
    )


def _sql(api, url: str) -> tuple[dict, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        answer = api.get(url)
    assert answer.status_code == 200, answer.content
    return answer.json(), [q["sql"] for q in queries.captured_queries]


def test_the_plain_first_page_is_the_prepared_read_and_answers_as_drf_pages(editor, verdicts):
    api = token_client(editor)
    api.get("/api/v1/verdicts/")  # the first call prepares the statement on the connection
    plain, sql = _sql(api, "/api/v1/verdicts/")
    read = _VERDICTS_FIRST_PAGE._compiled["default"]
    assert sql[1] == f"EXECUTE {read.name}", sql  # no parameters: no argument list
    assert "annotations_verdict" in read.sql and f"LIMIT {limits.API_PAGE + 1}" in read.sql
    # The same page through DRF's own reading (any parameter takes that path).
    paged, paged_sql = _sql(api, f"/api/v1/verdicts/?page_size={limits.API_PAGE}")
    assert "annotations_verdict" in paged_sql[1]
    assert plain == paged
    expected = [v.slug for v in Verdict.objects.order_by(*VERDICT_ORDER)]
    assert [v["slug"] for v in plain["results"]] == expected
    assert plain["next"] is None and plain["previous"] is None


def test_a_scale_longer_than_a_page_links_on_exactly_as_drf_does(editor, verdicts):
    _add_verdicts(limits.API_PAGE + 5)
    api = token_client(editor)
    plain, _ = _sql(api, "/api/v1/verdicts/")
    paged, _ = _sql(api, f"/api/v1/verdicts/?page_size={limits.API_PAGE}")
    assert plain["results"] == paged["results"]
    # The same cursor; DRF's link keeps the query it was asked with.
    assert plain["next"] + f"&page_size={limits.API_PAGE}" == paged["next"]
    assert len(plain["results"]) == limits.API_PAGE and plain["next"]
    rest, _ = _sql(api, plain["next"])
    walked = [v["slug"] for v in plain["results"] + rest["results"]]
    assert walked == [v.slug for v in Verdict.objects.order_by(*VERDICT_ORDER)]
    assert rest["next"] is None and rest["previous"]


def test_a_change_to_the_scale_shows_on_the_next_call(editor, verdicts):
    api = token_client(editor)
    before, _ = _sql(api, "/api/v1/verdicts/")
    _add_verdicts(1)
    Verdict.objects.filter(slug="true").update(label="Accurate")
    after, _ = _sql(api, "/api/v1/verdicts/")
    assert len(after["results"]) == len(before["results"]) + 1
    assert {v["label"] for v in after["results"] if v["slug"] == "true"} == {"Accurate"}


@pytest.mark.parametrize(
    "query",
    ["page_size=2", "page_size=abc", "cursor=bogus", "format=json"],
)
def test_any_parameter_takes_drfs_own_path(editor, verdicts, query):
    api = token_client(editor)
    api.get("/api/v1/verdicts/")
    with CaptureQueriesContext(connection) as queries:
        answer = api.get(f"/api/v1/verdicts/?{query}")
    read = _VERDICTS_FIRST_PAGE._compiled["default"]
    assert not any(read.name in q["sql"] for q in queries.captured_queries)
    if query == "page_size=abc":
        assert answer.status_code == 400
        assert "page_size must be a whole number" in answer.json()["detail"]
    elif query == "cursor=bogus":
        assert answer.status_code == 400
        assert "cursor is malformed" in answer.json()["detail"]
    else:
        assert answer.status_code == 200


def test_first_page_read_leaves_every_other_slice_and_order_to_the_queryset(verdicts):
    calls = []

    def read():
        calls.append(1)
        return ["prepared"]

    rows = 3
    verdicts_qs = rating_scale()
    first = FirstPageRead(verdicts_qs, read, VERDICT_ORDER, rows)
    assert first.order_by(*VERDICT_ORDER)[0:rows] == ["prepared"]
    assert calls == [1]
    # Another size, another order, a filter, the unordered slice: the queryset's own rows.
    assert list(first.order_by(*VERDICT_ORDER)[0:2]) == list(
        verdicts_qs.order_by(*VERDICT_ORDER)[0:2]
    )
    assert list(first.order_by("rating_value", "-id")[0:rows]) == list(
        verdicts_qs.order_by("rating_value", "-id")[0:rows]
    )
    assert list(first.order_by(*VERDICT_ORDER).filter(rating_value__gt=3)[0:rows]) == list(
        verdicts_qs.order_by(*VERDICT_ORDER).filter(rating_value__gt=3)[0:rows]
    )
    assert list(first[0:rows]) == list(verdicts_qs[0:rows])
    assert first.model is Verdict
    assert calls == [1]


@pytest.mark.parametrize("pool_mode", ["", "transaction"])
def test_a_prepared_read_without_parameters_runs_and_holds_its_constants(
    verdicts, settings, pool_mode
):
    settings.DATABASE_POOL_MODE = pool_mode  # transaction: the SQL is sent, not PREPAREd
    read = PreparedRead(lambda: Verdict.objects.filter(rating_value__gte=3).order_by("id"))
    expected = list(Verdict.objects.filter(rating_value__gte=3).order_by("id"))
    assert expected and read() == expected
    with CaptureQueriesContext(connection) as queries:
        assert read() == expected  # the second call EXECUTEs what the first PREPAREd
    (sql,) = [q["sql"] for q in queries.captured_queries]
    assert sql.startswith("EXECUTE ") == (pool_mode == ""), sql
    with pytest.raises(TypeError, match="expected"):
        read(pk=1)
