"""Helpers for the provider adapter tests: sandbox settings, secrets and outbox rows."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from leadcartel_desktop.domain.outbox import Channel, OutboxMessage, OutboxState
from leadcartel_desktop.domain.providers import (
    CloudSettings,
    ProviderKind,
    ProviderSettings,
    SecretName,
    SmtpSecurity,
    SmtpSettings,
    TwilioSettings,
)
from leadcartel_desktop.providers.factory import DefaultProviderFactory
from leadcartel_desktop.providers.http import Timeouts
from leadcartel_desktop.sandbox import Sandbox

# A read timeout short enough that "accept then time out" costs a second, not twenty.
TIMEOUTS = Timeouts(connect=2.0, read=1.0)
SMTP_TIMEOUT = 1.0
HOLD_SECONDS = 3.0  # how long the sandbox sits on an accepted message's answer


class DictSecrets:
    """A SecretStore in a dict (the keychain itself has its own tests)."""

    def __init__(self, values: dict[str, str] | None = None, *, available: bool = True) -> None:
        self.values = dict(values or {})
        self._available = available

    def available(self) -> bool:
        return self._available

    def get(self, name: str) -> str | None:
        return self.values.get(name)

    def set(self, name: str, value: str) -> None:
        self.values[name] = value

    def delete(self, name: str) -> None:
        self.values.pop(name, None)


def sandbox_secrets(sandbox: Sandbox) -> DictSecrets:
    creds = sandbox.credentials
    return DictSecrets({
        SecretName.SMTP_PASSWORD: creds.smtp_password,
        SecretName.TWILIO_AUTH_TOKEN: creds.twilio_auth_token,
        SecretName.CLOUD_TOKEN: creds.cloud_token,
    })  # fmt: skip


def sandbox_settings(
    sandbox: Sandbox,
    *,
    email: ProviderKind = ProviderKind.SMTP,
    sms: ProviderKind = ProviderKind.TWILIO,
    whatsapp: ProviderKind = ProviderKind.TWILIO,
    implicit_tls: bool = False,
    from_name: str = "Jürgen Müller",
    from_address: str = "billing@example.com",
) -> ProviderSettings:
    creds = sandbox.credentials
    server = sandbox.smtps if implicit_tls else sandbox.smtp
    return ProviderSettings(
        email=email,
        sms=sms,
        whatsapp=whatsapp,
        smtp=SmtpSettings(
            host=server.host,
            port=server.port,
            security=SmtpSecurity.TLS if implicit_tls else SmtpSecurity.STARTTLS,
            username=creds.smtp_username,
            from_name=from_name,
            from_address=from_address,
        ),
        twilio=TwilioSettings(
            account_sid=creds.twilio_account_sid,
            from_number=creds.twilio_from,
            whatsapp_from=creds.whatsapp_from,
            base_url=sandbox.twilio_url,
        ),
        cloud=CloudSettings(location_id=creds.cloud_location_id, base_url=sandbox.cloud_url),
        ca_bundle=str(sandbox.ca_bundle),
    )


def factory(clock: Any = None) -> DefaultProviderFactory:
    return DefaultProviderFactory(timeouts=TIMEOUTS, smtp_timeout=SMTP_TIMEOUT, clock=clock)


def row(
    channel: Channel,
    recipient: str,
    payload: dict[str, object],
    key: str = "key-1",
    created_at: datetime | None = None,
) -> OutboxMessage:
    """An outbox row as the worker hands it to a provider."""
    return OutboxMessage(
        id=1,
        channel=channel,
        recipient=recipient,
        payload=payload,
        idempotency_key=key,
        state=OutboxState.SENDING,
        created_at=created_at or datetime.now(UTC),
    )


def free_port() -> int:
    """A loopback port nothing listens on (connections to it are refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_sandbox(folder: Path, *, untrusted: bool = False) -> Iterator[Sandbox]:
    with Sandbox(folder, untrusted=untrusted) as sandbox:
        yield sandbox


@contextmanager
def login_page_server() -> Iterator[str]:
    """A loopback server answering everything 200 with HTML (a hotel's network login page)."""
    page = b"<html><body>Please sign in to the hotel network</body></html>"
    with answering(page, "text/html") as url:
        yield url


@contextmanager
def answering(body: bytes, content_type: str = "application/json") -> Iterator[str]:
    """A loopback server answering every GET and POST 200 with `body`."""

    class Fixed(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            self._answer()

        def do_POST(self) -> None:
            self._answer()

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Fixed)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
