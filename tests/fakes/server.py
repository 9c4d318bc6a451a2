"""A reusable fake-server base: a real threaded HTTP server on 127.0.0.1 with shared fault knobs.

Every provider fake subclasses `FakeServer`, declares its routes and keeps its state under
`self.lock`. The base owns the socket, the serving thread, the request log and the faults that
the sync tests need: added latency, a dropped connection before or after a write is committed,
5xx answers, malformed or truncated bodies, and a hang longer than the client's timeout.

Threading: the server answers each connection on its own thread; handlers run while holding
`self.lock`, so fakes need no locking of their own. Latency and hangs happen outside the lock
and end at once when the server stops, so `stop()` never waits for a stalled request.

Use it as a context manager (or `start()`/`stop()` from a pytest fixture):

    with PodFake() as fake:
        client = PodClient(ClientConfig(base_url=fake.base_url, ...))
        fake.faults.drop_after_commit.next(1, operations={"issueInvoice"})
"""

from __future__ import annotations

import contextlib
import json
import random
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

MALFORMED_BODY = b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"
"""What a broken proxy sends instead of the provider's JSON: a complete answer that is not JSON."""


@dataclass
class FakeRequest:
    """One request as the fake saw it. `operation` is the route's name, set by the router."""

    method: str
    path: str
    query: list[tuple[str, str]]
    headers: dict[str, str]
    body: bytes
    operation: str = ""
    is_write: bool = False
    fault: str = ""
    """The fault knob that fired for this request, or '' when it was answered normally."""
    status: int = 0
    received_at: float = field(default_factory=time.monotonic)

    def header(self, name: str, default: str = "") -> str:
        """A header by name, ignoring case."""
        wanted = name.lower()
        for key, value in self.headers.items():
            if key.lower() == wanted:
                return value
        return default

    def form(self) -> list[tuple[str, str]]:
        """The form-encoded body as ordered pairs (repeated keys kept)."""
        return parse_qsl(self.body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))


@dataclass
class FakeResponse:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/json; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


def json_response(payload: Any, status: int = 200, headers: dict[str, str] | None = None) -> FakeResponse:
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    return FakeResponse(status=status, body=body, headers=dict(headers or {}))


Handler = Callable[[FakeRequest], FakeResponse]


@dataclass(frozen=True)
class Route:
    """A resolved route: the operation's name, whether it writes state, and its handler."""

    name: str
    handler: Handler
    is_write: bool = False


@dataclass
class Knob:
    """One fault: fires for the next `remaining` matching requests, else with `probability`.

    `operations` limits it to those route names; `writes_only` to routes that change state.
    A knob is consulted only when no earlier knob fired for the request, and `remaining`
    counts down only when it fires, so a plan such as "drop the next issueInvoice" is exact.
    """

    name: str
    probability: float = 0.0
    remaining: int = 0
    operations: frozenset[str] | None = None
    writes_only: bool = False

    def next(self, count: int = 1, *, operations: Iterable[str] | None = None,
             writes_only: bool | None = None) -> Knob:
        """Fire for the next `count` matching requests."""
        self.remaining += count
        self._limit(operations, writes_only)
        return self

    def sometimes(self, probability: float, *, operations: Iterable[str] | None = None,
                  writes_only: bool | None = None) -> Knob:
        """Fire at random with `probability` (deterministic under the plan's seed)."""
        if not 0.0 <= probability <= 1.0:
            raise ValueError("a probability is between 0 and 1")
        self.probability = probability
        self._limit(operations, writes_only)
        return self

    def off(self) -> None:
        self.probability = 0.0
        self.remaining = 0
        self.operations = None
        self.writes_only = False

    def _limit(self, operations: Iterable[str] | None, writes_only: bool | None) -> None:
        if operations is not None:
            self.operations = frozenset(operations)
        if writes_only is not None:
            self.writes_only = writes_only

    def matches(self, route: Route) -> bool:
        if self.writes_only and not route.is_write:
            return False
        return self.operations is None or route.name in self.operations

    def fires(self, route: Route, rng: random.Random) -> bool:
        if not self.matches(route):
            return False
        if self.remaining > 0:
            self.remaining -= 1
            return True
        return self.probability > 0.0 and rng.random() < self.probability


