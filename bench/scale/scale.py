"""The scale run: factcheck on several "machines" (ports on loopback), loaded, then broken.

Run as root: ``bench/scale/run [--minutes 5] [--users 50] [--app-workers 2]``. It starts

  PostgreSQL 15 primary (:55432) ── streaming ──> replica (:55433, pg_basebackup -R)
  PgBouncer (:56432, session pooling) in front of both
  two app servers (the command `make serve-cmd` prints, :58001 and :58002)
  haproxy (:58000, round robin, health checks) in front of them
  one background worker (`manage.py worker`)

with Debian's PostgreSQL (/usr/lib/postgresql/15/bin), PgBouncer and haproxy (installed with
apt-get when missing). It migrates, seeds editors, reviewers and readers with tokens and one
article, and runs Locust headless (bench/locustfile.py: Newsroom, Reviewer, Reader) twice:
a quiet run, then a run in which at the midpoint one app server is killed (SIGKILL) and,
15 s later, the primary restarted (`pg_ctl restart -m fast`). After each run it prints the
throughput, p50/p95/p99, the answers by status (and, for the second run, by phase), and the
integrity check: every claim and comment a client saw succeed is in the primary, with the
last statement the client saw and a history entry per write. Everything it started is
stopped on the way out, and its temporary directory removed. docs/scale.md has the figures.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_mixed_load import CHECK as CLAIMS_CHECK
from served import PY, ROOT, serve_command

PGBIN = Path("/usr/lib/postgresql/15/bin")
PRIMARY, REPLICA, BOUNCER, BALANCER = 55432, 55433, 56432, 58000
APPS = (58001, 58002)
DB = "factcheck"
OS_USER = "postgres"  # PostgreSQL and PgBouncer refuse to run as root

SEED = """
import json, os
from django.contrib.auth.models import Group, User
from rest_framework.authtoken.models import Token
from annotations.roles import ensure_scale_and_roles
from annotations.services import claims as claim_services, workflow
from annotations.services.articles import article_load
ensure_scale_and_roles()
editors, reviewers = Group.objects.get(name="editor"), Group.objects.get(name="reviewer")
def people(prefix, group, count):
    keys = []
    for i in range(count):
        user = User.objects.create_user(f"{prefix}{i}", password=None)
        user.groups.add(group)
        keys.append(Token.objects.create(user=user).key)
    return keys
tokens = people("load", editors, 50)
reviewer_tokens = people("rev", reviewers, 20)
reader_tokens = people("reader", editors, 20)
text = open(os.environ["BENCH_TEXT"], encoding="utf-8").read()
editor = User.objects.get(username="load0")
article = article_load(user=editor, text=text, outlet="Bench")
text = article.current_revision.text
words = [w for w in set(text.split()) if len(w) > 6 and text.count(w) == 1][:40]
spans = [dict(exact=w, start=text.index(w), end=text.index(w) + len(w)) for w in words]
# One published check, so the public page has something to show.
claim = claim_services.claim_create(article=article, user=editor, selector=spans[0],
    verdict="mostly-true", explanation="Seeded for the scale run.", claimant="Bench")
claim_services.source_attach(claim=claim, user=editor, url="https://example.org/a",
    title="A source", kind="official_statement", stance="supports")
workflow.claim_submit(claim=claim, user=editor)
workflow.claim_approve(claim=claim, reviewer=User.objects.get(username="rev0"))
out = os.environ["BENCH_OUT"]
json.dump(dict(tokens=tokens, reviewers=reviewer_tokens, readers=reader_tokens,
               article=article.id, spans=spans[1:]), open(out + "/setup.json", "w"))
"""

COMMENTS_CHECK = """
import json, os
from annotations.models import Comment
seen = json.load(open(os.environ["BENCH_OUT"] + "/seen.json")).get("comments", {})
found = dict(Comment.objects.filter(id__in=[int(i) for i in seen]).values_list("id", "claim_id"))
wrong = [i for i, claim in seen.items() if found.get(int(i)) != claim]
print(json.dumps(dict(comments=len(seen), comments_missing=wrong)))
"""

REPLICA_CHECK = """
from django.db import connections
from annotations.models import Claim, Comment
def counts(alias):
    return (Claim.objects.using(alias).count(), Comment.objects.using(alias).count())
