"""Editor actions: cancel, duplicate, delete, payments, printing and preview."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog, QPrintPreviewWidget

from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.domain.invoice import InvoiceContent, Payment
from leadcartel_desktop.domain.invoice_status import InvoiceStatus
from leadcartel_desktop.domain.payments import PaymentMethod
from leadcartel_desktop.domain.totals import LineItem
from leadcartel_desktop.ui import printing
from leadcartel_desktop.ui.context import UiContext
from leadcartel_desktop.ui.invoices.cancel_dialog import CancelInvoiceDialog
from leadcartel_desktop.ui.invoices.editor import InvoiceEditorDialog
from leadcartel_desktop.ui.invoices.payment_dialog import PaymentDialog
from leadcartel_desktop.ui.invoices.payments_panel import PaymentsModel
from tests.ui.invoice_support import VAT, click_confirm, find_dialog, make_ui, set_up_business


@pytest.fixture
def ui(qtbot: Any, context: Any) -> Iterator[UiContext]:
    set_up_business(context.services)
    yield from make_ui(qtbot, context)


def open_editor(qtbot: Any, ui: UiContext, invoice_id: int | None) -> InvoiceEditorDialog:
    dialog = InvoiceEditorDialog(ui, invoice_id)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        dialog.show()
    return dialog


def make_invoice(ui: UiContext, *, issue: bool, lines: int = 1) -> int:
    services = ui.services
    contact = services.contacts.create(Contact("Ada", "Lovelace", "ada@example.com"))
    items = tuple(
        LineItem(f"Line {n} " + "long words " * 30, Decimal(1), 5_000, (VAT,))
        for n in range(1, lines + 1)
    )
    content = InvoiceContent(
        contact_id=contact.id,
        currency="EUR",
        issue_date=date(2026, 3, 1),
        due_date=date(2026, 3, 31),
        lines=items,
    )
    invoice_id = services.invoices.save_draft(content)
    if issue:
        services.invoices.issue(invoice_id)
    return invoice_id


def test_payments_model_passes_the_model_tester(qtmodeltester: Any) -> None:
    model = PaymentsModel()
    model.set_payments(
        [
            Payment(3_000, date(2026, 3, 5), PaymentMethod.CASH, "", id=2),
            Payment(2_000, date(2026, 3, 2), PaymentMethod.BANK_TRANSFER, "TR-1", id=1),
        ],
        "EUR",
        "en_US",
    )
    qtmodeltester.check(model, force_py=True)
    assert model.index(0, 1).data() == "Bank transfer"
    assert model.index(0, 3).data() == "€20.00"


def test_issued_invoice_opens_read_only(qtbot: Any, ui: UiContext) -> None:
    dialog = open_editor(qtbot, ui, make_invoice(ui, issue=True))
    assert dialog.read_only
    assert dialog.options.number.text() == "INV-2026-0001"
    assert not dialog.options.number.isEnabled()
    assert not dialog.options.due_date.isEnabled()
    assert dialog.notes.isReadOnly()
    assert not dialog.lines.model.canDropMimeData(
        dialog.lines.model.mimeData([dialog.lines.model.index(0, 0)]),
        Qt.DropAction.MoveAction,
        0,
        0,
        dialog.lines.model.index(0, 0).parent(),
    )
    assert not dialog.lines.model.setData(dialog.lines.model.index(0, 0), "changed")
    assert dialog.tabs.currentWidget() is dialog.payments
    assert dialog.payments.model.rowCount() == 0
    assert not dialog.actions_bar.save.isVisible()
    assert not dialog.actions_bar.issue.isVisible()
    assert not dialog.actions_bar.delete.isVisible()


def test_enter_on_an_issued_invoice_closes_it_and_sends_nothing(qtbot: Any, ui: UiContext) -> None:
    invoice_id = make_invoice(ui, issue=True)
    dialog = open_editor(qtbot, ui, invoice_id)
    assert dialog.actions_bar.close_button.isDefault()
    dialog.tabs.setFocus()
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert ui.services.outbox.for_invoice(invoice_id) == []  # no reminder went


def test_payment_over_the_balance_is_refused_at_the_field(qtbot: Any, ui: UiContext) -> None:
    invoice_id = make_invoice(ui, issue=True)  # total 60.00
    dialog = PaymentDialog(ui, invoice_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.save_button.isEnabled, timeout=10_000)
    assert dialog.amount.text() == "60.00"
    assert dialog.method.currentText() == "Cash"
    assert [dialog.method.itemText(i) for i in range(dialog.method.count())] == [
        "Cash",
        "Check",
        "Bank transfer",
        "Card",
        "Other",
    ]
    dialog.amount.setText("60.01")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    expected = "€60.01 is more than the balance due of €60.00"  # as amounts show elsewhere
    qtbot.waitUntil(lambda: dialog.errors.message_for("Amount") == expected, timeout=10_000)
    assert ui.services.invoices.get(invoice_id).payments == ()
    dialog.amount.setText("abc")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.errors.message_for("Amount") == "'abc' is not a number"
    assert dialog.isVisible()


def test_delete_payment_moves_the_status_back(qtbot: Any, ui: UiContext) -> None:
    invoice_id = make_invoice(ui, issue=True)
    ui.services.payments.record(invoice_id, 6_000, date(2026, 3, 5), PaymentMethod.CARD)
    dialog = open_editor(qtbot, ui, invoice_id)
    assert "Paid" in dialog.header.text()
    assert not dialog.payments.record_button.isEnabled()
    dialog.payments.view.selectRow(0)
    qtbot.mouseClick(dialog.payments.delete_button, Qt.MouseButton.LeftButton)
    click_confirm(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.payments.model.rowCount() == 0, timeout=10_000)
    assert "Sent" in dialog.header.text()
    assert dialog.totals.figures["Balance due"] == "€60.00"
    assert dialog.payments.record_button.isEnabled()


def test_cancel_with_a_reason(qtbot: Any, ui: UiContext) -> None:
    invoice_id = make_invoice(ui, issue=True)
    dialog = open_editor(qtbot, ui, invoice_id)
    changed: list[int] = []
    dialog.changed.connect(changed.append)
    qtbot.mouseClick(dialog.actions_bar.cancel_invoice, Qt.MouseButton.LeftButton)
    cancel: CancelInvoiceDialog = find_dialog(dialog, CancelInvoiceDialog)
    qtbot.mouseClick(cancel.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: cancel.errors.message_for("Reason") != "", timeout=10_000)
    assert cancel.errors.message_for("Reason") == "say why the invoice is cancelled"
    qtbot.keyClicks(cancel.reason, "Wrong customer")
    qtbot.mouseClick(cancel.confirm_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Cancelled" in dialog.header.text(), timeout=10_000)
    assert "Wrong customer" in dialog.header.text()
    assert changed == [invoice_id]
    assert ui.services.invoices.get(invoice_id).status is InvoiceStatus.CANCELLED
    assert not dialog.actions_bar.cancel_invoice.isVisible()
    assert not dialog.payments.record_button.isEnabled()


def test_duplicate_opens_the_copy_as_a_draft(qtbot: Any, ui: UiContext) -> None:
    source = make_invoice(ui, issue=True)
    dialog = open_editor(qtbot, ui, source)
    changed: list[int] = []
    dialog.changed.connect(changed.append)
    qtbot.mouseClick(dialog.actions_bar.duplicate, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.invoice_id != source and not dialog.read_only, timeout=10_000)
    copy = dialog.invoice_id
    assert changed == [copy]
    assert dialog.windowTitle() == f"Draft #{copy}"
    assert dialog.options.number.text() == "INV-2026-0002"
    assert dialog.options.issue_date.isEnabled()
    assert dialog.lines.model.rowCount() == 1
    assert dialog.customer.contact is not None
    assert ui.services.invoices.get(copy).content.issue_date == date(2026, 3, 10)


def test_delete_draft_after_confirming(qtbot: Any, ui: UiContext) -> None:
    invoice_id = make_invoice(ui, issue=False)
    dialog = open_editor(qtbot, ui, invoice_id)
    changed: list[int] = []
    dialog.changed.connect(changed.append)
    qtbot.mouseClick(dialog.actions_bar.delete, Qt.MouseButton.LeftButton)
    click_confirm(qtbot, dialog)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
    assert changed == [invoice_id]
    assert dialog.result() == dialog.DialogCode.Accepted
    assert ui.services.invoice_list.invoice_count() == 0


def test_print_rasterises_every_page(qtbot: Any, ui: UiContext, tmp_path: Path) -> None:
    invoice_id = make_invoice(ui, issue=True, lines=30)
    pdf = ui.services.invoices.render_pdf(invoice_id, ui.services.renderer)
    pages = printing.PdfPages(pdf)
    assert pages.page_count >= 2  # long descriptions flow onto more pages
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    target = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(target))
    pages.fit_printer(printer)
    assert pages.print_to(printer) == pages.page_count
    printed = QPdfDocument()
    assert printed.load(str(target)) == QPdfDocument.Error.None_
    assert printed.pageCount() == pages.page_count
    assert abs(printed.pagePointSize(0).width() - pages.page_size(0).width()) < 2


def test_print_preview_shows_the_pages(qtbot: Any, ui: UiContext) -> None:
    invoice_id = make_invoice(ui, issue=True, lines=30)
    dialog = open_editor(qtbot, ui, invoice_id)
    opened: list[QPrintPreviewDialog] = []
    printing.preview_invoice(ui, invoice_id, dialog, opened.append)
    qtbot.waitUntil(lambda: bool(opened), timeout=20_000)
    preview = opened[0].findChild(QPrintPreviewWidget)
    qtbot.waitUntil(lambda: preview.pageCount() >= 2, timeout=10_000)
    opened[0].close()


def test_preview_button_saves_a_new_draft_first(qtbot: Any, ui: UiContext) -> None:
    dialog = open_editor(qtbot, ui, None)
    dialog.lines.model.set_lines([LineItem("Thing", Decimal(1), 100)], "EUR")
    qtbot.mouseClick(dialog.actions_bar.preview, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: find_dialog(dialog, QPrintPreviewDialog, "printPreview") is not None,
        timeout=20_000,
    )
    assert dialog.invoice_id is not None
    find_dialog(dialog, QPrintPreviewDialog, "printPreview").close()
