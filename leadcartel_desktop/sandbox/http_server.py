"""A threaded HTTP(S) loopback server, Nagle off, handing requests to a provider-shaped app."""

from __future__ import annotations

import contextlib
import json
import logging
import re
import socket
import socketserver
import ssl
import threading
import time
import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit

from leadcartel_desktop.sandbox.controls import Controls, Fault, FaultKind

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: Message
    body: bytes
    base_url: str

    def param(self, name: str, default: str = "") -> str:
        values = self.query.get(name)
        return values[0] if values else default

    def header(self, name: str) -> str:
        return str(self.headers.get(name, ""))

    def json(self) -> Any:
        return json.loads(self.body or b"{}", parse_float=Decimal)

    def form(self) -> dict[str, str]:
        pairs = parse_qs(self.body.decode("utf-8"), keep_blank_values=True)
        return {key: values[0] for key, values in pairs.items()}


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    body: bytes = b""
    content_type: str = "application/json"
    headers: tuple[tuple[str, str], ...] = field(default=())


def dumps(data: Any) -> bytes:
    """JSON with Decimals written as numbers (never through float)."""
    token = uuid.uuid4().hex

    def number(value: object) -> str:
        if isinstance(value, Decimal):
            return f"{token}{value:f}{token}"
        raise TypeError(f"{type(value).__name__} is not JSON serialisable")

    text = json.dumps(data, default=number, ensure_ascii=False)
    return re.sub(f'"{token}(-?[0-9.]+){token}"', r"\1", text).encode("utf-8")


def json_response(status: int, data: Any, headers: tuple[tuple[str, str], ...] = ()) -> Response:
    return Response(status, dumps(data), "application/json", headers)


class App(Protocol):
    """A provider shape: answers requests, and says how it refuses when told to fail."""

    name: str
    controls: Controls

    def handle(self, request: Request) -> Response: ...

    def fault_response(self, fault: Fault, request: Request) -> Response: ...

    def reset(self) -> None: ...

    def admin(self, request: Request, action: str) -> Response | None: ...


class AdminRouter(Protocol):
    def __call__(self, request: Request) -> Response: ...


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(
        self, address: tuple[str, int], app: App, admin: AdminRouter, tls: ssl.SSLContext | None
    ) -> None:
        self.app = app
        self.admin = admin
        self.tls = tls
        self.open_sockets: set[socket.socket] = set()
        self.sockets_lock = threading.Lock()
        super().__init__(address, _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind asks DNS for the host's full name (slow, pointless here).
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name, self.server_port = str(host), int(port)

    def get_request(self) -> tuple[socket.socket, Any]:
        connection, address = self.socket.accept()
        # Without this, loopback requests wait 40 ms for Nagle and delayed ACK each.
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if self.tls is not None:  # the handshake then runs in the request's own thread
            connection = self.tls.wrap_socket(
                connection, server_side=True, do_handshake_on_connect=False
            )
        with self.sockets_lock:
            self.open_sockets.add(connection)
        return connection, address

    def shutdown_request(self, request: Any) -> None:
        with self.sockets_lock:
            self.open_sockets.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        log.debug("sandbox %s: connection ended with an error", self.app.name, exc_info=True)

    def drop_connections(self) -> None:
        with self.sockets_lock:
            connections = list(self.open_sockets)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: a client's session reuses its connection
    server: _Server
    timeout = 60
    started = 0.0

    def parse_request(self) -> bool:
        self.started = time.perf_counter()
        return super().parse_request()

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("sandbox %s: %s", self.server.app.name, format % args)

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_PUT(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def _request(self) -> Request:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        parts = urlsplit(self.path)
        scheme = "https" if self.server.tls is not None else "http"
        host = self.headers.get("Host") or f"{self.server.server_name}:{self.server.server_port}"
        query = parse_qs(parts.query, keep_blank_values=True)
        return Request(self.command, parts.path, query, self.headers, body, f"{scheme}://{host}")

    def _serve(self) -> None:
        request = self._request()
        app, controls = self.server.app, self.server.app.controls
        if request.path.startswith("/_sandbox/"):
            self._write(self.server.admin(request))
            return
        wait = controls.admit()
        if wait is not None:
            self._write(app.fault_response(Fault(FaultKind.RATE_LIMIT, str(wait)), request))
            return
        waited = 0.0
        try:
            waited += self._hold(controls, controls.latency_seconds)
            fault = controls.take_fault(request.method)
            if fault is None:
                response = self._handle(app, request)
            elif fault.kind is FaultKind.ACCEPT_THEN_TIMEOUT:
                response = self._handle(app, request)
                waited += self._hold(controls, fault.hold_seconds)
            else:
                response = app.fault_response(fault, request)
            self._write(response)
        finally:
            controls.release()
        controls.add_handling_time(time.perf_counter() - self.started - waited)

    @staticmethod
    def _hold(controls: Controls, seconds: float) -> float:
        started = time.perf_counter()
        controls.hold(seconds)
        return time.perf_counter() - started

    @staticmethod
    def _handle(app: App, request: Request) -> Response:
        try:
            return app.handle(request)
        except Exception:
            log.exception("sandbox %s: bug while answering %s", app.name, request.path)
            return json_response(500, {"message": "sandbox bug (see the log)"})

    def _write(self, response: Response) -> None:
        try:
            self.send_response(response.status)
            self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(response.body)))
            for name, value in response.headers:
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(response.body)
            self.wfile.flush()
        except OSError:  # the client gave up (a held answer): nothing to tell it
            self.close_connection = True


class HttpServer:
    """One provider-shaped server on a loopback port, served from its own thread."""

    def __init__(
        self,
        app: App,
        admin: AdminRouter,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        tls: ssl.SSLContext | None = None,
    ) -> None:
        self.app = app
        self._server = _Server((host, port), app, admin, tls)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"sandbox-{app.name}",
            daemon=True,
        )

    @property
    def port(self) -> int:
        return self._server.server_port

    @property
    def url(self) -> str:
        scheme = "https" if self._server.tls is not None else "http"
        return f"{scheme}://{self._server.server_name}:{self.port}"

    def start(self) -> HttpServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.app.controls.stopping.set()  # wakes any held answer
        if self._thread.is_alive():
            self._server.shutdown()
        self._server.drop_connections()  # idle keep-alive connections would hold close() up
        self._server.server_close()
