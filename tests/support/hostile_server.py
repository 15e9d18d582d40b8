"""A scriptable HTTP server on 127.0.0.1 for the fetcher's tests.

Each path answers with a Reply: any status and headers, a body sent at once or streamed
(a slow drip, an endless stream), or raw bytes that need not be HTTP at all. The server
records what it saw (path and headers), how many body bytes it managed to send per path,
and how many requests were in flight at once.

Also here: ConnectLog, which records every outgoing socket connect a test's code attempts.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from email.utils import formatdate
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


@dataclass(frozen=True)
class Seen:
    """One request as the server received it (header names in lower case)."""

    path: str
    headers: dict[str, str]


@dataclass
class Reply:
    status: int = 200
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""  # sent with a Content-Length unless the headers carry their own
    stream: Callable[[], Iterable[bytes]] | None = None  # instead of body: close-delimited
    pause: float = 0.0  # seconds between two streamed chunks (a drip)
    raw: Callable[[], Iterable[bytes]] | None = None  # bytes written as they are, no HTTP
    hold: threading.Event | None = None  # answer only once this is set


Route = Reply | Callable[[Seen], Reply]


def redirect(location: str, status: int = 302) -> Reply:
    return Reply(status, [("Location", location)])


class HostileServer:
    def __init__(self) -> None:
        self._routes: dict[str, Route] = {}
        self._seen: list[Seen] = []
        self._sent: dict[str, int] = {}
        self._in_flight = 0
        self.peak_in_flight = 0
        self._cond = threading.Condition()
        self._stopping = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def __enter__(self) -> HostileServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}{path}"

    def route(self, path: str, reply: Route) -> str:
        """Answer `path` with `reply`; returns the path's URL on 127.0.0.1."""
        with self._cond:
            self._routes[path] = reply
        return self.url(path)

    def seen(self, path: str | None = None) -> list[Seen]:
        with self._cond:
            return [s for s in self._seen if path is None or s.path == path]

    def sent_bytes(self, path: str) -> int:
        with self._cond:
            return self._sent.get(path, 0)

    def wait_until(self, predicate: Callable[[HostileServer], bool], timeout: float) -> bool:
        """Wait (at most `timeout` s) until `predicate` holds; re-checked on every change."""
        with self._cond:
            return self._cond.wait_for(lambda: predicate(self), timeout)

    @property
    def in_flight(self) -> int:
        return self._in_flight

    # --- the server ---------------------------------------------------------------------

    def _arrive(self, seen: Seen) -> Route | None:
        with self._cond:
            self._seen.append(seen)
            self._in_flight += 1
            self.peak_in_flight = max(self.peak_in_flight, self._in_flight)
            self._cond.notify_all()
            return self._routes.get(seen.path)

    def _leave(self) -> None:
        with self._cond:
            self._in_flight -= 1
            self._cond.notify_all()

    def _count(self, path: str, sent: int) -> None:
        with self._cond:
            self._sent[path] = self._sent.get(path, 0) + sent
            self._cond.notify_all()

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.0"  # one request per connection; close ends a body

            def do_GET(self) -> None:
                seen = Seen(self.path, {k.lower(): v for k, v in self.headers.items()})
                route = server._arrive(seen)
                try:
                    if route is None:
                        reply = Reply(404, body=b"not here")
                    else:
                        reply = route(seen) if callable(route) else route
                    if reply.hold is not None:
                        while not reply.hold.wait(0.05):
                            if server._stopping.is_set():
                                return
                    self._answer(reply)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client hung up, as a fetcher that refuses a body should
                finally:
                    server._leave()

            def _answer(self, reply: Reply) -> None:
                if reply.raw is not None:
                    self._write_all(reply.raw(), reply.pause)
                    return
                head = [f"HTTP/1.1 {reply.status} {_phrase(reply.status)}"]
                names = {name.lower() for name, _ in reply.headers}
                if "date" not in names:
                    head.append(f"Date: {formatdate(usegmt=True)}")
                head += [f"{name}: {value}" for name, value in reply.headers]
                if reply.stream is None and "content-length" not in names:
                    head.append(f"Content-Length: {len(reply.body)}")
                head.append("Connection: close")
                self.wfile.write(("\r\n".join(head) + "\r\n\r\n").encode("latin-1"))
                self.wfile.flush()
                body = reply.stream() if reply.stream is not None else [reply.body]
                self._write_all(body, reply.pause)

            def _write_all(self, chunks: Iterable[bytes], pause: float) -> None:
                for index, chunk in enumerate(chunks):
                    # pacing, not synchronisation: a drip sends one chunk per `pause`
                    if index and pause and server._stopping.wait(pause):
                        return
                    if server._stopping.is_set():
                        return
                    self.wfile.write(chunk)
                    self.wfile.flush()
                    server._count(self.path, len(chunk))

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Whatever"


def endless(chunk: bytes) -> Callable[[], Iterator[bytes]]:
    """A stream that never ends on its own (the client must hang up)."""

    def chunks() -> Iterator[bytes]:
        while True:
            yield chunk

    return chunks


def repeated(chunk: bytes, times: int) -> Callable[[], Iterator[bytes]]:
    def chunks() -> Iterator[bytes]:
        for _ in range(times):
            yield chunk

    return chunks


class ConnectLog:
    """Records the address of every socket connect attempted while installed.

    It wraps whatever connect is in place (tests/conftest.py's loopback-only guard), so a
    refused address is recorded here and still never reached.
    """

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.addresses: list[tuple[str, int]] = []
        inner = socket.socket.connect
        inner_ex = socket.socket.connect_ex
        log = self

        def connect(sock: socket.socket, address: Any) -> None:
            log._record(address)
            inner(sock, address)

        def connect_ex(sock: socket.socket, address: Any) -> int:
            log._record(address)
            return inner_ex(sock, address)

        monkeypatch.setattr(socket.socket, "connect", connect)
        monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)

    def _record(self, address: Any) -> None:
        if isinstance(address, tuple) and len(address) >= 2:
            self.addresses.append((str(address[0]), int(address[1])))

    def hosts(self) -> set[str]:
        return {host for host, _ in self.addresses}


@contextlib.contextmanager
def running() -> Iterator[HostileServer]:
    with HostileServer() as server:
        yield server
