"""The Send dialog's WhatsApp choice and its notice when the cloud's payment link is missing."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from leadcartel_desktop.domain.outbox import Channel, OutboxState
from leadcartel_desktop.domain.providers import ProviderKind, SecretName
from leadcartel_desktop.sandbox import Sandbox
from leadcartel_desktop.ui.context import UiContext
from leadcartel_desktop.ui.invoices.send_dialog import SendInvoiceDialog
from tests.conftest import FixedClock
from tests.integration.send_support import draft_for_ada, gc_on_main_thread, sandbox_app
from tests.ui.invoice_support import find_dialog, make_ui

SID = "HX" + "5f1e0c9b8a7d6e5f" * 2


@pytest.fixture
def app(
    qtbot: Any, home: Path, clock: FixedClock, tmp_path: Path
) -> Iterator[tuple[UiContext, Sandbox]]:
    with gc_on_main_thread(), sandbox_app(home, clock, tmp_path / "sb") as (context, sandbox, _):
        for ui in make_ui(qtbot, context):
            yield ui, sandbox


def open_dialog(
    qtbot: Any, ui: UiContext, invoice_id: int, parent: QWidget | None = None
) -> SendInvoiceDialog:
    dialog = SendInvoiceDialog(ui, invoice_id, parent)
    if parent is None:
        qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        dialog.show()
    return dialog


def test_whatsapp_needs_a_template_before_send(
    qtbot: Any, app: tuple[UiContext, Sandbox], clock: FixedClock
) -> None:
    ui, sandbox = app
    invoice_id = draft_for_ada(ui.services)
    dialog = open_dialog(qtbot, ui, invoice_id)
    panel = dialog.whatsapp_panel
    assert dialog.whatsapp.isEnabled() and not dialog.whatsapp.isChecked()
    assert not panel.isVisible()
    dialog.email.setChecked(False)
    dialog.whatsapp.setChecked(True)
    assert panel.isVisible()
    assert "Outside WhatsApp's 24-hour window" in panel.window_note.text()
    assert not dialog.send_button.isEnabled()  # no template id yet
    panel.template_id.setText("HX123")
    assert dialog.error.text().startswith("WhatsApp template: a Twilio Content SID")
    assert not dialog.send_button.isEnabled()
    panel.template_id.setText(SID)
    panel.variables.setText("1={customer_first_name}; 2={nickname}")
    assert dialog.error.text().startswith("WhatsApp variables: unknown merge field")
    assert not dialog.send_button.isEnabled()
    panel.variables.setText("1={customer_first_name}; 2={amount_due}")
    assert not dialog.error.isVisible()
    assert panel.filled.text() == "For this customer: 1=Ada; 2=€120.00"
    assert dialog.send_button.isEnabled()

    with qtbot.waitSignal(dialog.sent, timeout=10_000):
        qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
        dialog.send()  # a second press while the first runs
    (row,) = ui.services.outbox.for_invoice(invoice_id)
    assert row.channel is Channel.WHATSAPP
    ui.services.outbox.process_due(clock.now())
    ui.services.outbox.process_due(clock.now() + timedelta(hours=1))
    (received,) = sandbox.received("twilio", "whatsapp")
    assert received.data["content_sid"] == SID
    assert received.data["content_variables"] == {"1": "Ada", "2": "€120.00"}
    assert ui.services.outbox.get(row.id).state is OutboxState.SENT


def test_whatsapp_is_not_offered_without_a_provider(
    qtbot: Any, app: tuple[UiContext, Sandbox]
) -> None:
    ui, _sandbox = app
    providers = ui.services.providers
    providers.save(replace(providers.settings(), whatsapp=ProviderKind.NONE))
    dialog = open_dialog(qtbot, ui, draft_for_ada(ui.services))
    assert not dialog.whatsapp.isEnabled()
    assert "WhatsApp link: No provider is set for WhatsApp" in dialog.why.text()
    assert dialog.sms.isEnabled()


def test_cloud_failure_is_told_after_send(qtbot: Any, app: tuple[UiContext, Sandbox]) -> None:
    ui, sandbox = app
    ui.services.providers.save_secret(SecretName.CLOUD_TOKEN, sandbox.credentials.cloud_token)
    sandbox.controls("cloud").fail_next("500", count=5)
    invoice_id = draft_for_ada(ui.services)
    editor = QWidget()  # stands in for the invoice editor that opens the dialog
    qtbot.addWidget(editor)
    dialog = open_dialog(qtbot, ui, invoice_id, editor)
    assert dialog.email.isChecked()
    with qtbot.waitSignal(dialog.noted, timeout=15_000) as noted:
        qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    number = ui.services.invoices.get(invoice_id).number
    text = str(noted.args[0])
    assert text.startswith(f"Invoice {number} was issued and its messages queued.")
    assert "could not be created in the cloud" in text
    assert "the PDF and your payment instructions" in text
    box = find_dialog(editor, QMessageBox, "sendNote")
    assert box is not None and box.text() == text
    assert not box.isModal()  # the operator carries on; nothing waits for the box
    assert not dialog.isVisible()
    assert not sandbox.cloud.invoices.invoices
    (row,) = ui.services.outbox.for_invoice(invoice_id)
    assert "Payment instructions:" in str(row.payload["body"])
    box.close()


def test_no_notice_when_the_cloud_made_the_link(qtbot: Any, app: tuple[UiContext, Sandbox]) -> None:
    ui, sandbox = app
    ui.services.providers.save_secret(SecretName.CLOUD_TOKEN, sandbox.credentials.cloud_token)
    invoice_id = draft_for_ada(ui.services)
    editor = QWidget()
    qtbot.addWidget(editor)
    dialog = open_dialog(qtbot, ui, invoice_id, editor)
    told: list[str] = []
    dialog.noted.connect(told.append)
    with qtbot.waitSignal(dialog.sent, timeout=15_000):
        qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    assert told == []
    assert find_dialog(editor, QMessageBox, "sendNote") is None
    assert len(sandbox.cloud.invoices.invoices) == 1
