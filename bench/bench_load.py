"""Time a whole article load: service + ingest + database, as the form and the API do it.

Run: ``.venv/bin/python bench/bench_load.py [repeats]``. Loads a ~100 KB HTML page and a
~2 MB text through ``article_ingest`` (duplicate checks, cleaning, extraction, the
article and revision rows) in a throwaway database (migrated here, dropped at the end).
Prints milliseconds per load.
"""

from __future__ import annotations

import statistics
import sys
import time

from _bootstrap import django_setup, editor, throwaway_database

django_setup("bench_factcheck_load")

from bench_ingest import build_html, build_text  # noqa: E402
from django.db import transaction  # noqa: E402

from annotations.services.articles import article_ingest  # noqa: E402


def _time(label: str, make_input, repeats: int, user) -> None:
    times = []
    for i in range(repeats):
        kwargs = make_input(i)  # unique per run, so no load is refused as a duplicate
        start = time.perf_counter()
        loaded = article_ingest(user=user, **kwargs)
        times.append((time.perf_counter() - start) * 1000)
        assert loaded.created
    size = len(next(iter(make_input(0).values())).encode()) / 1000
    print(
        f"{label:<28} {size:>8.0f} KB   best {min(times):7.1f} ms   "
        f"median {statistics.median(times):7.1f} ms   ({repeats} loads)"
    )


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    html = build_html()
    text = build_text()
    with transaction.atomic():
        user = editor("bench-load-user")
        _time(
            "HTML page (article_ingest)",
            lambda i: {"html": html.replace("<p>", f"<p>Run {i}. ", 1)},
            repeats,
            user,
        )
        _time(
            "2 MB text (article_ingest)",
            lambda i: {"text": f"Run {i}\n\n" + text[: len(text) - 20]},
            repeats,
            user,
        )
        transaction.set_rollback(True)


if __name__ == "__main__":
    with throwaway_database():
        main()
