"""Reads compiled once per process (annotations/selectors/prepared.py, issue 17) give what
their querysets give, for any value, in any thread; and what cannot be prepared is
refused when it is declared, not wrong when it runs."""

from __future__ import annotations

import threading

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import Prefetch
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.renderers import JSONRenderer

from annotations.api.articles import ArticleSerializer
from annotations.api.authentication import ThrottledTokenAuthentication
from annotations.api.serializers import VerdictSerializer
from annotations.models import Article, Claim, ClaimMatch, MatchDecision, Verdict
from annotations.selectors import matches
from annotations.selectors.articles import article_in_detail, articles_in_detail
from annotations.selectors.claims import (
    _CLAIMS_OF_ARTICLE,
    assignees,
    claims_of_article,
    claims_with_sources_and_reviews,
)
from annotations.selectors.prepared import PreparedRead
from annotations.services.articles import article_load
from annotations.services.assignments import assignment_add
from annotations.services.claims import claim_create
from annotations.services.matching import match_decide
from annotations.services.workflow import claim_approve, claim_submit
from tests.api.fixtures import helpers
from tests.factories import QUOTE, make_claim

ed_api = helpers.ed_api

COLUMNS = ["id", "start", "end", "exact", "status", "verdict_id", "created_by_name"]
ROWS = ["source_rows", "review_rows", "assignee_rows"]


def _claims(rows: list[Claim]) -> list[tuple]:
    return [tuple(getattr(c, n) for n in COLUMNS + ROWS) + (c.verdict,) for c in rows]


@pytest.fixture
def two_articles(editor, reviewer, demo_article, demo_text):
    other = article_load(user=editor, text=demo_text + "\n\nA later paragraph.", outlet="AP")
    for article in (demo_article, other):
        claim_approve(
            claim=claim_submit(claim=make_claim(article, editor), user=editor),
            reviewer=reviewer,
            comment="ok",
        )
    claim_create(article=demo_article, user=editor, selector={"exact": "an estimated 40"})
    assignment_add(user=editor, person=reviewer, role="reviewer", article=demo_article)
    assignment_add(user=editor, person=editor, role="editor", article=demo_article)
    return demo_article, other


def test_claims_of_an_article_are_the_querysets_rows_for_each_article(two_articles):
    for article in two_articles:
        expected = list(
            claims_with_sources_and_reviews().filter(article=article).order_by("start", "end", "id")
        )
        assert expected, "each article has claims"
        assert _claims(claims_of_article(article)) == _claims(expected)
    assert claims_of_article(Article(pk=10**9)) == []


def test_the_article_answer_is_the_same_as_from_the_queryset(two_articles, editor):
    for article in two_articles:
        plain = (
            articles_in_detail()
            .prefetch_related(Prefetch("assignments", queryset=assignees()))
            .get(pk=article.pk)
        )
        prepared = article_in_detail(article.pk)
        render = JSONRenderer().render
        assert render(ArticleSerializer(prepared).data) == render(ArticleSerializer(plain).data)
    assert [a.person.username for a in article_in_detail(two_articles[0].pk).assignments.all()]
    assert article_in_detail(10**9) is None


def test_confirmed_checks_of_an_article_equal_those_by_claim_ids(two_articles, editor):
    article, other = two_articles
    earlier = Claim.objects.get(article=other)
    later = Claim.objects.filter(article=article).order_by("id").last()
    match_decide(claim=later, user=editor, decision=MatchDecision.SAME, earlier_claim=earlier)
    ids = list(Claim.objects.filter(article=article).values_list("id", flat=True))
    found = matches.confirmed_matches_of_article(article.pk)
    assert found == matches.confirmed_matches(ids)
    assert [c.id for c in found[later.pk]] == [earlier.pk]
    assert matches.confirmed_matches_of_article(other.pk) == {}
    assert ClaimMatch.objects.count() == 1


def test_the_token_read_gives_the_user_and_roles_in_one_query(editor, reviewer):
    auth = ThrottledTokenAuthentication()
    reviewer.groups.add(Group.objects.get(name="editor"))
    for person, roles in ((editor, {"editor"}), (reviewer, {"editor", "reviewer"})):
        key = Token.objects.create(user=person).key
        with CaptureQueriesContext(connection) as queries:
            user, token = auth.authenticate_credentials(key)
        assert (user.pk, token.key, user._factcheck_groups) == (person.pk, key, frozenset(roles))
        assert len(queries) == 1
    with pytest.raises(Exception, match="Invalid token"):
        auth.authenticate_credentials("0" * 40)


@pytest.mark.django_db(transaction=True)
def test_a_read_in_another_thread_uses_that_threads_connection(editor, demo_article):
    make_claim(demo_article, editor, ready=False)
    claims_of_article(demo_article)  # compiled here, in this thread
    answers: list = []

    def read() -> None:
        try:
            answers.append([c.exact for c in claims_of_article(demo_article)])
        finally:
            connection.close()

    worker = threading.Thread(target=read)
    worker.start()
    worker.join()
    assert answers == [[QUOTE]]


