"""50 newsroom API clients at once, then: is every write they saw succeed in the database?

Run: ``.venv/bin/python bench/bench_mixed_load.py [seconds]`` (default 60). Serves the app
as `make serve` does (bench/served.py: its own database, DEBUG=0, 127.0.0.1), seeds 50
editors with tokens and one article, runs Locust headless (bench/locustfile.py: list,
read, create, edit with the version read, history, verdicts) with 50 users for the given
time, and prints throughput, p50/p95/p99, the answers by status, and the integrity check:
every claim a client saw created exists, holds the last statement the client saw saved,
and has a history entry for each of those writes. Locust is a dev requirement only.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from served import PY, ROOT, served_app

USERS = 50

SEED = """
import json, os
from django.contrib.auth.models import Group, User
from rest_framework.authtoken.models import Token
from annotations.roles import ensure_scale_and_roles
from annotations.services.articles import article_load
ensure_scale_and_roles()
editors = Group.objects.get(name="editor")
tokens = []
for i in range({users}):
    user = User.objects.create_user(f"load{{i}}", password=None)
    user.groups.add(editors)
    tokens.append(Token.objects.create(user=user).key)
text = open(os.environ["BENCH_TEXT"], encoding="utf-8").read()
article = article_load(user=User.objects.get(username="load0"), text=text, outlet="Bench")
text = article.current_revision.text
words = [w for w in set(text.split()) if len(w) > 6 and text.count(w) == 1][:40]
spans = [dict(exact=w, start=text.index(w), end=text.index(w) + len(w)) for w in words]
out = os.environ["BENCH_OUT"]
json.dump(dict(tokens=tokens, article=article.id, spans=spans), open(out + "/setup.json", "w"))
"""

CHECK = """
import json, os
from annotations.models import Claim
from annotations.selectors.history import claim_history
seen = json.load(open(os.environ["BENCH_OUT"] + "/seen.json"))["claims"]
claims = {c.id: c for c in Claim.objects.filter(id__in=[int(i) for i in seen])}
missing = [i for i in seen if int(i) not in claims]
# The last statement seen saved, or an edit after it whose answer never came (in doubt).
stale = [i for i, s in seen.items() if int(i) in claims
         and claims[int(i)].statement not in [s["statement"], *s.get("in_doubt", [])]]
short = [i for i, s in seen.items() if int(i) in claims
         and len(claim_history(claims[int(i)])) < s["writes"]]
print(json.dumps(dict(seen=len(seen), writes=sum(s["writes"] for s in seen.values()),
                      missing=missing, stale=stale, short_history=short)))
"""


def main() -> None:
    seconds = int(sys.argv[1]) if len(sys.argv) > 1 else 60
    with tempfile.TemporaryDirectory(prefix="factcheck-load-") as out:
        os.environ["BENCH_OUT"] = out
        os.environ["BENCH_TEXT"] = str(ROOT / "annotations" / "demo" / "defector-escape.txt")

        def seed(env: dict[str, str]) -> None:
            code = SEED.format(users=USERS)
            subprocess.run([PY, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=True)

        with served_app(workers=3, prepare=seed) as (base, env):
            subprocess.run(
                [
                    str(ROOT / ".venv" / "bin" / "locust"),
                    "-f",
                    str(ROOT / "bench" / "locustfile.py"),
                    "Newsroom",
                    "--headless",
                    "--users",
                    str(USERS),
                    "--spawn-rate",
                    "25",
                    "--run-time",
                    f"{seconds}s",
                    "--stop-timeout",
                    "10",
                    "--host",
                    base,
                    "--csv",
                    f"{out}/locust",
                    "--only-summary",
                    "--loglevel",
                    "ERROR",
                    "--exit-code-on-error",
                    "0",
                ],
                cwd=ROOT,
                env={**env, "BENCH_OUT": out},
                check=True,
                timeout=seconds + 120,
                stdout=subprocess.DEVNULL,
            )
            check = subprocess.run(
                [PY, "manage.py", "shell", "-c", CHECK],
                cwd=ROOT,
                env={**env, "BENCH_OUT": out},
                check=True,
                capture_output=True,
                text=True,
            )
        integrity = json.loads(check.stdout.strip().splitlines()[-1])
        statuses = json.loads(Path(out, "seen.json").read_text())["statuses"]
        with open(f"{out}/locust_stats.csv", newline="") as f:
            rows = {row["Name"]: row for row in csv.DictReader(f)}

    total = rows["Aggregated"]
    print(f"{USERS} users, {seconds} s, gunicorn + uvicorn workers (make serve), loopback")
    print(
        f"throughput {float(total['Requests/s']):.1f} req/s, {total['Request Count']} requests; "
        f"p50 {total['50%']} ms, p95 {total['95%']} ms, p99 {total['99%']} ms"
    )
    for name, row in sorted(rows.items()):
        if name != "Aggregated":
            print(
                f"  {name:<16} {row['Request Count']:>6} req  p50 {row['50%']:>5} ms  "
                f"p95 {row['95%']:>5} ms  p99 {row['99%']:>5} ms  failures {row['Failure Count']}"
            )
    print("answers by status:", ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items())))
    ok = not (integrity["missing"] or integrity["stale"] or integrity["short_history"])
    print(
        f"integrity: {integrity['seen']} claims created, {integrity['writes']} writes seen "
        f"succeed; missing {len(integrity['missing'])}, stale {len(integrity['stale'])}, "
        f"history short {len(integrity['short_history'])} -> {'OK' if ok else 'FAILED'}"
    )
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
