"""Do slow clients stop the app? (issue 11, item 1)

Run: ``.venv/bin/python bench/bench_slow_clients.py [seconds] [--sync]``. Starts the app the
way `make serve` does (bench/served.py: gunicorn + uvicorn workers, DEBUG=0, 127.0.0.1),
measures throughput of the login page with 8 keep-alive clients alone (before and after,
averaged: the machine may be shared), and while
50 slow clients hold connections open (25 send a header line every second, 25 send a
login form body 10 bytes a second), and prints both, the ratio and p99 latency. Goal: at
most 10 % loss. `--sync` serves with gunicorn's sync workers instead (the old
`make serve`), for comparison. Loopback only; bounded in time; stops its server.
"""

from __future__ import annotations

import http.client
import socket
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from served import ROOT, served_app

CLIENTS = 8
SLOW_HEADERS = 25
SLOW_BODIES = 25


def measure(port: int, seconds: float) -> tuple[float, float, int]:
    """Requests per second, p99 latency (s) and failures of CLIENTS keep-alive clients."""
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.monotonic() < stop:
            start = time.monotonic()
            try:
                conn.request("GET", "/accounts/login/")
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            with lock:
                if ok:
                    latencies.append(time.monotonic() - start)
                else:
                    failures[0] += 1
        conn.close()

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    began = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - began
    p99 = statistics.quantiles(latencies, n=100)[98] if len(latencies) > 2 else float("inf")
    return len(latencies) / elapsed, p99, failures[0]


def slow_clients(port: int, stop: threading.Event) -> list[threading.Thread]:
    def slow_headers() -> None:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
            s.sendall(b"GET /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            i = 0
            while not stop.wait(1.0):
                try:
                    s.sendall(f"X-Slow-{i}: {i}\r\n".encode())
                except OSError:
                    return  # the server hung up on us: fine
                i += 1

    def slow_body() -> None:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
            body_length = 100_000
            s.sendall(
                b"POST /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Content-Type: application/x-www-form-urlencoded\r\n"
                + f"Content-Length: {body_length}\r\n\r\n".encode()
            )
            while not stop.wait(1.0):
                try:
                    s.sendall(b"username=x")
                except OSError:
                    return

    threads = [threading.Thread(target=slow_headers, daemon=True) for _ in range(SLOW_HEADERS)]
    threads += [threading.Thread(target=slow_body, daemon=True) for _ in range(SLOW_BODIES)]
    for t in threads:
        t.start()
    return threads


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    seconds = float(args[0]) if args else 10.0
    command = None
    label = "gunicorn + uvicorn workers (make serve)"
    if "--sync" in sys.argv:
        label = "gunicorn sync workers (the old make serve)"
        command = [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "factcheck.wsgi",
            "--bind",
            "127.0.0.1:{port}",
            "--workers",
            "3",
        ]
    with served_app(workers=3, command=command) as (base, _env):
        port = int(base.rsplit(":", 1)[1])
        measure(port, 2)  # warm up
        alone, alone_p99, alone_fail = measure(port, seconds)
        stop = threading.Event()
        threads = slow_clients(port, stop)
        time.sleep(2)  # let every slow client connect and start dribbling
        loaded, loaded_p99, loaded_fail = measure(port, seconds)
        stop.set()
        for t in threads:
            t.join(timeout=5)
        # Once more alone: the machine is shared, so compare with the mean of before/after.
        after, after_p99, after_fail = measure(port, seconds)
        alone, alone_p99 = (alone + after) / 2, max(alone_p99, after_p99)
        alone_fail += after_fail
    print(f"server: {label}; {CLIENTS} clients, {seconds:.0f} s per measurement")
    print(
        f"alone:                 {alone:7.1f} req/s   p99 {alone_p99 * 1000:8.1f} ms   "
        f"failures {alone_fail}"
    )
    print(
        f"with 50 slow clients:  {loaded:7.1f} req/s   p99 {loaded_p99 * 1000:8.1f} ms   "
        f"failures {loaded_fail}"
    )
    ratio = loaded / alone if alone else 0.0
    print(f"ratio: {ratio:.2f} ({(1 - ratio) * 100:.0f} % loss; goal: at most 10 %)")


if __name__ == "__main__":
    main()