def test_what_cannot_be_prepared_is_refused(db, editor):
    with pytest.raises(ValueError, match="time as a constant"):
        PreparedRead(
            lambda pk: Article.objects.filter(pk=pk, created_at__lt=timezone.now()), pk=-1
        )(pk=1)
    with pytest.raises(ValueError, match="cannot prefetch"):
        PreparedRead(lambda pk: Article.objects.filter(pk=pk).prefetch_related("claims"), pk=-1)(
            pk=1
        )
    with pytest.raises(ValueError, match="not parameters"):
        PreparedRead(lambda pk: Article.objects.all(), pk=-1)(pk=1)
    read = PreparedRead(lambda pk: Article.objects.filter(pk=pk), pk=-1)
    with pytest.raises(TypeError, match="pk must be int"):
        read(pk="1")
    with pytest.raises(TypeError, match="expected"):
        read(id=1)


class GenericVerdict(serializers.ModelSerializer):
    class Meta:
        model = Verdict
        fields = VerdictSerializer.Meta.fields


def test_the_verdict_answer_by_hand_equals_drfs(verdicts):
    scale = list(Verdict.objects.order_by("id"))
    assert scale
    render = JSONRenderer().render
    assert render(VerdictSerializer(scale, many=True).data) == render(
        GenericVerdict(scale, many=True).data
    )


@pytest.mark.parametrize(
    ("article", "message"),
    [
        (10**9, "There is no article with id 1000000000."),
        (2**70, f"There is no article with id {2**70}."),
        (-3, "There is no article with id -3."),
        ("twelve", "Incorrect type. Expected pk value, received str."),
        (True, "Incorrect type. Expected pk value, received bool."),
        ([1], "Incorrect type. Expected pk value, received list."),
        (None, "This field may not be null."),
    ],
)
def test_a_claim_for_an_article_that_is_not_there_is_refused_and_nothing_written(
    ed_api, demo_article, article, message
):
    before = Claim.objects.count()
    response = ed_api.post(
        "/api/v1/claims/", {"article": article, "selector": {"exact": QUOTE}}, format="json"
    )
    assert (response.status_code, response.json()["article"]) == (400, [message])
    assert Claim.objects.count() == before


def test_the_article_id_may_come_as_text_as_drf_allowed(ed_api, demo_article):
    response = ed_api.post(
        "/api/v1/claims/",
        {"article": str(demo_article.pk), "selector": {"exact": QUOTE}},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert Claim.objects.get().article_id == demo_article.pk


def _statements_here() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements")
        return {name for (name,) in cursor.fetchall()}


def test_each_read_is_prepared_once_a_connection_and_again_on_a_new_one(db, demo_article):
    claims_of_article(demo_article)
    name = _CLAIMS_OF_ARTICLE._compiled["default"].name
    assert name in _statements_here()
    with CaptureQueriesContext(connection) as queries:
        claims_of_article(demo_article)
        claims_of_article(demo_article)
    assert [q["sql"].split("(")[0] for q in queries] == [f"EXECUTE {name}"] * 2


@pytest.mark.django_db(transaction=True)
def test_a_new_connection_prepares_again(editor, demo_article):
    make_claim(demo_article, editor, ready=False)
    assert [c.exact for c in claims_of_article(demo_article)] == [QUOTE]
    connection.close()  # the server forgets the statement with its session
    assert [c.exact for c in claims_of_article(demo_article)] == [QUOTE]
    assert _CLAIMS_OF_ARTICLE._compiled["default"].name in _statements_here()


def test_behind_a_transaction_pooler_nothing_is_prepared(db, demo_article, settings):
    settings.DATABASE_POOL_MODE = "transaction"
    with CaptureQueriesContext(connection) as queries:
        assert claims_of_article(demo_article) == []
    assert [q["sql"][:6] for q in queries] == ["SELECT"]


def test_a_read_inside_a_history_context_is_sent_alone_and_writes_keep_the_context(
    db, editor, demo_article
):
    import pghistory
    from pghistory.runtime import _inject_history_context

    claims_of_article(demo_article)  # prepared on this connection
    name = _CLAIMS_OF_ARTICLE._compiled["default"].name
    with pghistory.context(user=editor.pk, url="/test/") as context:  # as in a request
        with CaptureQueriesContext(connection) as queries:
            assert claims_of_article(demo_article) == []
            claim = claim_create(
                article=demo_article, user=editor, selector={"exact": "an estimated 40"}
            )
        assert _inject_history_context in connection.execute_wrappers  # put back
    sent = [q["sql"] for q in queries]
    assert sent[0].startswith(f"EXECUTE {name}(")  # no set_config in front of the read
    writes = [sql for sql in sent if sql.lstrip().upper().startswith(("INSERT", "UPDATE"))]
    assert writes == []  # every write went with the context in front of it…
    assert any("set_config('pghistory.context_id'" in sql for sql in sent)
    event = Claim.pgh_event_model.objects.get(pgh_obj=claim)  # …and its event has it
    assert event.pgh_context_id == context.id
    assert event.pgh_context.metadata["url"] == "/test/"


def test_the_claims_read_is_built_once_and_each_caller_gets_its_own(db, editor, demo_article):
    from annotations.selectors.claims import _claims_with_rows

    claim = make_claim(demo_article, editor, ready=False)
    narrowed = claims_with_sources_and_reviews().filter(pk=-1)
    assert list(narrowed) == []
    everything = claims_with_sources_and_reviews()
    assert [c.pk for c in everything] == [claim.pk]  # the filter above stayed its own
    assert claims_with_sources_and_reviews().query is not everything.query
    assert _claims_with_rows()._result_cache is None  # the template itself never runs
    assert claims_with_sources_and_reviews().get().source_rows is None  # none: NULL
