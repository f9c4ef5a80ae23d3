"""The outbox against the real sandbox servers: an in-memory keychain, the app wired to them."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import keyring
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

from leadcartel_desktop.app import AppContext, build_context
from leadcartel_desktop.domain.providers import (
    ProviderKind,
    ProviderSettings,
    SecretName,
    TwilioSettings,
)
from leadcartel_desktop.providers.factory import DefaultProviderFactory
from leadcartel_desktop.providers.http import Timeouts
from leadcartel_desktop.providers.keychain import KeyringSecretStore
from leadcartel_desktop.sandbox import Credentials, Sandbox
from leadcartel_desktop.sandbox.admin import admin_router
from leadcartel_desktop.sandbox.controls import Controls
from leadcartel_desktop.sandbox.http_server import HttpServer
from leadcartel_desktop.sandbox.tls import SandboxTls
from leadcartel_desktop.sandbox.twilio_api import TwilioApi
from leadcartel_desktop.services.messaging_ports import Connectivity
from leadcartel_desktop.services.sending import SendingPorts
from tests.conftest import FixedClock

# Short enough that "accept then time out" costs the test one second, not twenty.
TIMEOUTS = Timeouts(connect=2.0, read=1.0)


class MemoryKeyring(KeyringBackend):
    """A keychain that lives in this process only (the tests' stand-in for the OS one)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.entries.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


@contextmanager
def memory_keyring() -> Iterator[MemoryKeyring]:
    """keyring's backend, for the duration: a MemoryKeyring."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


def clock_at_real_time() -> FixedClock:
    """A hand-moved clock starting at the real time (the sandbox stamps messages with it)."""
    return FixedClock(datetime.now(UTC))


def twilio_settings(sandbox: Sandbox, base_url: str | None = None) -> ProviderSettings:
    credentials = sandbox.credentials
    return ProviderSettings(
        sms=ProviderKind.TWILIO,
        whatsapp=ProviderKind.TWILIO,
        twilio=TwilioSettings(
            account_sid=credentials.twilio_account_sid,
            from_number=credentials.twilio_from,
            whatsapp_from=credentials.whatsapp_from,
            base_url=base_url or sandbox.twilio_url,
        ),
        ca_bundle=str(sandbox.ca_bundle),
    )


def open_app(
    home: Path,
    clock: FixedClock,
    connectivity: Connectivity,
    settings: ProviderSettings,
    auth_token: str,
) -> AppContext:
    """The app on `home`, sending through Twilio-shaped `settings`, the token in the keychain."""
    factory = DefaultProviderFactory(timeouts=TIMEOUTS, clock=clock)
    ports = SendingPorts(factory, KeyringSecretStore(), connectivity)
    context = build_context(home, clock, ports)
    context.services.providers.save(settings)
    context.services.providers.save_secret(SecretName.TWILIO_AUTH_TOKEN, auth_token)
    return context


def bodies(sandbox: Any, kind: str = "sms") -> list[str]:
    return [item.data["body"] for item in sandbox.received("twilio", kind)]


class TwilioYetToCome:
    """Twilio settings for a loopback port where nothing listens yet (connections are refused),
    and the server that appears there later (`arrive`)."""

    def __init__(self, folder: Path) -> None:
        self._idle = socket.socket()  # holds the port, refusing connections, until arrive()
        self._idle.bind(("127.0.0.1", 0))
        self.port: int = self._idle.getsockname()[1]
        self.tls = SandboxTls.create(folder / "tls")
        self.credentials = Credentials()
        self.settings = ProviderSettings(
            sms=ProviderKind.TWILIO,
            twilio=TwilioSettings(
                account_sid=self.credentials.twilio_account_sid,
                from_number=self.credentials.twilio_from,
                base_url=f"https://127.0.0.1:{self.port}",
            ),
            ca_bundle=str(self.tls.ca_bundle),
        )
        self.server: HttpServer | None = None

    def arrive(self) -> TwilioApi:
        """The Twilio server starts on that port; returns it (what it received)."""
        self._idle.close()
        credentials = self.credentials
        api = TwilioApi(
            Controls("twilio"), credentials.twilio_account_sid, credentials.twilio_auth_token
        )
        context = self.tls.server.server_context()
        self.server = HttpServer(api, admin_router({"twilio": api}), port=self.port, tls=context)
        self.server.start()
        return api

    def close(self) -> None:
        self._idle.close()
        if self.server is not None:
            self.server.stop()
