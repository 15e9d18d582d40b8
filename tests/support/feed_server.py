"""A local HTTP server for feed files, with ETag / Last-Modified and scripted failures."""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Resource:
    body: bytes
    content_type: str = "application/rss+xml; charset=utf-8"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    drip: float = 0.0  # > 0: a slow server, one byte every `drip` seconds
    etag: bool = True  # False: a server without validators (never answers 304)

    @property
    def tag(self) -> str:
        return '"' + hashlib.sha1(self.body).hexdigest()[:16] + '"'


@dataclass
class FeedServer:
    resources: dict[str, Resource] = field(default_factory=dict)
    log: list[tuple[str, int]] = field(default_factory=list)  # (path, status) per request

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        # A short poll interval: stop() waits for serve_forever to notice, once per test.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    def start(self) -> FeedServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopped.set()
        self._server.shutdown()
        self._server.server_close()

    def url(self, path: str) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}{path}"

    def put(self, path: str, body: bytes, **kwargs: Any) -> None:
        with self._lock:
            self.resources[path] = Resource(body, **kwargs)

    def statuses(self, path: str) -> list[int]:
        with self._lock:
            return [status for p, status in self.log if p == path]

    def _serve(self, path: str, if_none_match: str | None) -> tuple[int, Resource | None]:
        with self._lock:
            resource = self.resources.get(path)
            if resource is None:
                status = 404
            elif resource.status != 200:
                status = resource.status
            elif resource.etag and if_none_match == resource.tag:
                status = 304
            else:
                status = 200
            self.log.append((path, status))
        return status, resource

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                status, resource = server._serve(self.path, self.headers.get("If-None-Match"))
                body = resource.body if resource is not None and status == 200 else b""
                self.send_response(status)
                if resource is not None:
                    if resource.etag:
                        self.send_header("ETag", resource.tag)
                    self.send_header("Content-Type", resource.content_type)
                for name, value in resource.headers.items() if resource is not None else ():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if resource is not None and resource.drip:
                    self._drip(body, resource.drip)
                else:
                    self.wfile.write(body)

            def _drip(self, body: bytes, pause: float) -> None:
                """A server that trickles: the client's deadline, not ours, must end this."""
                for byte in body:
                    try:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                    except (BrokenPipeError, ConnectionResetError):
                        return
                    server._stopped.wait(pause)
                    if server._stopped.is_set():
                        return

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler
