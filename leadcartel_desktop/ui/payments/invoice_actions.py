"""What the operator can do with the selected invoice: open, pay, duplicate, delete, save PDF."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QWidget

from leadcartel_desktop.domain.invoice_status import OPEN_STATUSES, InvoiceStatus
from leadcartel_desktop.services.views import InvoiceRow
from leadcartel_desktop.ui.errors import show_error
from leadcartel_desktop.ui.payments.invoice_model import invoice_label
from leadcartel_desktop.ui.widgets import dialogs

if TYPE_CHECKING:
    from leadcartel_desktop.ui.context import UiContext


def can_take_payment(row: InvoiceRow | None) -> bool:
    return row is not None and row.stored_status in OPEN_STATUSES and row.balance > 0


class InvoiceActions(QObject):
    """QActions for the toolbar buttons and the context menu, acting on `current()`."""

    changed = Signal(int)  # an invoice was saved, issued, paid, duplicated or deleted
    message = Signal(str)

    def __init__(
        self,
        context: UiContext,
        current: Callable[[], InvoiceRow | None],
        parent_widget: QWidget,
    ) -> None:
        super().__init__(parent_widget)
        self._context = context
        self._current = current
        self._widget = parent_widget
        self.last_dialog: QDialog | None = None
        self.new = self._action("&New Invoice", self.new_invoice, QKeySequence.StandardKey.New)
        self.open = self._action("&Open", self.open_current)
        self.pay = self._action("Record &payment…", self.record_payment)
        self.duplicate = self._action("D&uplicate", self.duplicate_current)
        self.delete = self._action("&Delete draft", self.delete_current)
        self.save_pdf = self._action("Save &PDF…", self.save_current_pdf)

    def _action(self, text: str, slot: Callable[[], Any], shortcut: Any = None) -> QAction:
        action = QAction(text, self._widget)
        action.setObjectName(text.replace("&", "").replace("…", "").strip().lower())
        if shortcut is not None:
            action.setShortcut(shortcut)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self._widget.addAction(action)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    @property
    def selection_actions(self) -> tuple[QAction, ...]:
        return (self.open, self.pay, self.duplicate, self.delete, self.save_pdf)

    def update_enabled(self) -> None:
        row = self._current()
        for action in (self.open, self.duplicate, self.save_pdf):
            action.setEnabled(row is not None)
        self.pay.setEnabled(can_take_payment(row))
        self.delete.setEnabled(row is not None and row.stored_status is InvoiceStatus.DRAFT)

    # Dialogs owned by the invoices package (imported when first used) -------------------------
    def _show(self, dialog: QDialog) -> None:
        dialog.changed.connect(self.changed)  # type: ignore[attr-defined]
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.last_dialog = dialog
        dialog.open()

    def new_invoice(self) -> None:
        self.open_invoice(None)

    def open_invoice(self, invoice_id: int | None) -> None:
        from leadcartel_desktop.ui.invoices.editor import InvoiceEditorDialog

        self._show(InvoiceEditorDialog(self._context, invoice_id, self._widget))

    def open_current(self) -> None:
        row = self._current()
        if row is not None:
            self.open_invoice(row.id)

    def record_payment(self) -> None:
        row = self._current()
        if not can_take_payment(row):
            return
        assert row is not None
        from leadcartel_desktop.ui.invoices.payment_dialog import PaymentDialog

        self._show(PaymentDialog(self._context, row.id, self._widget))

    # Work done here, through the task runner --------------------------------------------------
    def duplicate_current(self) -> None:
        row = self._current()
        if row is None:
            return
        invoices = self._context.services.invoices

        def done(new_id: int) -> None:
            self.message.emit(f"{invoice_label(row)} duplicated as Draft #{new_id}")
            self.changed.emit(new_id)
            self.open_invoice(new_id)

        self._run(lambda: invoices.duplicate(row.id), done)

    def delete_current(self) -> None:
        row = self._current()
        if row is None or row.stored_status is not InvoiceStatus.DRAFT:
            return
        label = invoice_label(row)
        if not dialogs.confirm(
            self._widget, "Delete draft", f"Delete {label}? This cannot be undone."
        ):
            return
        invoices = self._context.services.invoices

        def done(_result: object) -> None:
            self.message.emit(f"{label} deleted")
            self.changed.emit(row.id)

        self._run(lambda: invoices.delete_draft(row.id), done)

    def save_current_pdf(self) -> None:
        row = self._current()
        if row is None:
            return
        label = invoice_label(row).replace("#", "").replace(" ", "-")
        path = dialogs.ask_save_path(
            self._widget, "Save PDF", Path.home() / f"{label}.pdf", "PDF files (*.pdf)"
        )
        if path is None:
            return
        if path.suffix.lower() != ".pdf":
            path = path.with_suffix(".pdf")
        services = self._context.services

        def work() -> Path:
            path.write_bytes(services.invoices.render_pdf(row.id, services.renderer))
            return path

        self._run(work, lambda saved: self.message.emit(f"Saved {saved}"))

    def _run(self, work: Callable[[], Any], done: Callable[[Any], Any]) -> None:
        self._context.tasks.run(work, done, lambda error: show_error(self._widget, error))