with connections["replica"].cursor() as c:
    c.execute("SELECT pg_is_in_recovery()")
    standby = c.fetchone()[0]
def commits(alias):
    with connections[alias].cursor() as c:
        c.execute("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()")
        return c.fetchone()[0]
import json
print(json.dumps(dict(standby=standby, primary=counts("default"), replica=counts("replica"),
                      commits={a: commits(a) for a in ("default", "replica")})))
"""


class Stack:
    """The processes and the data directory of one scale run; `stop()` removes them all."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.tmp = Path(tempfile.mkdtemp(prefix="factcheck-scale-"))
        shutil.chown(self.tmp, OS_USER, OS_USER)
        self.procs: dict[str, subprocess.Popen] = {}
        self.clusters: list[Path] = []
        self.password = secrets.token_hex(16)
        self.secret = secrets.token_urlsafe(50)
        self.log = self.tmp / "logs"
        self.log.mkdir()
        shutil.chown(self.log, OS_USER, OS_USER)

    # -- helpers -------------------------------------------------------------------------------

    def as_postgres(self, *args: str, **kwargs) -> subprocess.CompletedProcess:
        return subprocess.run(["runuser", "-u", OS_USER, "--", *args], check=True, **kwargs)

    def url(self, dbname: str = DB) -> str:
        return f"postgres://{OS_USER}:{self.password}@127.0.0.1:{BOUNCER}/{dbname}"

    def env(self) -> dict[str, str]:
        env = {
            **os.environ,
            "DEBUG": "0",
            "SECRET_KEY": self.secret,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "DATABASE_URL": self.url(),
            "DATABASE_REPLICA_URL": self.url(f"{DB}_replica"),
            "DATABASE_POOL_MODE": "session",
            "FACTCHECK_PROXY_COUNT": "1",
            "LOG_LEVEL": "ERROR",
        }
        env.pop("PYTEST_CURRENT_TEST", None)
        return env

    def manage(self, *args: str, capture: bool = False, **extra: str) -> str:
        result = subprocess.run(
            [PY, "manage.py", *args],
            cwd=ROOT,
            env={**self.env(), **extra},
            check=True,
            capture_output=capture,
            text=True,
        )
        return result.stdout if capture else ""

    def spawn(self, name: str, args: list[str], env: dict[str, str] | None = None) -> None:
        out = open(self.log / f"{name}.log", "w")  # noqa: SIM115 - closed with the process
        self.procs[name] = subprocess.Popen(
            args,
            cwd=ROOT,
            env=env or self.env(),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self, name: str, sig: int = signal.SIGTERM, wait: float = 25) -> None:
        proc = self.procs.pop(name, None)
        if proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
        try:
            proc.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()

    @staticmethod
    def wait_for(what: str, check, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while True:
            with contextlib.suppress(Exception):
                if check():
                    return
            if time.monotonic() > deadline:
                raise RuntimeError(f"{what} did not come up in {seconds:.0f} s")
            time.sleep(0.3)

    @staticmethod
    def answers(url: str) -> bool:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200

    # -- the pieces ------------------------------------------------------------------------------

    def start_postgres(self) -> None:
        primary, replica = self.tmp / "primary", self.tmp / "replica"
        self.as_postgres(
            str(PGBIN / "initdb"), "-D", str(primary), "-U", OS_USER, "--auth=trust",
            "--encoding=UTF8", "--locale=C.UTF-8", stdout=subprocess.DEVNULL,
        )  # fmt: skip
        with open(primary / "postgresql.conf", "a") as conf:
            conf.write(
                f"port = {PRIMARY}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.tmp}'\nmax_connections = 200\n"
                "wal_level = replica\nmax_wal_senders = 4\nhot_standby = on\n"
                "shared_buffers = 128MB\n"
            )
        self.clusters.append(primary)
        self.pg_ctl(primary, "start")
        self.as_postgres(str(PGBIN / "createdb"), "-h", "127.0.0.1", "-p", str(PRIMARY), DB)
        # The replica: a base backup that writes standby.signal and primary_conninfo (-R).
        self.as_postgres(
            str(PGBIN / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(PRIMARY), "-U", OS_USER,
            "-D", str(replica), "-R", "-X", "stream", "-c", "fast",
        )  # fmt: skip
        with open(replica / "postgresql.auto.conf", "a") as conf:
            conf.write(f"port = {REPLICA}\n")
        self.clusters.append(replica)
        self.pg_ctl(replica, "start")

    def pg_ctl(self, data: Path, *action: str) -> None:
        self.as_postgres(
            str(PGBIN / "pg_ctl"), "-D", str(data), "-l", str(self.log / f"{data.name}.log"),
            "-w", "-t", "60", *action, stdout=subprocess.DEVNULL,
        )  # fmt: skip

    def start_pgbouncer(self) -> None:
        userlist = self.tmp / "userlist.txt"
        userlist.write_text(f'"{OS_USER}" "{self.password}"\n')
        ini = self.tmp / "pgbouncer.ini"
        ini.write_text(
            "[databases]\n"
            f"{DB} = host=127.0.0.1 port={PRIMARY} dbname={DB}\n"
            f"{DB}_replica = host=127.0.0.1 port={REPLICA} dbname={DB}\n"
            "[pgbouncer]\n"
            f"listen_addr = 127.0.0.1\nlisten_port = {BOUNCER}\nunix_socket_dir = {self.tmp}\n"
            f"auth_type = scram-sha-256\nauth_file = {userlist}\n"
            # Session pooling: server-side cursors (the streamed CSV) and LISTEN (live
            # updates) keep working; CONN_MAX_AGE=0 makes a session one request long.
            "pool_mode = session\nmax_client_conn = 1000\ndefault_pool_size = 40\n"
            "server_login_retry = 1\nignore_startup_parameters = options\n"
        )
        for path in (userlist, ini):
            shutil.chown(path, OS_USER, OS_USER)
            path.chmod(0o600)
        self.spawn(
            "pgbouncer", ["runuser", "-u", OS_USER, "--", "pgbouncer", str(ini)], dict(os.environ)
        )
        self.wait_for("PgBouncer", lambda: self.psql_ok(self.url()))

    @staticmethod
    def psql_ok(url: str) -> bool:
        import psycopg2

        psycopg2.connect(url, connect_timeout=2).close()
        return True

    def prepare_app(self) -> None:
        self.manage("migrate", "--noinput", "-v0")
        self.manage("createcachetable")
        self.manage("collectstatic", "--noinput", "-v0")

    def start_apps(self) -> None:
        for i, port in enumerate(APPS, 1):
            self.spawn(f"app{i}", serve_command("127.0.0.1", port, self.workers))
        for port in APPS:
            self.wait_for(
                f"the app on :{port}",
                lambda port=port: self.answers(f"http://127.0.0.1:{port}/accounts/login/"),
            )

    def start_worker(self) -> None:
        self.spawn("worker", [PY, "manage.py", "worker"])

    def start_haproxy(self) -> None:
        cfg = self.tmp / "haproxy.cfg"
        servers = "\n".join(
            f"    server app{i} 127.0.0.1:{port} check inter 2s fall 3 rise 2"
            for i, port in enumerate(APPS, 1)
        )
        cfg.write_text(
            "global\n    maxconn 2000\n"
            "defaults\n    mode http\n    option forwardfor\n    option redispatch\n"
            # Retry only a connection that failed (the request never reached a server):
            # a POST sent to a server that died answering may have been committed.
            "    retries 2\n    retry-on conn-failure\n"
            "    timeout connect 2s\n    timeout client 60s\n    timeout server 60s\n"
            # A check waits as long as a slow page may: with `inter` as its timeout (1 s),
            # the last server left, slowed by twice its load, was taken down (503s).
            "    timeout check 5s\n"
            # Live streams (text/event-stream) are long reads: haproxy does not buffer
            # responses; a long tunnel timeout lets a quiet stream stay open.
            "    timeout tunnel 10m\n"
            f"frontend web\n    bind 127.0.0.1:{BALANCER}\n    default_backend apps\n"
            "backend apps\n    balance roundrobin\n"
            "    option httpchk\n    http-check send meth GET uri /accounts/login/ "
            "hdr Host 127.0.0.1\n"
            f"{servers}\n"
        )
        self.spawn("haproxy", ["haproxy", "-f", str(cfg), "-db"], dict(os.environ))
        self.wait_for(
            "haproxy", lambda: self.answers(f"http://127.0.0.1:{BALANCER}/accounts/login/")
        )

    def stop(self, keep: Path | None = None) -> None:
        for name in ["haproxy", "app1", "app2", "worker", "pgbouncer"]:
            self.kill(name)
        for name in list(self.procs):
            self.kill(name)
        for data in reversed(self.clusters):
            with contextlib.suppress(subprocess.CalledProcessError):
                self.pg_ctl(data, "stop", "-m", "fast")
        if keep is not None:  # the logs and each run's Locust files, not the databases
            for part in ["logs", "run1", "run2"]:
                if (self.tmp / part).exists():
                    shutil.copytree(self.tmp / part, keep / part, dirs_exist_ok=True)
        shutil.rmtree(self.tmp, ignore_errors=True)


def ensure_packages() -> None:
    missing = [p for p in ("pgbouncer", "haproxy") if shutil.which(p) is None]
    if missing:
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "install", "-y", "-qq", *missing], check=True, env=env)


