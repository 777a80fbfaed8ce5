"""The mixed load of bench/bench_mixed_load.py: newsroom API clients, each with its own token.

Reads, writes and workflow steps in the proportions a busy desk might produce. Every
write the client saw succeed is recorded (claim id, the statement and version it saw) and
written to $BENCH_OUT/seen.json when the run stops, with the answers counted by status,
so the driver can check each one against the database.
"""

from __future__ import annotations

import itertools
import json
import os
import random
from collections import Counter
from pathlib import Path

from locust import HttpUser, between, events, task

SETUP = json.loads(Path(os.environ["BENCH_OUT"], "setup.json").read_text())
_tokens = itertools.cycle(SETUP["tokens"])
#: claim id -> {"statement": last statement seen saved, "version": its version, "writes": n}
SEEN: dict[int, dict] = {}
STATUSES: Counter[str] = Counter()


@events.request.add_listener
def _count(request_type, name, response, exception, **kwargs):
    status = getattr(response, "status_code", 0) if response is not None else 0
    STATUSES[f"{status or type(exception).__name__}"] += 1


@events.quitting.add_listener
def _dump(environment, **kwargs):
    Path(os.environ["BENCH_OUT"], "seen.json").write_text(
        json.dumps({"claims": SEEN, "statuses": STATUSES})
    )


class Newsroom(HttpUser):
    wait_time = between(0.2, 1.0)

    def on_start(self) -> None:
        self.client.headers["Authorization"] = f"Token {next(_tokens)}"
        self.mine: list[int] = []

    @task(5)
    def list_claims(self) -> None:
        self.client.get(f"/api/v1/claims/?article={SETUP['article']}", name="list claims")

    @task(3)
    def read_article(self) -> None:
        self.client.get(f"/api/v1/articles/{SETUP['article']}/", name="read article")

    @task(3)
    def create_claim(self) -> None:
        span = random.choice(SETUP["spans"])
        statement = f"Load claim {random.getrandbits(48):x}"
        response = self.client.post(
            "/api/v1/claims/",
            json={
                "article": SETUP["article"],
                "selector": span,
                "statement": statement,
                "claimant": "a load test",
            },
            name="create claim",
        )
        if response.status_code == 201:
            body = response.json()
            SEEN[body["id"]] = {"statement": statement, "version": body["version"], "writes": 1}
            self.mine.append(body["id"])

    @task(2)
    def edit_claim(self) -> None:
        if not self.mine:
            return
        claim_id = random.choice(self.mine)
        seen = SEEN[claim_id]
        statement = f"Edited {random.getrandbits(48):x}"
        response = self.client.patch(
            f"/api/v1/claims/{claim_id}/",
            json={"statement": statement, "version": seen["version"]},
            name="edit claim",
        )
        if response.status_code == 200:
            seen.update(statement=statement, version=response.json()["version"])
            seen["writes"] += 1

    @task(1)
    def history(self) -> None:
        if self.mine:
            self.client.get(
                f"/api/v1/claims/{random.choice(self.mine)}/history/", name="claim history"
            )

    @task(1)
    def verdicts(self) -> None:
        self.client.get("/api/v1/verdicts/", name="verdicts")
