"""A canary provider secret lives in the keychain only: not the database, WAL, logs, settings."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from leadcartel_desktop.app import AppContext
from leadcartel_desktop.cli import main
from leadcartel_desktop.domain.business import BusinessSettings
from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.domain.invoice import InvoiceContent
from leadcartel_desktop.domain.outbox import Channel, OutboxState
from leadcartel_desktop.domain.providers import SecretName
from leadcartel_desktop.domain.totals import LineItem
from leadcartel_desktop.sandbox import Credentials, Sandbox
from tests.conftest import FixedClock
from tests.integration.outbox_support import Switch
from tests.integration.sandbox_support import (
    MemoryKeyring,
    clock_at_real_time,
    open_app,
    twilio_settings,
)
from tests.ui.payments_book import WindowHarness

CANARY = f"canary-{uuid.uuid4().hex}"
OTHER_CANARIES = {
    SecretName.SMTP_PASSWORD: f"{CANARY}-smtp",
    SecretName.CLOUD_TOKEN: f"{CANARY}-pit",
}


@pytest.fixture
def now_clock() -> FixedClock:
    return clock_at_real_time()


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[Sandbox]:
    with Sandbox(tmp_path / "sandbox", credentials=Credentials(twilio_auth_token=CANARY)) as box:
        yield box


@pytest.fixture
def app_log(home: Path) -> Iterator[Path]:
    """Everything logged during the test, at DEBUG, in the app's log folder."""
    folder = home / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(folder / "leadcartel.log", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield folder
    root.removeHandler(handler)
    root.setLevel(previous)
    handler.close()


def _issued_invoice(app: AppContext) -> tuple[int, str]:
    services = app.services
    services.settings.save_business(BusinessSettings(company_name="Canary Ltd"))
    customer = services.contacts.create(Contact(first_name="Ann", phone="+6591234567"))
    content = InvoiceContent(
        contact_id=customer.id,
        currency="USD",
        issue_date=date(2026, 3, 1),
        due_date=date(2026, 3, 31),
        lines=(LineItem("Work", Decimal(1), 10000),),
    )
    invoice = services.invoices.issue(services.invoices.save_draft(content))
    assert invoice.number is not None
    return invoice.id, invoice.number


def _files_holding(folder: Path, secret: bytes) -> list[str]:
    return [
        str(path.relative_to(folder))
        for path in sorted(folder.rglob("*"))
        if path.is_file() and secret in path.read_bytes()
    ]


def test_a_canary_secret_appears_nowhere_but_the_keychain(
    qtbot: Any,
    home: Path,
    now_clock: FixedClock,
    sandbox: Sandbox,
    keychain: MemoryKeyring,
    app_log: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    app = open_app(home, now_clock, Switch(), twilio_settings(sandbox), CANARY)
    try:
        for name, value in OTHER_CANARIES.items():
            app.services.providers.save_secret(name, value)
        assert app.services.providers.has_secret(SecretName.TWILIO_AUTH_TOKEN)
        assert "Lead Cartel sandbox" in app.services.providers.test(Channel.SMS)
        invoice_id, number = _issued_invoice(app)
        outbox, worker = app.services.outbox, app.start_sending()
        sent = outbox.enqueue(
            Channel.SMS, "+6591234567", {"body": f"Invoice {number}"}, invoice_id=invoice_id
        )
        assert worker.wait_settled(30)
        sandbox.controls("twilio").fail_next("401")  # wrong-credential texts are logged too
        refused = outbox.enqueue(Channel.SMS, "+6598765432", {"body": "Second"})
        assert worker.wait_settled(30)
        assert outbox.get(sent).state is OutboxState.SENT
        # A credentials refusal pauses the channel: the message waits for new credentials.
        assert outbox.get(refused).state is OutboxState.PENDING
        assert "refused the credentials" in outbox.get(refused).last_error
        harness = WindowHarness(qtbot, app)  # the window writes its QSettings on close
        harness.close()
        database = app.paths.database
        live = database.read_bytes() + _wal(database)
        assert f"Invoice {number}".encode() in live  # the bytes read are the real ones
        assert CANARY.encode() not in live
    finally:
        app.close()

    assert keychain.entries[("Lead Cartel Desktop", "twilio_auth_token")] == CANARY
    secret = CANARY.encode()
    assert secret not in database.read_bytes() + _wal(database)
    assert app.paths.settings_file.exists()
    assert _files_holding(home, secret) == []  # database, WAL, logs, settings.ini, all of it
    assert b"outbox 2 (sms): pending [20003]" in (app_log / "leadcartel.log").read_bytes()
    capsys.readouterr()
    for argv in (["invoice", "show", number, "--json"], ["invoice", "list", "--json"]):
        assert main(["--home", str(home), *argv], clock=now_clock) == 0
        printed = capsys.readouterr()
        assert number in printed.out
        assert CANARY not in printed.out + printed.err


def _wal(database: Path) -> bytes:
    wal = database.with_name(database.name + "-wal")
    return wal.read_bytes() if wal.exists() else b""
