"""A small server-sent events client for the tests and the benchmark: an HTTP/1.1 GET
over a plain socket, read frame by frame (no library hides buffering from us)."""

from __future__ import annotations

import contextlib
import json
import socket
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit


@dataclass
class Frame:
    event: str = "message"
    data: str = ""
    id: str | None = None
    comments: list[str] = field(default_factory=list)

    @property
    def json(self) -> dict:
        return json.loads(self.data)


class EventStream:
    """One open stream. `status` and `headers` once connected; `next_frame()` each event."""

    def __init__(self, url: str, *, cookie: str = "", headers: dict[str, str] | None = None):
        parts = urlsplit(url)
        self.sock = socket.create_connection((parts.hostname, parts.port or 80), timeout=10)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        lines = [f"GET {path} HTTP/1.1", f"Host: {parts.netloc}", "Accept: text/event-stream"]
        if cookie:
            lines.append(f"Cookie: {cookie}")
        lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        self.buffer = b""
        head = self._read_until(b"\r\n\r\n", deadline=time.monotonic() + 10)
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        self.status = int(status_line.split()[1])
        self.headers = {
            k.strip().lower(): v.strip() for k, v in (h.split(":", 1) for h in header_lines if h)
        }
        self.chunked = self.headers.get("transfer-encoding", "").lower() == "chunked"
        self.text = ""

    def _recv(self, deadline: float) -> bool:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("no data from the stream in time")
        self.sock.settimeout(remaining)
        data = self.sock.recv(65536)
        if not data:
            return False
        self.buffer += data
        return True

    def _read_until(self, marker: bytes, deadline: float) -> bytes:
        while marker not in self.buffer:
            if not self._recv(deadline):
                raise EOFError("the stream ended")
        head, self.buffer = self.buffer.split(marker, 1)
        return head

    def _pull_text(self, deadline: float) -> None:
        """Move body bytes from the socket into `text` (undoing chunked encoding)."""
        if not self.chunked:
            if not self.buffer and not self._recv(deadline):
                raise EOFError("the stream ended")
            self.text += self.buffer.decode()
            self.buffer = b""
            return
        size_line = self._read_until(b"\r\n", deadline)
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            raise EOFError("the stream ended")
        while len(self.buffer) < size + 2:
            if not self._recv(deadline):
                raise EOFError("the stream ended")
        self.text += self.buffer[:size].decode()
        self.buffer = self.buffer[size + 2 :]

    def next_frame(self, timeout: float = 5.0, *, comments: bool = False) -> Frame:
        """The next event (comment-only frames are skipped unless `comments`)."""
        deadline = time.monotonic() + timeout
        while True:
            while "\n\n" not in self.text:
                self._pull_text(deadline)
            raw, self.text = self.text.split("\n\n", 1)
            frame = Frame()
            data: list[str] = []
            for line in raw.split("\n"):
                if line.startswith(":"):
                    frame.comments.append(line[1:].strip())
                    continue
                name, _, value = line.partition(":")
                value = value[1:] if value.startswith(" ") else value
                if name == "event":
                    frame.event = value
                elif name == "data":
                    data.append(value)
                elif name == "id":
                    frame.id = value
            frame.data = "\n".join(data)
            if data or comments:
                return frame

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.close()
