"""Issue 17's comparison with doccano, made in pairs: this machine's speed changes by up to
2x from one minute to the next, so a figure of ours and one of doccano's taken minutes
apart compare the machine as much as the apps.

Run: ``.venv/bin/python bench/peer/side_by_side.py`` (not part of `make bench`: doccano.py
installs doccano from the package index on its first run). Each round runs doccano.py and
bench_api_paths.py one after the other — the order swapped every round — and divides
ours by doccano's within the round. It prints every round and the median ratio of each
path, against the issue's goal. ``BENCH_ROUNDS`` sets the number of rounds (5).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
ROUNDS = int(os.environ.get("BENCH_ROUNDS", 5))

#: (key, what, how ours compares, the goal, which way is better)
PATHS = [
    ("create", "create one claim per request", "× doccano's rate", 2.0, "higher"),
    ("fetch", "fetch one article with its 20 claims", "× doccano's time", 0.5, "lower"),
    ("cheapest", "cheapest authenticated request", "× doccano's time", 1.0, "lower"),
    ("me", "who am I (both apps' /me)", "× doccano's time", 1.0, "lower"),
]
#: doccano's cheapest request is its /v1/me: both of our rows are held to it.
PEER_KEY = {"me": "cheapest"}


def figures(script: Path) -> dict[str, float]:
    """Run one benchmark; the figures it wrote (its own table goes to our stdout)."""
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        env = {**os.environ, "BENCH_FIGURES": out.name}
        subprocess.run([sys.executable, str(script)], cwd=ROOT, env=env, check=True)
        return json.loads(Path(out.name).read_text(encoding="utf-8"))


def main() -> None:
    scripts = {"doccano": HERE / "doccano.py", "ours": ROOT / "bench" / "bench_api_paths.py"}
    ratios: dict[str, list[float]] = {key: [] for key, *_ in PATHS}
    for round_ in range(ROUNDS):
        order = ("doccano", "ours") if round_ % 2 == 0 else ("ours", "doccano")
        got = {}
        for who in order:
            print(f"\n== round {round_ + 1} of {ROUNDS}: {who}", flush=True)
            got[who] = figures(scripts[who])
        for key, *_ in PATHS:
            ratios[key].append(got["ours"][key] / got["doccano"][PEER_KEY.get(key, key)])
    print(f"\n{'path':<40}{'ours, each round':>36}{'median':>9}{'goal':>8}  met")
    for key, label, _unit, goal, better in PATHS:
        median = statistics.median(ratios[key])
        met = median >= goal if better == "higher" else median <= goal
        rounds = " ".join(f"{r:.2f}" for r in ratios[key])
        sign = "≥" if better == "higher" else "≤"
        print(
            f"{label:<40}{rounds:>36}{median:>9.2f}{sign:>4} {goal:<3.1f}  {'yes' if met else 'no'}"
        )
    print(f"(ratios are {', '.join(f'{k}: ours {u}' for k, _, u, *_ in PATHS)})")


if __name__ == "__main__":
    main()
