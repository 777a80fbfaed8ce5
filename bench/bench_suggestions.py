"""Suggested claims: what computing and storing them adds to loading an article.

Run: ``.venv/bin/python bench/bench_suggestions.py [repeats]``. In a throwaway database
(migrated here, dropped at the end) it loads the demo article (an ordinary one) and a
50,000-character article (the demo repeated) through ``article_load``, first with the
suggestion step skipped ("before": ``annotations.services.articles.suggestions_compute``
patched to a no-op), then as the app runs it ("after"), and times
``suggestions_compute`` alone on the 50,000-character revision (the engine and the one
INSERT). Prints milliseconds, best and median, side by side. The issue's goal: suggestions
for 50,000 characters under 300 ms, ordinary loads not noticeably slower.
"""

from __future__ import annotations

import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

from _bootstrap import django_setup, editor, throwaway_database

django_setup("bench_factcheck_suggestions")

from django.db import transaction  # noqa: E402

from annotations.checkworthiness import default_model  # noqa: E402
from annotations.models import Suggestion  # noqa: E402
from annotations.services import articles  # noqa: E402
from annotations.services.articles import article_load  # noqa: E402
from annotations.services.suggestions import suggestions_compute  # noqa: E402

DEMO = Path(__file__).resolve().parent.parent / "annotations" / "demo" / "defector-escape.txt"


@contextmanager
def suggestions_skipped():
    with mock.patch.object(articles, "suggestions_compute", lambda *, revision: []):
        yield


def time_loads(text: str, repeats: int, user, tag: str) -> list[float]:
    times = []
    for i in range(repeats):
        unique = f"{tag} run {i}\n\n{text}"  # never refused as a duplicate
        with transaction.atomic():
            started = time.perf_counter()
            article_load(user=user, text=unique)
            times.append((time.perf_counter() - started) * 1000)
            transaction.set_rollback(True)
    return times


def time_compute(revision, repeats: int) -> tuple[list[float], int]:
    times, stored = [], 0
    for _ in range(repeats):
        with transaction.atomic():
            Suggestion.objects.filter(revision=revision).delete()
            started = time.perf_counter()
            stored = len(suggestions_compute(revision=revision))
            times.append((time.perf_counter() - started) * 1000)
            transaction.set_rollback(True)
    return times, stored


def fmt(times: list[float]) -> str:
    return f"best {min(times):6.1f} ms  median {statistics.median(times):6.1f} ms"


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    demo = DEMO.read_text(encoding="utf-8")
    long = ((demo + "\n\n") * (50_000 // (len(demo) + 2) + 1))[:50_000]
    default_model()  # loaded once per process; not part of any load
    with throwaway_database(), transaction.atomic():
        user = editor("bench-suggestions-user")
        for label, text in (("demo article", demo), ("50,000 characters", long)):
            with suggestions_skipped():
                before = time_loads(text, repeats, user, "before")
            after = time_loads(text, repeats, user, "after")
            extra = statistics.median(after) - statistics.median(before)
            print(
                f"load {label:<18} {len(text):>6} chars   before: {fmt(before)}   "
                f"after: {fmt(after)}   (+{extra:.1f} ms median, {repeats} loads each)"
            )
        with suggestions_skipped():
            article = article_load(user=user, text=long)
        times, stored = time_compute(article.current_revision, repeats)
        print(
            f"suggestions_compute alone, 50,000 characters: {fmt(times)}   "
            f"({stored} suggestions stored, one INSERT)"
        )
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
