"""An SMTP submission server on loopback (STARTTLS or implicit TLS, AUTH) keeping what it gets."""

from __future__ import annotations

import asyncio
import logging
import secrets
import ssl
import threading
import weakref
from email import policy
from email.parser import BytesParser
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from leadcartel_desktop.sandbox.controls import Controls, FaultKind
from leadcartel_desktop.sandbox.http_server import Request, Response

_REPLIES = {
    FaultKind.SERVER_ERROR: "451 4.3.0 Sandbox: temporary failure, nothing was kept",
    FaultKind.UNAVAILABLE: "451 4.3.2 Sandbox: service unavailable, nothing was kept",
    FaultKind.RATE_LIMIT: "451 4.7.1 Sandbox: too many messages, try again later",
    FaultKind.INVALID_NUMBER: "550 5.1.1 Sandbox: no such mailbox",
    FaultKind.UNSUBSCRIBED: "550 5.7.1 Sandbox: the recipient does not accept your mail",
}


# aiosmtpd logs every command line at DEBUG (AUTH included) and deprecation notes at WARNING.
logging.getLogger("mail.log").setLevel(logging.ERROR)


class _PortZeroController(Controller):
    """aiosmtpd's Controller, able to listen on a port the system picks (port 0)."""

    def _trigger_server(self) -> None:
        if self.port == 0 and self.server is not None:
            self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


class SmtpServer:
    """`implicit_tls` serves TLS from the first byte (port 465 style), else STARTTLS (587)."""

    def __init__(
        self,
        controls: Controls,
        tls: ssl.SSLContext,
        *,
        username: str,
        password: str,
        implicit_tls: bool = False,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.name = controls.server
        self.controls = controls
        self.username = username
        self.password = password
        self.implicit_tls = implicit_tls
        self._lock = threading.Lock()
        self._messages: list[bytes] = []
        self._refused: weakref.WeakSet[Session] = weakref.WeakSet()
        self._host, self._port, self._tls = host, port, tls
        self._controller: _PortZeroController | None = None

    @property
    def host(self) -> str:
        return self._host

    @property
    def port(self) -> int:
        """The listening port (the one the system picked, for port 0, once started)."""
        return int(self._controller.port) if self._controller is not None else self._port

    def start(self) -> SmtpServer:
        implicit = self.implicit_tls
        controller = _PortZeroController(
            self,
            hostname=self._host,
            port=self._port,
            ssl_context=self._tls if implicit else None,
            server_hostname="sandbox.localhost",
            tls_context=None if implicit else self._tls,
            require_starttls=not implicit,
            auth_require_tls=not implicit,  # implicit TLS is encrypted from the start
            authenticator=self._authenticate,
        )
        try:
            controller.start()
        except BaseException:
            controller.loop.close()  # it never ran: close it here (no unclosed-loop warning)
            raise
        self._controller = controller
        return self

    def stop(self) -> None:
        self.controls.stopping.set()
        if self._controller is not None:
            self._controller.stop()

    def raw_messages(self) -> list[bytes]:
        """Every message as the server received it (after DATA), oldest first."""
        with self._lock:
            return list(self._messages)

    def reset(self) -> None:
        with self._lock:
            self._messages.clear()

    def admin(self, request: Request, action: str) -> Response | None:
        return None

    # aiosmtpd hooks -----------------------------------------------------------------------
    def _authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        if session in self._refused:  # smtplib tries the next mechanism: refuse that too
            return AuthResult(success=False, handled=False)
        fault = self.controls.take_fault("AUTH")
        if fault is not None and fault.kind is FaultKind.UNAUTHORIZED:
            self._refused.add(session)
            return AuthResult(success=False, handled=False)
        if not isinstance(data, LoginPassword):
            return AuthResult(success=False, handled=False)
        good = data.login.decode() == self.username and secrets.compare_digest(
            data.password, self.password.encode()
        )
        return AuthResult(success=good, handled=False)

    async def handle_MAIL(  # noqa: N802 (aiosmtpd's hook name)
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        # Checked here rather than with aiosmtpd's auth_required, which warns on implicit TLS.
        if not session.authenticated:
            return "530 5.7.0 Authentication required"
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_DATA(  # noqa: N802 (aiosmtpd's hook name)
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        controls = self.controls
        if controls.latency_seconds:
            await asyncio.sleep(controls.latency_seconds)
        fault = controls.take_fault("DATA")
        if fault is not None and fault.kind in _REPLIES:
            return _REPLIES[fault.kind]
        raw = envelope.original_content or bytes(envelope.content or b"")
        with self._lock:
            self._messages.append(raw)
        parsed = BytesParser(policy=policy.default).parsebytes(raw, headersonly=True)
        queue_id = secrets.token_hex(6)
        controls.record(
            "email",
            f"email to {', '.join(envelope.rcpt_tos)}: {parsed.get('Subject', '')}",
            {
                "queue_id": queue_id,
                "mail_from": envelope.mail_from,
                "rcpt_tos": list(envelope.rcpt_tos),
                "subject": str(parsed.get("Subject", "")),
                "message_id": str(parsed.get("Message-ID", "")),
                "raw": raw.decode("utf-8", "replace"),
            },
        )
        if fault is not None and fault.kind is FaultKind.ACCEPT_THEN_TIMEOUT:
            await asyncio.sleep(fault.hold_seconds)  # kept, but the answer comes too late
        return f"250 2.0.0 Ok: queued as {queue_id}"
