"""A local HTTP server on 127.0.0.1 serving recorded bodies, for spider tests (never the network).

Routes map a path (query string ignored unless the route includes one) to one response or a sequence of
responses served in turn (the last one repeats), so a test can script "429 with Retry-After, then 200".
Every request is recorded; a response can also be a transport fault (a truncated body, a connection reset). A
route can also be a function of the request (``add_handler``: method, path, body -> response), for APIs that page
through POST bodies.
``/robots.txt`` answers 404 (everything allowed) unless a route says otherwise.
"""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit


@dataclass
class Response:
    body: bytes | str = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "application/json"
    delay: float = 0.0  # seconds to wait before answering (a slow or hanging server)
    # A transport fault instead of a clean answer: "truncate" sends the headers (with the full Content-Length) and
    # half the body, then closes; "reset" closes the connection with a TCP RST before answering.
    fault: str | None = None

    def encoded(self) -> bytes:
        return self.body.encode() if isinstance(self.body, str) else self.body


class FixtureServer:
    def __init__(self) -> None:
        self.routes: dict[str, list[Response]] = {}
        self.handlers: dict[str, Callable[[str, str, bytes], Response]] = {}
        self.requests: list[tuple[str, str, dict[str, str]]] = []  # (method, path with query, headers)
        self.bodies: list[tuple[str, bytes]] = []  # (path, body) of POST requests
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                server.requests.append((self.command, self.path, dict(self.headers)))
                posted = getattr(self, "posted", b"") if self.command == "POST" else b""
                response = server._next(self.path, self.command, posted)
                if response.delay:
                    time.sleep(response.delay)
                body = response.encoded()
                if response.fault == "reset":
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    self.close_connection = True
                    self.connection.close()
                    return
                self.send_response(response.status)
                self.send_header("Content-Type", response.content_type)
                self.send_header("Content-Length", str(len(body)))
                for name, value in response.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                if response.fault == "truncate":
                    self.wfile.write(body[: len(body) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                self.wfile.write(body)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self.posted = self.rfile.read(length)
                server.bodies.append((self.path, self.posted))
                self.do_GET()

            def log_message(self, *args) -> None:  # keep test output clean
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        # Polled every 50 ms rather than the default 500: shutdown() waits for the poll, once per test.
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def add(self, path: str, *responses: Response | bytes | str | Path) -> None:
        """Serve ``responses`` in turn at ``path`` (a str/bytes/Path is a 200 JSON body)."""
        items = []
        for r in responses:
            if isinstance(r, Path):
                r = Response(r.read_bytes())
            elif not isinstance(r, Response):
                r = Response(r)
            items.append(r)
        with self._lock:
            self.routes[path] = items

    def add_handler(self, path: str, handler: Callable[[str, str, bytes], Response]) -> None:
        """Answer requests to ``path`` (query string ignored) with ``handler(method, path, body)``."""
        with self._lock:
            self.handlers[path] = handler

    def hits(self, path: str) -> int:
        return sum(1 for _, p, _ in self.requests if p == path or urlsplit(p).path == path)

    def _next(self, raw_path: str, method: str = "GET", body: bytes = b"") -> Response:
        handler = self.handlers.get(urlsplit(raw_path).path)
        if handler is not None:
            return handler(method, raw_path, body)
        with self._lock:
            queue = self.routes.get(raw_path) or self.routes.get(urlsplit(raw_path).path)
            if not queue:
                return Response(b'{"status": 404, "error": "Not found"}', status=404)
            return queue.pop(0) if len(queue) > 1 else queue[0]

    def __enter__(self) -> FixtureServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
