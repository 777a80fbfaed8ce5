"""Concurrent writes in real transactions: threads, each with its own connection to
PostgreSQL (`transactional_db`), so locks, deadlocks and unique constraints are PostgreSQL's
own, not simulated.

- A version load and a claim save used to take the article and the claim in opposite
  orders and deadlock (issue 11, item 4).
- The same text loaded twice at once made two articles; "Add claim" doubled made two
  claims (item 5).
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections, transaction

from annotations.models import Article, ArticleRevision, Claim
from annotations.services import articles as article_services
from annotations.services import claims as claim_services
from annotations.services.articles import article_load, revision_load
from annotations.services.claims import source_attach
from annotations.services.errors import DuplicateArticle
from annotations.services.workflow import claim_submit
from tests.factories import QUOTE, make_claim

pytestmark = pytest.mark.django_db(transaction=True)


def start(fn: Callable[[], Any], results: dict[str, Any], name: str) -> threading.Thread:
    """Run `fn` in a thread with its own database connection; keep its result or error."""

    def run() -> None:
        try:
            results[name] = fn()
        except BaseException as exc:
            results[name] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, name=name, daemon=True)
    thread.start()
    return thread


def backends_waiting_for_a_lock() -> int:
    with connection.cursor() as cursor:
        # pg_stat_activity is read once per transaction unless the snapshot is cleared.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def wait_until(condition: Callable[[], bool], results: dict, timeout: float = 90.0) -> None:
    """Poll until `condition` holds (generous: the machine may be busy)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"the others never started waiting: {results}"
        time.sleep(0.02)


def _attach(claim, user):
    return lambda: source_attach(claim=claim, user=user, title="Late source")


def _submit(claim, user):
    return lambda: claim_submit(claim=claim, user=user)


@pytest.mark.parametrize("save", [_attach, _submit], ids=["source_attach", "claim_submit"])
def test_a_claim_save_during_a_version_load_does_not_deadlock(demo_article, editor, save):
    """The worst interleaving, made certain: the load waits for the article first, the save
    starts while the load waits, then both run. With claim-then-article locking the save
    held the claim the load needed while waiting for the article the load held."""
    claim = make_claim(demo_article, editor)
    results: dict[str, Any] = {}
    new_text = demo_article.current_revision.text + "\n\nA paragraph added in the update."
    work = save(claim, editor)

    def save_alone() -> Any:
        # Its own transaction, so no retry can hide a deadlock: lock order alone must hold.
        with transaction.atomic():
            return work()

    with transaction.atomic():  # a third party holds the article, so both must queue
        Article.objects.select_for_update().get(pk=demo_article.pk)
        loader = start(
            lambda: revision_load(article=demo_article, user=editor, text=new_text),
            results,
            "load",
        )
        wait_until(lambda: backends_waiting_for_a_lock() >= 1, results)
        saver = start(save_alone, results, "save")
        wait_until(lambda: backends_waiting_for_a_lock() >= 2, results)
    loader.join(30)
    saver.join(30)
    assert not loader.is_alive() and not saver.is_alive()
    errors = {name: repr(r) for name, r in results.items() if isinstance(r, BaseException)}
    assert not errors, errors
    assert ArticleRevision.objects.filter(article=demo_article).count() == 2
    assert Claim.objects.get(pk=claim.pk).revision_id == results["load"].revision.pk


def test_the_same_text_loaded_twice_at_once_makes_one_article(editor, demo_text, monkeypatch):
    """Both loads look for a duplicate before either has committed (the barrier makes that
    certain), so only the database can refuse the second one."""
    both_checked = threading.Barrier(2)
    real_find = article_services.article_find_duplicate

    def find_then_wait(**kwargs):
        found = real_find(**kwargs)
        if kwargs.get("text_hash"):
            with contextlib.suppress(threading.BrokenBarrierError):
                both_checked.wait(timeout=10)
        return found

    monkeypatch.setattr(article_services, "article_find_duplicate", find_then_wait)
    results: dict[str, Any] = {}
    threads = [
        start(lambda: article_load(user=editor, text=demo_text), results, name)
        for name in ("one", "two")
    ]
    for thread in threads:
        thread.join(30)
    assert Article.objects.count() == 1
    article = Article.objects.get()
    outcomes = sorted(type(r).__name__ for r in results.values())
    assert outcomes == ["Article", "DuplicateArticle"], results
    refused = next(r for r in results.values() if isinstance(r, DuplicateArticle))
    assert refused.status == 409
    assert refused.as_dict()["existing_id"] == article.pk
    assert "exactly the same text" in refused.message


def test_add_claim_doubled_with_one_key_creates_one_claim(demo_article, editor, monkeypatch):
    """Two requests with the same key start together (a double click, a retry racing the
    first): one claim, and both answers name it."""
    together = threading.Barrier(2)
    real_require = claim_services._require_editor

    def require_then_wait(user):
        real_require(user)
        with contextlib.suppress(threading.BrokenBarrierError):
            together.wait(timeout=10)

    monkeypatch.setattr(claim_services, "_require_editor", require_then_wait)
    results: dict[str, Any] = {}

    def add() -> Claim:
        return claim_services.claim_create(
            article=demo_article, user=editor, selector={"exact": QUOTE}, idempotency_key="dbl"
        )

    threads = [start(add, results, name) for name in ("first", "second")]
    for thread in threads:
        thread.join(30)
    assert Claim.objects.filter(article=demo_article).count() == 1
    claim = Claim.objects.get(article=demo_article)
    assert [getattr(r, "pk", r) for r in results.values()] == [claim.pk, claim.pk]
