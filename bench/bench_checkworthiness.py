"""Check-worthiness: leave-one-out MAP on the lab's training transcripts and suggestion speed.

Run: ``.venv/bin/python bench/bench_checkworthiness.py [--skip-map]``. No Django needed.
Prints figures only: leave-one-transcript-out MAP / P@5 / P@10 (CLEF CheckThat! 2019
Task 1, training folder), milliseconds per sentence for ``suggest``, and the time to
suggest spans for a 50,000-character article (the demo article repeated).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from annotations.checkworthiness import default_model, sentences, suggest  # noqa: E402

DEMO = ROOT / "annotations" / "demo" / "defector-escape.txt"


def timed(function, repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    started = time.perf_counter()
    default_model()
    print(f"model load: {(time.perf_counter() - started) * 1000:.0f} ms (once per process)")

    demo = DEMO.read_text(encoding="utf-8")
    article = (demo + "\n\n") * (50_000 // (len(demo) + 2) + 1)
    article = article[:50_000]
    count = len(sentences(article))
    times = timed(lambda: suggest(article), 5)
    best, median = min(times), statistics.median(times)
    print(
        f"50,000-character article: {count} sentences, best {best:.0f} ms, "
        f"median {median:.0f} ms ({median / count:.3f} ms per sentence)"
    )
    demo_times = timed(lambda: suggest(demo), 20)
    print(f"demo article ({len(demo):,} characters): median {statistics.median(demo_times):.1f} ms")

    if "--skip-map" not in sys.argv:
        from annotations.checkworthiness import training

        folder = training.default_transcripts()
        started = time.perf_counter()
        scores = training.leave_one_out(training.load_transcripts(folder))
        print(
            f"leave-one-transcript-out on {folder.name}/ "
            f"({time.perf_counter() - started:.0f} s): "
            f"P@5 {scores.p5:.3f}  P@10 {scores.p10:.3f}  MAP {scores.map:.3f}"
        )


if __name__ == "__main__":
    main()