class FaultPlan:
    """The fault knobs every fake shares, deterministic under `seed`.

    Order per request: latency (added, then the request goes on) → hang_before_commit (stall
    past the client's timeout, then drop without committing) → server_error (a 5xx, nothing
    committed) → drop_before_commit → the handler commits → drop_after_commit (the write
    happened, the client sees a reset) → hang_after_commit → truncated_body → malformed_body.
    """

    def __init__(self, seed: int = 0) -> None:
        self._lock = threading.Lock()
        self.rng = random.Random(seed)
        self.latency = Knob("latency")
        self.latency_seconds = 0.05
        self.hang_before_commit = Knob("hang_before_commit")
        self.hang_after_commit = Knob("hang_after_commit")
        self.hang_seconds = 5.0
        self.server_error = Knob("server_error")
        self.server_error_status = 503
        self.drop_before_commit = Knob("drop_before_commit")
        self.drop_after_commit = Knob("drop_after_commit")
        self.truncated_body = Knob("truncated_body")
        self.malformed_body = Knob("malformed_body")

    def reseed(self, seed: int) -> None:
        with self._lock:
            self.rng = random.Random(seed)

    @property
    def knobs(self) -> tuple[Knob, ...]:
        return (self.latency, self.hang_before_commit, self.server_error, self.drop_before_commit,
                self.drop_after_commit, self.hang_after_commit, self.truncated_body,
                self.malformed_body)

    def clear(self) -> None:
        for knob in self.knobs:
            knob.off()

    def check(self, knob: Knob, route: Route) -> bool:
        with self._lock:
            return knob.fires(route, self.rng)

    def pick(self, knobs: Iterable[Knob], route: Route) -> Knob | None:
        """The first of `knobs` that fires for this request, if any."""
        with self._lock:
            for knob in knobs:
                if knob.fires(route, self.rng):
                    return knob
        return None


class _Dropped(Exception):
    """The connection is being reset on purpose; nothing is sent."""


