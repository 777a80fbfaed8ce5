"""The mixed load of bench/bench_mixed_load.py: newsroom API clients, each with its own token.

Reads, writes and workflow steps in the proportions a busy desk might produce. Every
write the client saw succeed is recorded (claim id, the statement and version it saw) and
written to $BENCH_OUT/seen.json when the run stops, with the answers counted by status
(and by second, `timeline`), so the driver can check each one against the database.

bench/scale/run adds two kinds of user (when its setup names them): `Reviewer` (reads the
review queue and comments; each comment seen created is checked too) and `Reader` (the
lag-tolerant reads: CSV export, ClaimReview feed, W3C container, the public page).
bench_mixed_load.py runs `Newsroom` alone.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import time
from collections import Counter
from pathlib import Path

from locust import HttpUser, between, events, task

SETUP = json.loads(Path(os.environ["BENCH_OUT"], "setup.json").read_text())
_tokens = itertools.cycle(SETUP["tokens"])
#: claim id -> {"statement": last statement seen saved, "version": its version, "writes": n}
SEEN: dict[int, dict] = {}
#: comment id -> claim id, for each comment a client saw created.
COMMENTS: dict[int, int] = {}
STATUSES: Counter[str] = Counter()
#: second (unix time) -> answers by status in that second.
TIMELINE: dict[int, Counter[str]] = {}


@events.request.add_listener
def _count(request_type, name, response, exception, **kwargs):
    status = getattr(response, "status_code", 0) if response is not None else 0
    key = f"{status or type(exception).__name__}"
    STATUSES[key] += 1
    TIMELINE.setdefault(int(time.time()), Counter())[key] += 1


@events.quitting.add_listener
def _dump(environment, **kwargs):
    Path(os.environ["BENCH_OUT"], "seen.json").write_text(
        json.dumps(
            {"claims": SEEN, "comments": COMMENTS, "statuses": STATUSES, "timeline": TIMELINE}
        )
    )


class Newsroom(HttpUser):
    weight = 3
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
            seen.update(statement=statement, version=response.json()["version"], in_doubt=[])
            seen["writes"] += 1
        elif response.status_code == 0 or response.status_code >= 500:
            # No answer (a server killed mid-request) or a 5xx: the edit may or may not have
            # been committed. Not a write seen to succeed; the check accepts either outcome.
            seen.setdefault("in_doubt", []).append(statement)
        elif response.status_code == 409:
            # Someone (or an edit in doubt) changed it: read it again, as a person would.
            fresh = self.client.get(f"/api/v1/claims/{claim_id}/", name="reload claim")
            if fresh.status_code == 200:
                body = fresh.json()
                seen.update(statement=body["statement"], version=body["version"], in_doubt=[])

    @task(1)
    def history(self) -> None:
        if self.mine:
            self.client.get(
                f"/api/v1/claims/{random.choice(self.mine)}/history/", name="claim history"
            )

    @task(1)
    def verdicts(self) -> None:
        self.client.get("/api/v1/verdicts/", name="verdicts")


class Reviewer(HttpUser):
    """A reviewer: the queue, a claim, and comments on claims (writes checked afterwards)."""

    weight = 1
    wait_time = between(0.5, 2.0)

    def on_start(self) -> None:
        self.client.headers["Authorization"] = f"Token {random.choice(SETUP['reviewers'])}"

    @task(3)
    def queue(self) -> None:
        self.client.get(f"/api/v1/claims/?article={SETUP['article']}&status=draft", name="queue")

    @task(1)
    def comment(self) -> None:
        if not SEEN:
            return
        claim_id = random.choice(list(SEEN))
        response = self.client.post(
            f"/api/v1/claims/{claim_id}/comments/",
            json={"body": f"Checked {random.getrandbits(32):x}"},
            name="comment",
        )
        if response.status_code == 201:
            COMMENTS[response.json()["id"]] = claim_id


class Reader(HttpUser):
    """Lag-tolerant reads (the replica's share): exports, feeds and the public page."""

    weight = 1
    wait_time = between(0.5, 2.0)

    def on_start(self) -> None:
        self.token = random.choice(SETUP["readers"])

    @task(3)
    def public_page(self) -> None:
        self.client.get(f"/published/{SETUP['article']}/", name="public page")

    @task(2)
    def claimreviews(self) -> None:
        self.client.get(
            "/api/v1/claimreviews/",
            headers={"Authorization": f"Token {self.token}"},
            name="ClaimReview feed",
        )

    @task(2)
    def annotations(self) -> None:
        self.client.get(
            "/api/v1/annotations/?page=first",
            headers={"Authorization": f"Token {self.token}"},
            name="W3C page",
        )

    @task(1)
    def export(self) -> None:
        self.client.get(
            f"/api/v1/export/claims.csv?article={SETUP['article']}",
            headers={"Authorization": f"Token {self.token}"},
            name="CSV export",
        )