def locust(stack: Stack, out: Path, users: int, seconds: int, during=None) -> dict:
    """One headless Locust run through haproxy; `during(start)` runs beside it."""
    out.mkdir()
    shutil.copy(stack.tmp / "setup.json", out / "setup.json")
    env = {**stack.env(), "BENCH_OUT": str(out)}
    proc = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "locust"),
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            "Newsroom",
            "Reviewer",
            "Reader",
            "--headless",
            "--users",
            str(users),
            "--spawn-rate",
            "25",
            "--run-time",
            f"{seconds}s",
            "--stop-timeout",
            "10",
            "--host",
            f"http://127.0.0.1:{BALANCER}",
            "--csv",
            str(out / "locust"),
            "--only-summary",
            "--loglevel",
            "ERROR",
            "--exit-code-on-error",
            "0",
        ],  # fmt: skip
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(out / "locust.log", "w"),  # noqa: SIM115 - closed with the process
    )
    start = time.time()
    events = during(start) if during else {}
    proc.wait(timeout=seconds + 120)
    seen = json.loads((out / "seen.json").read_text())
    with open(out / "locust_stats.csv", newline="") as f:
        rows = {row["Name"]: row for row in csv.DictReader(f)}
    checks = {}
    for code in (CLAIMS_CHECK, COMMENTS_CHECK, REPLICA_CHECK):
        text = stack.manage("shell", "-c", code, capture=True, BENCH_OUT=str(out))
        checks.update(json.loads(text.strip().splitlines()[-1]))
    return {"rows": rows, "seen": seen, "checks": checks, "events": events, "start": start}


