"""Benchmark: find the generated corpus of quoted passages (excerpts) in their texts.

Run with ``python bench/bench_excerpts.py``. Prints the share found, how many were placed on
the wrong words (must be 0), how many repeated excerpts were refused, and the time per
excerpt (finding, then building the text-fragment link), overall and by category.

The corpus is the tests' (``tests/excerpts/corpus.py``): real articles and transcripts,
excerpts with curly quotes, ellipsis cuts, typos, whitespace changes and repeated phrases.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from annotations.excerpts import Found, locate_excerpt, text_fragment  # noqa: E402
from tests.excerpts.corpus import generate, same_words  # noqa: E402


def main() -> None:
    cases = generate()
    outcome: dict[str, Counter[str]] = defaultdict(Counter)
    find_ms: list[float] = []
    link_ms: list[float] = []
    for case in cases:
        began = time.perf_counter()
        result = locate_excerpt(case.text, case.excerpt)
        find_ms.append((time.perf_counter() - began) * 1000)
        tally = outcome[case.category]
        if case.expected is None:
            tally["guessed (wrong)" if isinstance(result, Found) else "refused"] += 1
            continue
        if not isinstance(result, Found):
            tally["missed"] += 1
            continue
        if not same_words(case.text, (result.start, result.end), case.expected):
            tally["wrong"] += 1
            continue
        tally["found"] += 1
        began = time.perf_counter()
        link = text_fragment("https://news.example/page", case.text, result)
        link_ms.append((time.perf_counter() - began) * 1000)
        tally["linked" if ":~:text=" in link else "no link"] += 1

    total: Counter[str] = sum(outcome.values(), Counter())
    findable = len(cases) - total["refused"] - total["guessed (wrong)"]
    wrong = total["wrong"] + total["guessed (wrong)"]
    print(f"{len(cases)} excerpts over {len({c.text_name for c in cases})} texts")
    for category, tally in outcome.items():
        print(f"  {category:<18} {dict(tally)}")
    print(f"found: {total['found']}/{findable} ({total['found'] / findable:.1%})")
    print(f"wrong words: {wrong}")
    print(f"repeated excerpts refused: {total['refused']}")
    print(f"text-fragment links built: {total['linked']}/{total['found']}")
    print(
        f"find: {statistics.mean(find_ms):.2f} ms per excerpt "
        f"(p50 {statistics.median(find_ms):.2f}, max {max(find_ms):.1f}); "
        f"link: {statistics.mean(link_ms):.2f} ms per excerpt"
    )


if __name__ == "__main__":
    main()
