"""The editor's actions: save, issue, cancel, duplicate, delete, PDF, print, payments."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QPushButton, QWidget

from leadcartel_desktop.domain.invoice import Invoice
from leadcartel_desktop.domain.invoice_status import InvoiceStatus
from leadcartel_desktop.ui import printing
from leadcartel_desktop.ui.errors import show_error
from leadcartel_desktop.ui.forms import confirm, run_for
from leadcartel_desktop.ui.invoices.seller_check import with_seller
from leadcartel_desktop.ui.payments.delete_payment import delete_payment

if TYPE_CHECKING:
    from leadcartel_desktop.ui.invoices.editor import InvoiceEditorDialog


def _button(text: str, name: str, tip: str = "") -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.setAutoDefault(False)
    button.setToolTip(tip)
    return button


class ActionBar(QWidget):
    """The row of buttons under the form; which ones show depends on the invoice's status."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.save = _button("&Save draft", "saveDraft")
        self.issue = _button("&Issue…", "issueInvoice", "Mark as sent: give it its number")
        self.send = _button("S&end…", "sendInvoice", "Email or text the invoice to the customer")
        self.cancel_invoice = _button("Cancel in&voice…", "cancelInvoice")
        self.duplicate = _button("D&uplicate", "duplicateInvoice", "Copy into a new draft")
        self.delete = _button("&Delete draft…", "deleteDraft")
        self.save_pdf = _button("Save P&DF…", "savePdf")
        self.preview = _button("Print pre&view", "printPreview")
        self.print_button = _button("P&rint…", "printInvoice")
        self.close_button = _button("Close", "closeEditor")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for button in (
            self.save,
            self.issue,
            self.send,
            self.cancel_invoice,
            self.duplicate,
            self.delete,
        ):
            layout.addWidget(button)
        layout.addStretch(1)
        for button in (self.save_pdf, self.preview, self.print_button, self.close_button):
            layout.addWidget(button)
        self.save.setDefault(True)

    def buttons(self) -> list[QPushButton]:
        return [
            self.save,
            self.issue,
            self.send,
            self.cancel_invoice,
            self.duplicate,
            self.delete,
            self.save_pdf,
            self.preview,
            self.print_button,
            self.close_button,
        ]

    def show_for(self, invoice: Invoice | None, number: str) -> None:
        draft = invoice is None or invoice.is_draft
        cancelled = invoice is not None and invoice.status is InvoiceStatus.CANCELLED
        self.save.setVisible(draft)
        self.issue.setVisible(draft)
        self.delete.setVisible(invoice is not None and draft)
        self.cancel_invoice.setVisible(not draft and not cancelled)
        self.send.setVisible(not cancelled)
        self.duplicate.setVisible(invoice is not None)
        self.save.setDefault(draft)
        # Enter on an issued invoice closes it; it never presses a button that sends something.
        self.close_button.setDefault(not draft)


def pdf_file_name(number: str) -> str:
    safe = re.sub(r"[^\w.-]+", "_", number).strip("_") or "invoice"
    return f"{safe}.pdf"