def failures(stack: Stack, seconds: int):
    """At the midpoint, SIGKILL app server 1; 15 s later restart the primary."""

    def run(start: float) -> dict:
        events = {}
        time.sleep(max(0, start + seconds / 2 - time.time()))
        events["app1 killed"] = time.time()
        stack.kill("app1", signal.SIGKILL)
        time.sleep(15)
        events["primary restart begins"] = time.time()
        stack.pg_ctl(stack.clusters[0], "restart", "-m", "fast")
        events["primary back"] = time.time()
        time.sleep(10)
        events["primary back + 10 s"] = time.time()
        return events

    return run


def report(title: str, users: int, seconds: int, result: dict) -> bool:
    rows, seen, checks = result["rows"], result["seen"], result["checks"]
    total = rows["Aggregated"]
    print(f"\n== {title}: {users} users, {seconds} s, through haproxy")
    print(
        f"throughput {float(total['Requests/s']):.1f} req/s, {total['Request Count']} requests; "
        f"p50 {total['50%']} ms, p95 {total['95%']} ms, p99 {total['99%']} ms"
    )
    for name, row in sorted(rows.items()):
        if name != "Aggregated":
            print(
                f"  {name:<17} {row['Request Count']:>6} req  p50 {row['50%']:>5} ms  "
                f"p95 {row['95%']:>5} ms  p99 {row['99%']:>5} ms  failures {row['Failure Count']}"
            )
    statuses = seen["statuses"]
    print("answers by status:", ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items())))
    if result["events"]:
        marks = sorted(result["events"].items(), key=lambda item: item[1])
        edges = [("before", result["start"])] + [(n, t) for n, t in marks] + [("end", 1e12)]
        for (name, begin), (_, end) in zip(edges, edges[1:], strict=False):
            if name == "end":
                break
            counts: dict[str, int] = {}
            for second, by_status in seen["timeline"].items():
                # By whole seconds (the timeline's): an answer in the second of an event
                # counts after it.
                if int(begin) <= int(second) < int(end):
                    for status, n in by_status.items():
                        counts[status] = counts.get(status, 0) + n
            print(
                f"  from {name:<24} (+{begin - result['start']:5.1f} s): "
                + ", ".join(f"{k}: {v}" for k, v in sorted(counts.items()))
            )
    if result["events"]:
        errors = [
            f"+{int(second) - int(result['start'])} s "
            + " ".join(f"{k}:{v}" for k, v in sorted(by_status.items()) if k[0] not in "24")
            for second, by_status in sorted(seen["timeline"].items())
            if any(k[0] not in "24" for k in by_status)
        ]
        print("  seconds with 5xx or no answer:", "; ".join(errors) or "none")
    ok = not (
        checks["missing"]
        or checks["stale"]
        or checks["short_history"]
        or checks["comments_missing"]
    )
    print(
        f"integrity: {checks['seen']} claims created, {checks['writes']} claim writes and "
        f"{checks['comments']} comments seen succeed; missing {len(checks['missing'])}, "
        f"stale {len(checks['stale'])}, history short {len(checks['short_history'])}, "
        f"comments missing {len(checks['comments_missing'])} -> {'OK' if ok else 'FAILED'}"
    )
    print(
        f"replica (in recovery: {checks['standby']}): claims, comments {checks['replica']} "
        f"vs primary {checks['primary']}; transactions since start: primary "
        f"{checks['commits']['default']}, replica {checks['commits']['replica']}"
    )
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=5, help="length of each run")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--app-workers", type=int, default=2, help="uvicorn workers per server")
    parser.add_argument("--keep", type=Path, help="copy the logs and Locust files here at the end")
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("bench/scale/run runs as root (it installs packages and starts servers).")
    ensure_packages()
    seconds = int(args.minutes * 60)
    stack = Stack(args.app_workers)
    # SIGTERM / SIGINT end the run through the `finally` below, which stops everything.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        stack.start_postgres()
        stack.start_pgbouncer()
        stack.prepare_app()
        stack.manage(
            "shell",
            "-c",
            SEED,
            BENCH_OUT=str(stack.tmp),
            BENCH_TEXT=str(ROOT / "annotations" / "demo" / "defector-escape.txt"),
        )
        stack.start_apps()
        stack.start_worker()
        stack.start_haproxy()
        print(
            f"topology: primary :{PRIMARY} -> replica :{REPLICA}; PgBouncer :{BOUNCER} "
            f"(session); apps :{APPS[0]} :{APPS[1]} ({args.app_workers} uvicorn workers each); "
            f"haproxy :{BALANCER}; 1 worker; load: {os.getloadavg()[0]:.1f}"
        )
        first = locust(stack, stack.tmp / "run1", args.users, seconds)
        ok = report("Run 1 (steady)", args.users, seconds, first)
        second = locust(
            stack, stack.tmp / "run2", args.users, seconds, during=failures(stack, seconds)
        )
        ok = report("Run 2 (app1 SIGKILL, primary restart)", args.users, seconds, second) and ok
        print(f"\nload average after the runs: {os.getloadavg()}")
    finally:
        stack.stop(args.keep)
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
