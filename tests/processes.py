"""What tests that start processes of the app (a worker, the production server) share."""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

from tests.loopback import free_loopback_port

ROOT = Path(__file__).resolve().parents[1]


def test_database_url() -> str:
    """DATABASE_URL for a process of the app, naming the test database this run created."""
    db = connection.settings_dict
    user = quote(db.get("USER") or "", safe="")
    password = quote(db.get("PASSWORD") or "", safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    # The embedded server gives its socket directory as OPTIONS["host"], not HOST.
    host = db.get("HOST") or (db.get("OPTIONS") or {}).get("host") or ""
    name = quote(db["NAME"], safe="")
    port = f":{db['PORT']}" if db.get("PORT") else ""
    # A socket directory goes in the host, percent-encoded (dj-database-url reads it back).
    return f"postgres://{auth}{quote(host, safe='')}{port}/{name}"


test_database_url.__test__ = False  # type: ignore[attr-defined]  # not a test, despite its name


@contextmanager
def served_production(tmp_path: Path, workers: int = 2, **env_extra: str) -> Iterator[str]:
    """The command `make serve` ends with (`make serve-cmd` prints it), on the test
    database, DEBUG off; yields its base URL and stops its whole process group at the end.
    Needs `transactional_db`: the server is another process and sees only committed rows."""
    port = free_loopback_port()
    command = subprocess.run(
        ["make", "-s", "serve-cmd", "HOST=127.0.0.1", f"PORT={port}", f"WORKERS={workers}"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEST_", "PYTEST_"))}
    env.update(
        DATABASE_URL=test_database_url(),
        DEBUG="0",
        # The sessions the test logs in are signed with the test's key.
        SECRET_KEY=settings.SECRET_KEY,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        **env_extra,
    )
    log = tmp_path / "server.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            shlex.split(command), cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/verdicts.css", timeout=2) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the server did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.3)
        yield base
    finally:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
