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


def timed(function, repeats: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds of each run (CPU time is steadier on a shared machine)."""
    wall, cpu = [], []
    for _ in range(repeats):
        started, started_cpu = time.perf_counter(), time.process_time()
        function()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return wall, cpu


def main() -> None:
    started = time.perf_counter()
    default_model()
    print(f"model load: {(time.perf_counter() - started) * 1000:.0f} ms (once per process)")

    demo = DEMO.read_text(encoding="utf-8")
    article = (demo + "\n\n") * (50_000 // (len(demo) + 2) + 1)
    article = article[:50_000]
    count = len(sentences(article))
    wall, cpu = timed(lambda: suggest(article), 7)
    print(
        f"50,000-character article: {count} sentences, wall best {min(wall):.0f} ms / median "
        f"{statistics.median(wall):.0f} ms, CPU best {min(cpu):.0f} ms "
        f"({min(cpu) / count:.3f} ms per sentence)"
    )
    wall, cpu = timed(lambda: suggest(demo), 20)
    print(
        f"demo article ({len(demo):,} characters): wall median {statistics.median(wall):.1f} ms, "
        f"CPU best {min(cpu):.1f} ms"
    )

    from annotations.checkworthiness import training

    folder = training.default_transcripts()
    if folder.is_dir():
        # Unique sentences (no warm caches): every training transcript as one article each.
        articles = ["\n".join(t.sentences) for t in training.load_transcripts(folder)]
        lines = sum(len(sentences(a)) for a in articles)
        wall, cpu = timed(lambda: [suggest(a) for a in articles], 1)
        print(
            f"{len(articles)} transcripts as articles ({lines:,} sentences): "
            f"wall {wall[0]:.0f} ms, CPU {cpu[0]:.0f} ms ({cpu[0] / lines:.3f} ms per sentence)"
        )

    if "--skip-map" not in sys.argv:
        started = time.perf_counter()
        scores = training.leave_one_out(training.load_transcripts(folder))
        print(
            f"leave-one-transcript-out on {folder.name}/ "
            f"({time.perf_counter() - started:.0f} s): "
            f"P@5 {scores.p5:.3f}  P@10 {scores.p10:.3f}  MAP {scores.map:.3f}"
        )


if __name__ == "__main__":
    main()