class _HttpServer(ThreadingHTTPServer):
    daemon_threads = False
    block_on_close = True
    allow_reuse_address = True

    def __init__(self, fake: FakeServer) -> None:
        self.fake = fake
        self._connections: set[socket.socket] = set()
        self._reset: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _RequestHandler)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self._connections.add(request)
        try:
            super().process_request_thread(request, client_address)
        finally:
            with self._connections_lock:
                self._connections.discard(request)

    def mark_reset(self, sock: socket.socket) -> None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        with self._connections_lock:
            self._reset.add(sock)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            was_reset = request in self._reset
            self._reset.discard(request)
        if was_reset:
            request.close()  # SO_LINGER 0: the peer gets a TCP reset, not a clean end
            return
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """Wake every handler blocked reading a kept-alive connection, so threads end."""
        with self._connections_lock:
            connections = list(self._connections)
        for sock in connections:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients going away mid-answer are expected under faults; stay quiet about them."""


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out as two writes; no 40 ms stalls
    server: _HttpServer

    def log_message(self, format: str, *args: Any) -> None:
        """The fake keeps its own request log; nothing goes to stderr."""

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        split = urlsplit(self.path)
        request = FakeRequest(
            method=self.command,
            path=split.path,
            query=parse_qsl(split.query, keep_blank_values=True),
            headers={key: value for key, value in self.headers.items()},
            body=body,
        )
        try:
            response = self.server.fake.dispatch(request)
        except _Dropped:
            self.close_connection = True
            self.server.mark_reset(self.connection)
            return
        truncated = request.fault == "truncated_body"
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        for key, value in response.headers.items():
            self.send_header(key, value)
        if truncated:
            self.send_header("Connection", "close")
        self.end_headers()
        if truncated:
            self.wfile.write(response.body[: len(response.body) // 2])
            self.wfile.flush()
            self.close_connection = True
            self.server.mark_reset(self.connection)
            return
        self.wfile.write(response.body)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _serve


class FakeServer:
    """Base of every provider fake: socket, thread, routing, request log, faults.

    Subclasses register routes with `route(method, path, handler, name=..., write=...)` or
    override `resolve()` when one URL carries many operations (Pod's service call).
    State belongs to the subclass and is only touched while holding `self.lock`.
    """

    provider = "fake"

    def __init__(self, *, seed: int = 0) -> None:
        self.lock = threading.RLock()
        self.faults = FaultPlan(seed)
        self._routes: dict[tuple[str, str], Route] = {}
        self._log: list[FakeRequest] = []
        self._log_lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: _HttpServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self) -> FakeServer:
        if self._server is not None:
            raise RuntimeError("the fake server is already running")
        self._stopping.clear()
        self._server = _HttpServer(self)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
            name=f"{self.provider}-fake-server", daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        if server is None or thread is None:
            return
        self._stopping.set()
        server.shutdown()
        server.close_connections()
        server.server_close()  # joins the handler threads (block_on_close)
        thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> FakeServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the fake server is not running")
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # -- routing -----------------------------------------------------------------------------

    def route(self, method: str, path: str, handler: Handler, *, name: str = "",
              write: bool = False) -> None:
        """Serve `method path` with `handler`; `write=True` marks it as changing state."""
        self._routes[(method.upper(), path)] = Route(name or path, handler, write)

    def resolve(self, request: FakeRequest) -> Route | None:
        """The route for a request; subclasses override for one-URL-many-operations APIs."""
        route = self._routes.get((request.method, request.path))
        if route is None and not request.path.endswith("/"):
            route = self._routes.get((request.method, request.path + "/"))
        return route

    def not_found(self, request: FakeRequest) -> FakeResponse:
        allowed = sorted(m for (m, p) in self._routes if p.rstrip("/") == request.path.rstrip("/"))
        if allowed:
            return json_response({"error": "method not allowed"}, 405, {"Allow": ", ".join(allowed)})
        return json_response({"error": f"no route for {request.method} {request.path}"}, 404)

    # -- the request pipeline ------------------------------------------------------------------

    def dispatch(self, request: FakeRequest) -> FakeResponse:
        route = self.resolve(request)
        if route is not None:
            request.operation, request.is_write = route.name, route.is_write
        with self._log_lock:
            self._log.append(request)
        if route is None:
            with self.lock:
                response = self.not_found(request)
            return self._answered(request, response)
        faults = self.faults
        if faults.check(faults.latency, route):
            self._pause(faults.latency_seconds)
        before = faults.pick((faults.hang_before_commit, faults.server_error,
                              faults.drop_before_commit), route)
        if before is not None:
            request.fault = before.name
            if before is faults.server_error:
                response = json_response({"error": "Service Unavailable"}, faults.server_error_status)
                return self._answered(request, response)
            if before is faults.hang_before_commit:
                self._pause(faults.hang_seconds)
            raise _Dropped
        with self.lock:
            response = route.handler(request)
        after = faults.pick((faults.drop_after_commit, faults.hang_after_commit,
                             faults.truncated_body, faults.malformed_body), route)
        if after is not None:
            request.fault = after.name
            if after is faults.hang_after_commit:
                self._pause(faults.hang_seconds)
            if after in (faults.drop_after_commit, faults.hang_after_commit):
                raise _Dropped
            if after is faults.malformed_body:
                response = FakeResponse(response.status, MALFORMED_BODY, "text/html")
        return self._answered(request, response)

    def _pause(self, seconds: float) -> None:
        """Sleep, but wake at once when the server stops."""
        self._stopping.wait(seconds)

    # -- request log ---------------------------------------------------------------------------

    @staticmethod
    def _answered(request: FakeRequest, response: FakeResponse) -> FakeResponse:
        request.status = response.status
        return response

    @property
    def requests(self) -> list[FakeRequest]:
        """Every request received so far, oldest first; `status` stays 0 while one is still
        being answered and for connections dropped on purpose."""
        with self._log_lock:
            return list(self._log)

    def count(self, operation: str | None = None) -> int:
        """How many requests reached the fake (for one operation, when given)."""
        return sum(1 for r in self.requests if operation is None or r.operation == operation)

    def clear_log(self) -> None:
        with self._log_lock:
            self._log.clear()
