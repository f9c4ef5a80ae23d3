"""`leadcartel sandbox`: loopback SMTP, Twilio and cloud servers to try sending without accounts."""

from __future__ import annotations

import argparse
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from leadcartel_desktop.domain.errors import UserFacingError
from leadcartel_desktop.domain.providers import (
    CloudSettings,
    ProviderKind,
    ProviderSettings,
    SecretName,
    SmtpSecurity,
    SmtpSettings,
    TwilioSettings,
)
from leadcartel_desktop.paths import resolve_paths

if TYPE_CHECKING:  # the servers (aiosmtpd, cryptography) load only when the command runs
    from leadcartel_desktop.sandbox import Received, Sandbox

DEFAULT_PORT_BASE = 8040
FROM_NAME = "Lead Cartel Sandbox"
_lock = threading.Lock()


def _out(text: str) -> None:
    with _lock:  # the servers' threads print what arrives
        sys.stdout.write(text)
        sys.stdout.flush()


def settings_for(sandbox: Sandbox) -> ProviderSettings:
    """The non-secret provider settings that point the app at this sandbox."""
    creds = sandbox.credentials
    return ProviderSettings(
        email=ProviderKind.SMTP,
        sms=ProviderKind.TWILIO,
        whatsapp=ProviderKind.TWILIO,
        smtp=SmtpSettings(
            host=sandbox.smtp.host,
            port=sandbox.smtp.port,
            security=SmtpSecurity.STARTTLS,
            username=creds.smtp_username,
            from_name=FROM_NAME,
            from_address=creds.from_address,
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


def secrets_for(sandbox: Sandbox) -> dict[SecretName, str]:
    creds = sandbox.credentials
    return {
        SecretName.SMTP_PASSWORD: creds.smtp_password,
        SecretName.TWILIO_AUTH_TOKEN: creds.twilio_auth_token,
        SecretName.CLOUD_TOKEN: creds.cloud_token,
    }


def write_settings(home: str | None, sandbox: Sandbox) -> str:
    """Save the settings in the book under `home` and the made-up secrets in the keychain."""
    from leadcartel_desktop.app import build_context

    context = build_context(home)
    try:
        context.services.providers.save(settings_for(sandbox))
        try:
            for name, value in secrets_for(sandbox).items():
                context.services.providers.save_secret(name, value)
        except UserFacingError as error:
            return (
                f"Settings saved in {context.paths.data}, but not the secrets: {error.message} "
                "Type the secrets below in Settings > Providers.\n"
            )
    finally:
        context.close()
    return f"Settings saved in {context.paths.data}, secrets in the system keychain.\n"


def describe(sandbox: Sandbox) -> str:
    settings, secrets, creds = settings_for(sandbox), secrets_for(sandbox), sandbox.credentials
    smtp, twilio, cloud = settings.smtp, settings.twilio, settings.cloud
    admin = sandbox.admin_url
    fault = '{"kind": "429", "retry_after": "2"}'
    trust = "a SELF-SIGNED certificate the app must refuse" if sandbox.untrusted else "its own CA"
    return "\n".join([
        f"Lead Cartel sandbox is running on loopback, TLS from {trust}.",
        "Nothing leaves this computer.",
        "",
        f"  Twilio (SMS, WhatsApp)  {sandbox.twilio_url}",
        f"  Lead Cartel cloud       {sandbox.cloud_url}",
        f"  SMTP with STARTTLS      {sandbox.smtp.host}:{sandbox.smtp.port}",
        f"  SMTP with TLS           {sandbox.smtps.host}:{sandbox.smtps.port}",
        f"  What arrived            {admin}/_sandbox/received",
        f"  CA bundle               {sandbox.ca_bundle}",
        "",
        "Settings > Providers:",
        f"  Certificate authority    {settings.ca_bundle}",
        "  Email                    SMTP",
        f"    Host {smtp.host}   Port {smtp.port}   Security STARTTLS"
        f"   (or port {sandbox.smtps.port} with TLS)",
        f"    User name {smtp.username}   Password {secrets[SecretName.SMTP_PASSWORD]}",
        f"    From name {smtp.from_name}   From address {smtp.from_address}",
        "  SMS and WhatsApp         Twilio",
        f"    Base URL {twilio.base_url}",
        f"    Account SID {twilio.account_sid}",
        f"    Auth token {secrets[SecretName.TWILIO_AUTH_TOKEN]}",
        f"    From number {twilio.from_number}   WhatsApp from {creds.whatsapp_from}",
        "  Lead Cartel cloud        (for any channel, and invoices)",
        f"    Base URL {cloud.base_url}   Location id {cloud.location_id}"
        f"   API version {cloud.api_version}",
        f"    Private integration token {secrets[SecretName.CLOUD_TOKEN]}",
        "",
        "Make the next request fail (servers: twilio, cloud, smtp, smtps):",
        f"  curl -X POST {admin}/_sandbox/twilio/faults -d '{fault}'",
        "  kinds: 500, 503, 429, accept_then_timeout, 21211, 21610, 401;"
        f" latency and limits: POST {admin}/_sandbox/twilio/config",
        "",
        "Received (Ctrl+C stops the sandbox):",
        "",
    ])  # fmt: skip


def _show(item: Received) -> None:
    _out(f"  {item.at.astimezone():%H:%M:%S}  {item.server:<6}  {item.summary}\n")


def wait_until_interrupted() -> None:
    """Block until Ctrl+C (a short wait in a loop, so the signal is seen on every platform)."""
    stop = threading.Event()
    while not stop.wait(0.5):
        pass


def run(args: argparse.Namespace) -> int:
    from leadcartel_desktop.sandbox import Sandbox
    from leadcartel_desktop.sandbox.runner import PORT_OFFSETS

    paths = resolve_paths(args.home)
    folder = Path(args.folder) if args.folder else paths.data / "sandbox"
    base = args.port_base
    try:
        sandbox = Sandbox(folder, port_base=base, untrusted=args.untrusted, on_receive=_show)
        sandbox.start()
    except OSError as error:
        last = base + max(PORT_OFFSETS.values())
        where = f"ports {base}-{last}" if base else "loopback"
        raise UserFacingError(
            f"the sandbox cannot start on {where} ({error.strerror or error}); "
            "another program may be using them: try --port-base with another number"
        ) from None
    try:
        if args.write_settings:
            _out(write_settings(args.home, sandbox))
        _out(describe(sandbox))
        wait_until_interrupted()
    except KeyboardInterrupt:
        pass
    finally:
        sandbox.stop()
    _out("Sandbox stopped.\n")
    return 0


def add_parser(top: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sandbox = top.add_parser(
        "sandbox",
        help="run loopback SMTP, Twilio and cloud servers to try sending without accounts",
        description="Loopback servers that speak the SMTP, Twilio and Lead Cartel cloud shapes; "
        "they show what they receive and can be told to fail. Ctrl+C stops them.",
    )
    sandbox.add_argument(
        "--port-base", type=int, default=DEFAULT_PORT_BASE, metavar="N",
        help="admin on N, Twilio N+1, cloud N+2, SMTP N+3, SMTP/TLS N+4 "
        f"(default {DEFAULT_PORT_BASE}; 0 picks free ports)",
    )  # fmt: skip
    sandbox.add_argument(
        "--write-settings", action="store_true",
        help="save these provider settings in the book (--home) and the sandbox's made-up "
        "secrets in the system keychain",
    )  # fmt: skip
    sandbox.add_argument("--folder", metavar="DIR", help="where the CA is written "
                         "(default: the data folder's sandbox/)")  # fmt: skip
    sandbox.add_argument(
        "--untrusted", action="store_true",
        help="serve a self-signed certificate, to see the app refuse it",
    )  # fmt: skip
    sandbox.set_defaults(handler=run, needs_book=False, standalone=True)
