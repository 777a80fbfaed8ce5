"""Time a whole article load: service + ingest + database, as the form and the API do it.

Run: ``.venv/bin/python bench/bench_load.py [repeats]``. Loads a ~100 KB HTML page and a
~2 MB text through ``article_ingest`` (duplicate checks, cleaning, extraction, the
article and revision rows) on the configured database, inside one transaction that is
rolled back at the end, so nothing is left behind. Prints milliseconds per load.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")

import django  # noqa: E402

django.setup()

from bench_ingest import build_html, build_text  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
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
        user = get_user_model().objects.create_user(username="bench-load-user")
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
    main()
