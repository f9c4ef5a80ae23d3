"""The Send dialog: review, merge fields, the SMS counter, and Send pressed twice."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.domain.errors import ValidationError
from leadcartel_desktop.domain.invoice import InvoiceContent
from leadcartel_desktop.domain.outbox import Channel
from leadcartel_desktop.domain.totals import LineItem
from leadcartel_desktop.ui.context import UiContext
from leadcartel_desktop.ui.invoices.editor import InvoiceEditorDialog
from leadcartel_desktop.ui.invoices.send_dialog import SendInvoiceDialog
from tests.conftest import FixedClock
from tests.integration.send_support import draft_for_ada, gc_on_main_thread, sandbox_app
from tests.ui.invoice_support import VAT, find_dialog, make_ui


@pytest.fixture
def ui(qtbot: Any, home: Path, clock: FixedClock, tmp_path: Path) -> Iterator[UiContext]:
    with gc_on_main_thread(), sandbox_app(home, clock, tmp_path / "sandbox") as (context, *_):
        yield from make_ui(qtbot, context)


def open_dialog(qtbot: Any, ui: UiContext, invoice_id: int) -> SendInvoiceDialog:
    dialog = SendInvoiceDialog(ui, invoice_id)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        dialog.show()
    return dialog


def test_send_pressed_twice_queues_one_row_per_channel(qtbot: Any, ui: UiContext) -> None:
    invoice_id = draft_for_ada(ui.services)
    dialog = open_dialog(qtbot, ui, invoice_id)
    assert dialog.email.isChecked()
    dialog.sms.setChecked(True)
    assert "Ada" in dialog.preview.toPlainText()
    answers: list[object] = []
    dialog.sent.connect(lambda *args: answers.append(args))
    with qtbot.waitSignal(dialog.sent, timeout=10_000):
        qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
        dialog.send()  # a second press while the first runs
        assert not dialog.send_button.isEnabled()
    # Counted once every task either press started has finished, not at the first answer.
    qtbot.waitUntil(ui.tasks.is_idle, timeout=10_000)
    assert len(answers) == 1
    rows = ui.services.outbox.for_invoice(invoice_id)
    assert sorted(row.channel for row in rows) == [Channel.EMAIL, Channel.SMS]
    email = next(row for row in rows if row.channel is Channel.EMAIL)
    number = ui.services.invoices.get(invoice_id).number
    assert email.payload["attachments"][0]["filename"] == f"{number}.pdf"  # type: ignore[index]
    assert ui.services.send_invoice.delivery(invoice_id) == "Waiting to send"


def test_merge_fields_render_and_unknown_ones_are_refused(qtbot: Any, ui: UiContext) -> None:
    dialog = open_dialog(qtbot, ui, draft_for_ada(ui.services))
    dialog.subject.setText("For {customer_first_name} from {business_name}")
    assert "Subject: For Ada from Cartel Consulting" in dialog.preview.toPlainText()
    dialog.subject.setText("For {nickname}")
    assert "{nickname}" in dialog.error.text()
    assert not dialog.send_button.isEnabled()
    dialog.subject.clear()
    dialog.subject.setFocus()
    dialog.insert_field("invoice_number")
    assert dialog.subject.text() == "{invoice_number}"


def test_sms_counter_shows_parts(qtbot: Any, ui: UiContext) -> None:
    dialog = open_dialog(qtbot, ui, draft_for_ada(ui.services))
    dialog.sms_message.setPlainText("a" * 161)
    assert dialog.sms_counter.text() == "161 characters, GSM-7, 2 parts"
    dialog.sms_message.setPlainText("a" * 160)
    assert dialog.sms_counter.text() == "160 characters, GSM-7, 1 part"


def test_editor_send_issues_and_shows_waiting_to_send(qtbot: Any, ui: UiContext) -> None:
    invoice_id = draft_for_ada(ui.services)
    editor = InvoiceEditorDialog(ui, invoice_id)
    qtbot.addWidget(editor)
    with qtbot.waitSignal(editor.loaded, timeout=10_000):
        editor.show()
    qtbot.mouseClick(editor.actions_bar.send, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: find_dialog(editor, SendInvoiceDialog) is not None, timeout=10_000)
    dialog = find_dialog(editor, SendInvoiceDialog)
    qtbot.waitUntil(dialog.send_button.isEnabled, timeout=10_000)
    with qtbot.waitSignal(editor.changed, timeout=10_000):
        qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Waiting to send" in editor.header.text(), timeout=10_000)
    assert not ui.services.invoices.get(invoice_id).is_draft
    assert editor.read_only


def test_a_customer_without_email_or_phone_is_told_in_plain_words(
    qtbot: Any, ui: UiContext
) -> None:
    contact = ui.services.contacts.create(Contact("Nomail", "Person", ""))
    content = InvoiceContent(
        contact_id=contact.id,
        currency="EUR",
        issue_date=date(2026, 3, 1),
        due_date=date(2026, 3, 31),
        lines=(LineItem("Consulting", Decimal(1), 100, (VAT,)),),
    )
    dialog = open_dialog(qtbot, ui, ui.services.invoices.save_draft(content))
    assert "Email with the PDF: The customer has no email address" in dialog.why.text()
    assert "SMS link: The customer has no mobile number" in dialog.why.text()
    assert not dialog.send_button.isEnabled()
    dialog.download.setChecked(True)
    assert dialog.send_button.isEnabled()


@pytest.mark.parametrize("typed", ["Invoice {", "a {customer_first_name", "}", "{0}", "{}"])
def test_an_unbalanced_brace_is_refused(qtbot: Any, ui: UiContext, typed: str) -> None:
    invoice_id = draft_for_ada(ui.services)
    dialog = open_dialog(qtbot, ui, invoice_id)
    dialog.subject.setText(typed)
    assert dialog.error.text().startswith("Subject:"), dialog.error.text()
    assert "{invoice_number}" in dialog.error.text()
    assert not dialog.send_button.isEnabled()
    with pytest.raises(ValidationError, match="Subject"):
        ui.services.send_invoice.send(
            invoice_id, [Channel.EMAIL], subject=typed, message="", sms_message="", send_key="k"
        )
    assert ui.services.invoices.get(invoice_id).is_draft


def test_an_sms_longer_than_a_provider_takes_is_refused(qtbot: Any, ui: UiContext) -> None:
    invoice_id = draft_for_ada(ui.services)
    dialog = open_dialog(qtbot, ui, invoice_id)
    dialog.sms.setChecked(True)
    dialog.sms_message.setPlainText("x" * 5000)
    assert "5000 characters" in dialog.sms_counter.text()
    assert dialog.error.text().startswith("SMS message:"), dialog.error.text()
    assert "1600" in dialog.error.text()
    assert not dialog.send_button.isEnabled()
    dialog.sms.setChecked(False)  # the email alone may go
    assert dialog.send_button.isEnabled()
    with pytest.raises(ValidationError, match="SMS message"):
        ui.services.send_invoice.send(
            invoice_id, [Channel.SMS], subject="", message="", sms_message="x" * 5000, send_key="k"
        )
    assert ui.services.invoices.get(invoice_id).is_draft
    assert ui.services.outbox.for_invoice(invoice_id) == []


def test_closing_while_sending_waits_for_the_outcome(qtbot: Any, ui: UiContext) -> None:
    invoice_id = draft_for_ada(ui.services)
    dialog = open_dialog(qtbot, ui, invoice_id)
    with qtbot.waitSignal(dialog.sent, timeout=10_000):
        dialog.send()
        dialog.reject()  # Cancel or Escape while the send runs: it cannot be called back
        assert dialog.isVisible()
        assert dialog.send_button.text() == "Sending…"
        assert not dialog.buttons.button(dialog.buttons.StandardButton.Cancel).isEnabled()
    assert not dialog.isVisible()
    assert len(ui.services.outbox.for_invoice(invoice_id)) == 1