class EditorActions:
    """Mixed into InvoiceEditorDialog: each handler is a few lines over the services."""

    def connect_actions(self: InvoiceEditorDialog) -> None:
        bar = self.actions_bar
        bar.save.clicked.connect(lambda _checked=False: self.save_draft())
        bar.issue.clicked.connect(self.ask_issue)
        bar.send.clicked.connect(self.ask_send)
        bar.cancel_invoice.clicked.connect(self.ask_cancel)
        bar.duplicate.clicked.connect(self.duplicate)
        bar.delete.clicked.connect(self.ask_delete)
        bar.save_pdf.clicked.connect(self.choose_pdf_path)
        bar.preview.clicked.connect(lambda: self.with_saved(self.open_preview))
        bar.print_button.clicked.connect(self.ask_print)
        bar.close_button.clicked.connect(self.reject)
        self.payments.record_requested.connect(self.record_payment)
        self.payments.delete_requested.connect(self.ask_delete_payment)

    def with_saved(self: InvoiceEditorDialog, then: Callable[[int], object]) -> None:
        """Run `then(id)` on the stored invoice, saving the draft first when it has changes."""
        if self.invoice_id is not None and (self.read_only or not self.dirty):
            then(self.invoice_id)
        else:
            self.save_draft(then)

    def done_with(self: InvoiceEditorDialog, invoice_id: int) -> None:
        """A change was stored: tell the window, then show the invoice as it is now."""
        self.changed.emit(invoice_id)
        self.reload()

    # --- invoice life ----------------------------------------------------------------------
    def ask_issue(self: InvoiceEditorDialog) -> None:
        """Confirm, once the business has a name to print as the seller."""
        with_seller(
            self,
            self.context,
            lambda: confirm(
                self,
                "Issue invoice",
                "Mark this invoice as sent? It gets its number and can no longer be edited.",
                lambda: self.with_saved(self.issue),
                "Issue",
            ),
        )

    def issue(self: InvoiceEditorDialog, invoice_id: int) -> None:
        invoices = self.context.services.invoices
        self.actions_bar.setEnabled(False)
        run_for(
            self,
            self.context.tasks,
            lambda: invoices.issue(invoice_id),
            lambda invoice: self.done_with(invoice.id),
            self.refused,
        )

    def ask_send(self: InvoiceEditorDialog) -> None:
        """The Send dialog, once the business has a name and the draft is saved."""
        with_seller(self, self.context, lambda: self.with_saved(self.open_send))

    def open_send(self: InvoiceEditorDialog, invoice_id: int) -> None:
        from leadcartel_desktop.ui.invoices.send_dialog import SendInvoiceDialog

        dialog = SendInvoiceDialog(self.context, invoice_id, self)
        dialog.sent.connect(self.after_send)
        dialog.open()

    def after_send(
        self: InvoiceEditorDialog, invoice_id: int, download: bool, prints: bool
    ) -> None:
        self.invoice_id = invoice_id
        self.done_with(invoice_id)
        if download:
            self.open_pdf_dialog()
        if prints:
            printing.print_invoice(self.context, invoice_id, self)

    def ask_cancel(self: InvoiceEditorDialog) -> None:
        from leadcartel_desktop.ui.invoices.cancel_dialog import CancelInvoiceDialog

        if self.invoice_id is None or self.state is None or self.state.invoice is None:
            return
        number = self.state.invoice.number or ""
        dialog = CancelInvoiceDialog(self.context, self.invoice_id, number, self)
        dialog.changed.connect(self.done_with)
        dialog.open()

    def duplicate(self: InvoiceEditorDialog) -> None:
        """Copy into a new draft and show the copy here (the window keeps listening to us)."""
        if self.invoice_id is not None:
            self.with_saved(self.duplicate_stored)

    def duplicate_stored(self: InvoiceEditorDialog, source: int) -> None:
        invoices = self.context.services.invoices

        def opened(new_id: int) -> None:
            self.invoice_id = new_id
            self.done_with(new_id)

        self.actions_bar.setEnabled(False)
        run_for(self, self.context.tasks, lambda: invoices.duplicate(source), opened, self.refused)

    def ask_delete(self: InvoiceEditorDialog) -> None:
        if self.invoice_id is None:
            return
        confirm(self, "Delete draft", "Delete this draft? This cannot be undone.", self.delete)

    def delete(self: InvoiceEditorDialog) -> None:
        invoice_id = self.invoice_id
        if invoice_id is None:
            return
        invoices = self.context.services.invoices

        def deleted(_: object) -> None:
            self.dirty = False
            self.changed.emit(invoice_id)
            self.accept()

        run_for(
            self,
            self.context.tasks,
            lambda: invoices.delete_draft(invoice_id),
            deleted,
            self.refused,
        )

    # --- documents -------------------------------------------------------------------------
    def choose_pdf_path(self: InvoiceEditorDialog) -> None:
        with_seller(self, self.context, self.open_pdf_dialog)

    def open_pdf_dialog(self: InvoiceEditorDialog) -> None:
        number = self.options.number.text() or "invoice"
        dialog = QFileDialog(self, "Save PDF", str(Path.home() / pdf_file_name(number)))
        dialog.setObjectName("savePdfDialog")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter("PDF files (*.pdf)")
        dialog.setDefaultSuffix("pdf")
        dialog.fileSelected.connect(lambda path: self.save_pdf_to(Path(path)))
        dialog.open()

    def save_pdf_to(self: InvoiceEditorDialog, path: Path) -> None:
        def write(invoice_id: int) -> None:
            printing.save_pdf(
                self.context,
                invoice_id,
                path,
                owner=self,
                on_done=lambda saved: self.pdf_saved.emit(str(saved)),
                on_error=lambda error: show_error(self, error),
            )

        self.with_saved(write)

    def ask_print(self: InvoiceEditorDialog) -> None:
        def print_stored(invoice_id: int) -> None:
            printing.print_invoice(self.context, invoice_id, self)

        with_seller(self, self.context, lambda: self.with_saved(print_stored))

    def open_preview(self: InvoiceEditorDialog, invoice_id: int) -> None:
        printing.preview_invoice(self.context, invoice_id, self)

    # --- payments --------------------------------------------------------------------------
    def record_payment(self: InvoiceEditorDialog) -> None:
        from leadcartel_desktop.ui.invoices.payment_dialog import PaymentDialog

        if self.invoice_id is None:
            return
        dialog = PaymentDialog(self.context, self.invoice_id, self)
        dialog.changed.connect(self.done_with)
        dialog.open()

    def ask_delete_payment(self: InvoiceEditorDialog, payment_id: int) -> None:
        confirm(
            self,
            "Delete payment",
            "Delete this payment? The balance and status will be updated.",
            lambda: self.delete_payment(payment_id),
            "Delete",
        )

    def delete_payment(self: InvoiceEditorDialog, payment_id: int) -> None:
        delete_payment(
            self, self.context, payment_id, lambda invoice: self.done_with(invoice.id), self.refused
        )
