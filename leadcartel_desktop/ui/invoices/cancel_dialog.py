"""Cancel an issued invoice: it is kept, marked Cancelled, with the reason given."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from leadcartel_desktop.domain.errors import UserFacingError
from leadcartel_desktop.domain.invoice import Invoice
from leadcartel_desktop.ui.context import UiContext
from leadcartel_desktop.ui.errors import show_error
from leadcartel_desktop.ui.forms import FieldErrors, error_label, run_for


class CancelInvoiceDialog(QDialog):
    """`changed` carries the invoice id once it is cancelled."""

    changed = Signal(int)

    def __init__(
        self, context: UiContext, invoice_id: int, number: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._invoice_id = invoice_id
        self.setObjectName("cancelInvoiceDialog")
        self.setWindowTitle(f"Cancel invoice {number}")
        self.setMinimumWidth(420)
        explanation = QLabel(
            f"Invoice {number} will be kept and marked Cancelled; its number is not reused. "
            "To correct it, duplicate it and issue the copy."
        )
        explanation.setWordWrap(True)
        caption = QLabel("&Reason")
        self.reason = QPlainTextEdit()
        self.reason.setObjectName("cancelReason")
        self.reason.setTabChangesFocus(True)
        self.reason.setPlaceholderText("Why is the invoice cancelled?")
        self.reason.setFixedHeight(90)
        caption.setBuddy(self.reason)
        reason_error = error_label("reasonError")
        self.general_error = error_label("cancelError")
        self.errors = FieldErrors(self.general_error)
        self.errors.add("Reason", self.reason, reason_error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.confirm_button = self.buttons.addButton(
            "Cancel invoice", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.confirm_button.setObjectName("confirmCancel")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Keep it")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addWidget(caption)
        layout.addWidget(self.reason)
        layout.addWidget(reason_error)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)

    def save(self) -> None:
        self.errors.clear()
        reason = self.reason.toPlainText()
        invoice_id = self._invoice_id
        invoices = self._context.services.invoices
        self.confirm_button.setEnabled(False)
        run_for(
            self,
            self._context.tasks,
            lambda: invoices.cancel(invoice_id, reason),
            self._done,
            self._no,
        )

    def _done(self, _: Invoice) -> None:
        self.changed.emit(self._invoice_id)
        self.accept()

    def _no(self, error: BaseException) -> None:
        self.confirm_button.setEnabled(True)
        if isinstance(error, UserFacingError):
            self.errors.show(error)
        else:
            show_error(self, error)
