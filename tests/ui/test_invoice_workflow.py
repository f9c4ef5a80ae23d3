"""End to end in the real editor: add a customer inline, build, issue, save the PDF, get paid."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from leadcartel_desktop.domain.invoice_status import InvoiceStatus
from leadcartel_desktop.ui.contacts.dialog import ContactDialog
from leadcartel_desktop.ui.context import UiContext
from leadcartel_desktop.ui.invoices.editor import InvoiceEditorDialog
from leadcartel_desktop.ui.invoices.lines_model import Column
from leadcartel_desktop.ui.invoices.payment_dialog import PaymentDialog
from tests.ui.invoice_support import (
    REDUCED,
    VAT,
    click_confirm,
    find_dialog,
    make_ui,
    set_up_business,
    type_text,
)


@pytest.fixture
def ui(qtbot: Any, context: Any) -> Iterator[UiContext]:
    set_up_business(context.services)
    yield from make_ui(qtbot, context)


def _open_editor(qtbot: Any, ui: UiContext, invoice_id: int | None) -> InvoiceEditorDialog:
    dialog = InvoiceEditorDialog(ui, invoice_id)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        dialog.show()
    return dialog


def _add_customer_inline(qtbot: Any, dialog: InvoiceEditorDialog) -> None:
    qtbot.mouseClick(dialog.customer.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: find_dialog(dialog, ContactDialog) is not None)
    form: ContactDialog = find_dialog(dialog, ContactDialog)
    for name, text in (
        ("first_name", "Zeynep"),
        ("last_name", "Kaya"),
        ("email", "zeynep@example.com"),
        ("phone", "+90 532 123 45 67"),
        ("company", "Ağaç İşleri Ltd. Şti."),
        ("street", "Atatürk Cd. 12"),
        ("city", "Iğdır"),
        ("postal_code", "76000"),
        ("country", "Türkiye"),
    ):
        type_text(qtbot, form.inputs[name], text)
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.customer.contact is not None, timeout=10_000)


def _fill_lines(qtbot: Any, dialog: InvoiceEditorDialog) -> None:
    model = dialog.lines.model
    for _ in range(3):
        qtbot.mouseClick(dialog.lines.add_button, Qt.MouseButton.LeftButton)
    assert model.rowCount() == 3
    rows = (
        ("Consulting — March", "3", "hours", "120.00", (VAT,)),
        ("Hosting", "1", "", "49.99", (REDUCED,)),
        ("Support", "2", "", "15.50", (VAT, REDUCED)),
    )
    for row, (description, quantity, unit, price, taxes) in enumerate(rows):
        for column, value in (
            (Column.DESCRIPTION, description),
            (Column.QUANTITY, quantity),
            (Column.UNIT, unit),
            (Column.UNIT_PRICE, price),
            (Column.TAXES, taxes),
        ):
            assert model.setData(model.index(row, column), value)


def test_customer_to_paid_invoice(qtbot: Any, ui: UiContext, tmp_path: Path) -> None:
    dialog = _open_editor(qtbot, ui, None)
    changed: list[int] = []
    dialog.changed.connect(changed.append)
    assert dialog.options.number.text() == "INV-2026-0001"
    assert dialog.terms.toPlainText() == "Payment within 30 days."

    _add_customer_inline(qtbot, dialog)
    bill_to = dialog.customer.bill_to.text()
    for part in ("Zeynep Kaya", "Ağaç İşleri Ltd. Şti.", "Iğdır", "zeynep@example.com"):
        assert part in bill_to
    assert "+90 532 123 45 67" in bill_to  # stored as E.164, shown for people
    assert dialog.customer.contact.phone == "+905321234567"

    _fill_lines(qtbot, dialog)
    dialog.options.discount_kind.setCurrentIndex(1)  # percent
    qtbot.keyClicks(dialog.options.discount_value, "10")
    assert dialog.totals.figures == {
        "Subtotal": "€440.99",
        "Discount": "-€44.10",
        "Taxable amount": "€396.89",
        "Reduced 10%": "€7.29",
        "VAT 20%": "€70.38",
        "Tax total": "€77.67",
        "Total": "€474.56",
        "Paid": "€0.00",
        "Balance due": "€474.56",
    }

    qtbot.mouseClick(dialog.actions_bar.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.invoice_id is not None and not dialog.dirty, timeout=10_000)
    invoice_id = dialog.invoice_id
    assert invoice_id is not None
    qtbot.waitUntil(lambda: dialog.windowTitle() == f"Draft #{invoice_id}")
    assert dialog.actions_bar.delete.isVisible()

    qtbot.mouseClick(dialog.actions_bar.issue, Qt.MouseButton.LeftButton)
    click_confirm(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.read_only, timeout=10_000)
    assert dialog.windowTitle() == "Invoice INV-2026-0001"
    assert "Sent" in dialog.header.text()
    for widget in (
        dialog.options.number,
        dialog.options.issue_date,
        dialog.options.currency,
        dialog.options.discount_value,
    ):
        assert not widget.isEnabled()
    assert dialog.terms.isReadOnly()
    assert dialog.customer.search.isReadOnly()
    assert not dialog.lines.add_button.isVisible()
    assert not dialog.lines.model.flags(dialog.lines.model.index(0, 0)) & (
        Qt.ItemFlag.ItemIsEditable
    )
    assert not dialog.actions_bar.save.isVisible()
    assert dialog.actions_bar.cancel_invoice.isVisible()

    # Save PDF through the file dialog the button opens.
    pdf_path = tmp_path / "INV-2026-0001.pdf"
    qtbot.mouseClick(dialog.actions_bar.save_pdf, Qt.MouseButton.LeftButton)
    # The business is checked for a name first (in the worker), then the chooser opens.
    qtbot.waitUntil(lambda: find_dialog(dialog, QFileDialog, "savePdfDialog") is not None)
    chooser = find_dialog(dialog, QFileDialog, "savePdfDialog")
    with qtbot.waitSignal(dialog.pdf_saved, timeout=20_000):
        chooser.fileSelected.emit(str(pdf_path))
        chooser.close()
    assert shutil.which("pdftotext"), "poppler-utils' pdftotext is needed"
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf_path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "INV-2026-0001" in text
    assert "Zeynep Kaya" in text
    assert "Ağaç İşleri Ltd. Şti." in text
    assert "474.56" in text

    # A partial payment, then the rest (the amount defaults to the balance).
    _pay(qtbot, dialog, "100.00")
    qtbot.waitUntil(lambda: "Partially Paid" in dialog.header.text(), timeout=10_000)
    assert dialog.totals.figures["Paid"] == "€100.00"
    assert dialog.totals.figures["Balance due"] == "€374.56"
    assert dialog.payments.model.rowCount() == 1
    _pay(qtbot, dialog, None)
    qtbot.waitUntil(lambda: "Paid" in dialog.header.text().replace("Partially Paid", ""))
    assert dialog.totals.figures["Balance due"] == "€0.00"
    stored = ui.services.invoices.get(invoice_id)
    assert stored.status is InvoiceStatus.PAID
    assert stored.number == "INV-2026-0001"
    assert changed.count(invoice_id) >= 4  # saved, issued, two payments


def _pay(qtbot: Any, dialog: InvoiceEditorDialog, amount: str | None) -> None:
    assert dialog.payments.record_button.isEnabled()
    qtbot.mouseClick(dialog.payments.record_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: find_dialog(dialog, PaymentDialog) is not None)
    payment: PaymentDialog = find_dialog(dialog, PaymentDialog)
    qtbot.waitUntil(payment.save_button.isEnabled, timeout=10_000)
    if amount is not None:
        payment.amount.clear()
        qtbot.keyClicks(payment.amount, amount)
    with qtbot.waitSignal(payment.changed, timeout=10_000):
        qtbot.mouseClick(payment.save_button, Qt.MouseButton.LeftButton)
