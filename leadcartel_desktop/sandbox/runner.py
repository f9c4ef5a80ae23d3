"""Start and stop every sandbox server together: Twilio, cloud, SMTP (STARTTLS and TLS), admin."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from leadcartel_desktop.sandbox.admin import admin_router
from leadcartel_desktop.sandbox.cloud_api import CloudApi
from leadcartel_desktop.sandbox.controls import Controls, Fault, Received
from leadcartel_desktop.sandbox.http_server import HttpServer, Request, Response, json_response
from leadcartel_desktop.sandbox.smtp_server import SmtpServer
from leadcartel_desktop.sandbox.tls import SandboxTls
from leadcartel_desktop.sandbox.twilio_api import TwilioApi

# Offsets from --port-base: admin, twilio, cloud, smtp (STARTTLS), smtps (implicit TLS).
PORT_OFFSETS = {"admin": 0, "twilio": 1, "cloud": 2, "smtp": 3, "smtps": 4}


@dataclass(frozen=True, slots=True)
class Credentials:
    """The sandbox's made-up accounts; they open nothing anywhere else."""

    twilio_account_sid: str = "AC" + "5a4db0c5" * 4
    twilio_auth_token: str = "sandbox-twilio-auth-token"
    twilio_from: str = "+15005550006"
    whatsapp_from: str = "+14155238886"
    cloud_location_id: str = "sandbox-location"
    cloud_token: str = "pit-sandbox-private-integration-token"
    smtp_username: str = "sandbox"
    smtp_password: str = "sandbox-smtp-password"
    from_address: str = "billing@sandbox.example"


class _AdminOnly:
    """The admin server's own app: it speaks no provider shape."""

    name = "admin"

    def __init__(self) -> None:
        self.controls = Controls("admin")

    def handle(self, request: Request) -> Response:
        return json_response(404, {"message": "this is the sandbox admin server: see /_sandbox/"})

    def fault_response(self, fault: Fault, request: Request) -> Response:
        return self.handle(request)

    def reset(self) -> None:
        """Nothing to forget."""

    def admin(self, request: Request, action: str) -> Response | None:
        return None


class Sandbox:
    """All servers on loopback; `untrusted` serves a self-signed certificate the app must refuse.

    Made, it holds its CA (written to `folder`) and credentials; started, its servers listen.
    """

    def __init__(
        self,
        folder: Path,
        *,
        port_base: int = 0,
        host: str = "127.0.0.1",
        untrusted: bool = False,
        credentials: Credentials | None = None,
        on_receive: Callable[[Received], None] | None = None,
    ) -> None:
        self.folder = folder
        self.port_base = port_base
        self.host = host
        self.untrusted = untrusted
        self.credentials = credentials or Credentials()
        self.on_receive = on_receive
        self.tls = SandboxTls.create(folder)
        creds = self.credentials
        self.twilio = TwilioApi(
            Controls("twilio", on_receive),
            creds.twilio_account_sid,
            creds.twilio_auth_token,
            sms_number=creds.twilio_from,
            whatsapp_number=creds.whatsapp_from,
        )
        self.cloud = CloudApi(
            Controls("cloud", on_receive), creds.cloud_location_id, creds.cloud_token
        )
        context = (self.tls.untrusted if untrusted else self.tls.server).server_context()
        smtp = {"username": creds.smtp_username, "password": creds.smtp_password, "host": host}
        self.smtp = SmtpServer(
            Controls("smtp", on_receive), context, port=self._port("smtp"), **smtp
        )
        self.smtps = SmtpServer(Controls("smtps", on_receive), context, implicit_tls=True,
                                port=self._port("smtps"), **smtp)  # fmt: skip
        self._context = context
        self._targets: dict[str, Any] = {"twilio": self.twilio, "cloud": self.cloud,
                                         "smtp": self.smtp, "smtps": self.smtps}  # fmt: skip
        self._servers: dict[str, HttpServer] = {}  # bound when started
        self._running: list[Any] = []

    def _port(self, name: str) -> int:
        return self.port_base + PORT_OFFSETS[name] if self.port_base else 0

    def start(self) -> Sandbox:
        """Bind and serve every server; the ports are known from here on."""
        targets, host, context = self._targets, self.host, self._context
        try:
            for name, app, tls in (("admin", _AdminOnly(), None), ("twilio", self.twilio, context),
                                   ("cloud", self.cloud, context)):  # fmt: skip
                router = admin_router(targets, None if name == "admin" else name)
                server = HttpServer(app, router, host=host, port=self._port(name), tls=tls)
                self._servers[name] = server.start()
                self._running.append(server)
            for smtp in (self.smtp, self.smtps):
                smtp.start()
                self._running.append(smtp)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        while self._running:
            self._running.pop().stop()

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # Where things are ---------------------------------------------------------------------
    @property
    def ca_bundle(self) -> Path:
        return self.tls.ca_bundle

    @property
    def twilio_url(self) -> str:
        return self._servers["twilio"].url

    @property
    def cloud_url(self) -> str:
        return self._servers["cloud"].url

    @property
    def admin_url(self) -> str:
        return self._servers["admin"].url

    def controls(self, server: str) -> Controls:
        """twilio, cloud, smtp (STARTTLS) or smtps (implicit TLS)."""
        return self._targets[server].controls  # type: ignore[no-any-return]

    def received(self, server: str | None = None, kind: str | None = None) -> list[Received]:
        names = [server] if server else list(self._targets)
        return [item for name in names for item in self.controls(name).received(kind)]

    def reset(self) -> None:
        """Forget what arrived, faults, latency, limits and stored state, on every server."""
        for target in self._targets.values():
            target.controls.reset()
            target.reset()
