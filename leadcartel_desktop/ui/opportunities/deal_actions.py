"""What the operator can do with one deal: open, win, lose, abandon, invoice, delete."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QPoint, Qt, Signal
from PySide6.QtWidgets import QDialog, QInputDialog, QMenu, QMessageBox, QWidget

from leadcartel_desktop.domain.deals import DealStatus
from leadcartel_desktop.ui.errors import show_error
from leadcartel_desktop.ui.forms import confirm
from leadcartel_desktop.ui.opportunities.deal_dialog import DealDialog

if TYPE_CHECKING:
    from leadcartel_desktop.ui.context import UiContext


class DealActions(QObject):
    """Runs each action through the task runner and says what changed by signal."""

    changed = Signal(int)  # saved in the deal form: anything may differ (stage, value, pipeline)
    status_changed = Signal(int, object)  # deal id, DealStatus
    deleted = Signal(int)
    invoice_created = Signal(int, int)  # deal id, invoice id
    message = Signal(str)

    def __init__(self, context: UiContext, widget: QWidget) -> None:
        super().__init__(widget)
        self._context = context
        self._widget = widget
        self.last_dialog: QDialog | None = None  # the latest dialog opened (tests answer it)

    # Dialogs -----------------------------------------------------------------------------------
    def new_deal(self, pipeline_id: int | None, stage_id: int | None = None) -> DealDialog:
        return self._show_deal(DealDialog(self._context, None, pipeline_id, stage_id, self._widget))

    def open_deal(self, deal_id: int) -> DealDialog:
        return self._show_deal(DealDialog(self._context, deal_id, parent=self._widget))

    def _show_deal(self, dialog: DealDialog) -> DealDialog:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self.changed)
        self.last_dialog = dialog
        dialog.open()
        return dialog

    def menu(self, deal_id: int, name: str, status: DealStatus) -> QMenu:
        """Open, Mark Won / Lost / Abandoned (or Reopen), Create invoice (won deals), Delete."""
        menu = QMenu(self._widget)
        menu.setObjectName("dealMenu")
        self._add(menu, "&Open", lambda: self.open_deal(deal_id))
        menu.addSeparator()
        current = status
        for choice, text in (
            (DealStatus.OPEN, "Re&open"),
            (DealStatus.WON, "Mark &Won"),
            (DealStatus.LOST, "Mark &Lost…"),
            (DealStatus.ABANDONED, "Mark &Abandoned"),
        ):
            action = self._add(menu, text, lambda s=choice: self.mark(deal_id, s))
            action.setVisible(choice is not current)
        menu.addSeparator()
        invoice = self._add(menu, "Create &invoice", lambda: self.create_invoice(deal_id))
        invoice.setEnabled(current is DealStatus.WON)
        if current is not DealStatus.WON:
            invoice.setToolTip("Only a won deal can be invoiced")
        menu.addSeparator()
        self._add(menu, "&Delete…", lambda: self.ask_delete(deal_id, name))
        return menu

    def popup(self, deal_id: int, name: str, status: DealStatus, position: QPoint) -> QMenu:
        menu = self.menu(deal_id, name, status)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(position)
        return menu

    def _add(self, menu: QMenu, text: str, slot: Callable[[], Any]) -> Any:
        action = menu.addAction(text)
        action.setObjectName(text.replace("&", "").replace("…", "").strip().lower())
        action.triggered.connect(lambda _checked=False: slot())
        return action

    # Status ------------------------------------------------------------------------------------
    def mark(self, deal_id: int, status: DealStatus) -> None:
        if status is DealStatus.LOST:
            self.ask_lost_reason(deal_id)
            return
        self.set_status(deal_id, status)

    def ask_lost_reason(self, deal_id: int) -> QInputDialog:
        box = QInputDialog(self._widget)
        box.setObjectName("lostReasonDialog")
        box.setWindowTitle("Mark Lost")
        box.setLabelText("Why was the deal lost? (optional)")
        box.setInputMode(QInputDialog.InputMode.TextInput)
        box.setOkButtonText("Mark Lost")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.textValueSelected.connect(
            lambda reason: self.set_status(deal_id, DealStatus.LOST, reason)
        )
        self.last_dialog = box
        box.open()
        return box

    def set_status(self, deal_id: int, status: DealStatus, reason: str = "") -> None:
        deals = self._context.services.deals

        def done(_result: object) -> None:
            self.message.emit(f"Deal marked {status.label}")
            self.status_changed.emit(deal_id, status)

        self._run(lambda: deals.set_status(deal_id, status, reason), done)

    # Invoice -----------------------------------------------------------------------------------
    def create_invoice(self, deal_id: int) -> None:
        deals = self._context.services.deals

        def done(invoice_id: int) -> None:
            self.invoice_created.emit(deal_id, invoice_id)
            self.offer_invoice(invoice_id)

        self._run(lambda: deals.create_invoice(deal_id), done)

    def offer_invoice(self, invoice_id: int) -> QMessageBox:
        box = QMessageBox(self._widget)
        box.setObjectName("invoiceCreated")
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle("Invoice created")
        box.setText(f"Draft invoice #{invoice_id} is ready for this deal.")
        open_button = box.addButton("Open invoice", QMessageBox.ButtonRole.AcceptRole)
        open_button.setObjectName("openInvoice")
        box.addButton(QMessageBox.StandardButton.Close)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(
            lambda _result: box.clickedButton() is open_button and self.open_invoice(invoice_id)
        )
        self.last_dialog = box
        box.open()
        return box

    def open_invoice(self, invoice_id: int) -> QDialog:
        from leadcartel_desktop.ui.invoices.editor import InvoiceEditorDialog

        editor = InvoiceEditorDialog(self._context, invoice_id, self._widget)
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.last_dialog = editor
        editor.open()
        return editor

    # Delete ------------------------------------------------------------------------------------
    def ask_delete(self, deal_id: int, name: str) -> QMessageBox:
        box = confirm(
            self._widget,
            "Delete deal",
            f"Delete the deal '{name}' and its history? This cannot be undone.",
            lambda: self.delete(deal_id),
            "Delete",
        )
        self.last_dialog = box
        return box

    def delete(self, deal_id: int) -> None:
        deals = self._context.services.deals

        def done(_result: object) -> None:
            self.message.emit("Deal deleted")
            self.deleted.emit(deal_id)

        self._run(lambda: deals.delete(deal_id), done)

    def _run(self, work: Callable[[], Any], done: Callable[[Any], Any]) -> None:
        self._context.tasks.run(work, done, lambda error: show_error(self._widget, error))
