"""Helpers for the Send invoice tests: the app wired to the sandbox, a customer and a draft."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from pathlib import Path

from leadcartel_desktop.app import AppContext, build_context
from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.domain.invoice import InvoiceContent
from leadcartel_desktop.domain.providers import SecretName
from leadcartel_desktop.domain.totals import LineItem
from leadcartel_desktop.providers.keychain import KeyringSecretStore
from leadcartel_desktop.sandbox import Sandbox
from leadcartel_desktop.services.registry import Services
from leadcartel_desktop.services.sending import AlwaysOnline, SendingPorts
from tests.conftest import FixedClock
from tests.integration.provider_support import factory, sandbox_settings
from tests.integration.sandbox_support import MemoryKeyring, memory_keyring
from tests.ui.invoice_support import VAT, set_up_business


@contextmanager
def gc_on_main_thread() -> Iterator[None]:
    """Collect garbage only here, on the GUI thread, while the sandbox's threads run.

    A collection triggered on a server thread would free Qt objects off the GUI thread.
    """
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.collect()
        gc.enable()


@contextmanager
def sandbox_app(
    home: Path, clock: FixedClock, folder: Path, *, configure: bool = True
) -> Iterator[tuple[AppContext, Sandbox, MemoryKeyring]]:
    """The app on `home` with the sandbox's providers (saved unless `configure` is False)."""
    with memory_keyring() as keys, Sandbox(folder) as sandbox:
        ports = SendingPorts(factory(clock), KeyringSecretStore(), AlwaysOnline())
        context = build_context(home, clock, ports)
        try:
            set_up_business(context.services)
            if configure:
                providers = context.services.providers
                providers.save(sandbox_settings(sandbox))
                creds = sandbox.credentials
                providers.save_secret(SecretName.SMTP_PASSWORD, creds.smtp_password)
                providers.save_secret(SecretName.TWILIO_AUTH_TOKEN, creds.twilio_auth_token)
            yield context, sandbox, keys
        finally:
            context.close()


def draft_for_ada(services: Services) -> int:
    contact = services.contacts.create(
        Contact("Ada", "Lovelace", "ada@example.com", phone="+65 9123 4567")
    )
    content = InvoiceContent(
        contact_id=contact.id,
        currency="EUR",
        issue_date=date(2026, 3, 1),
        due_date=date(2026, 3, 31),
        lines=(LineItem("Consulting", Decimal(2), 5_000, (VAT,)),),
        terms="Bank transfer to IBAN DE02 1203 0000 0000 2020 51.",
    )
    return services.invoices.save_draft(content)
