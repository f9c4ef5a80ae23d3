"""The invoice editor's reminder row: "Send reminder now" and "Stop reminders for this invoice"."""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import uuid4

from PySide6.QtWidgets import QBoxLayout, QCheckBox, QHBoxLayout, QLabel, QPushButton, QWidget

from leadcartel_desktop.domain.invoice_status import OPEN_STATUSES
from leadcartel_desktop.ui.errors import show_error
from leadcartel_desktop.ui.forms import run_for

if TYPE_CHECKING:
    from leadcartel_desktop.domain.invoice import Invoice
    from leadcartel_desktop.ui.invoices.editor import InvoiceEditorDialog


class ReminderActions(QWidget):
    """Shown for an issued invoice with a balance; one `press` id per dialog opening."""

    def __init__(self, editor: InvoiceEditorDialog) -> None:
        super().__init__(editor)
        self.setObjectName("reminderActions")
        self._editor = editor
        self.press = uuid4().hex  # a double click (or a second click) queues one reminder
        self.invoice_id: int | None = None
        self.send_now = QPushButton("Send reminder now", objectName="sendReminderNow")
        self.send_now.setToolTip("Queue one payment reminder to the customer now")
        self.send_now.setAutoDefault(False)  # Enter must never send the customer a message
        self.stop = QCheckBox("Stop reminders for this invoice", objectName="stopReminders")
        self.note = QLabel(objectName="reminderNote")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.send_now)
        row.addWidget(self.stop)
        row.addWidget(self.note, 1)
        self.send_now.clicked.connect(self.send)
        self.stop.clicked.connect(self.set_stopped)
        self.setVisible(False)
        editor.loaded.connect(self.refresh)

    def refresh(self) -> None:
        """Follow the editor's invoice: visible only while something is owed on it."""
        state = self._editor.state
        invoice: Invoice | None = state.invoice if state is not None else None
        owed = (
            invoice is not None
            and not invoice.is_draft
            and invoice.status in OPEN_STATUSES
            and invoice.totals().balance > 0
        )
        self.invoice_id = invoice.id if owed and invoice is not None else None
        self.setVisible(owed)
        if self.invoice_id is None:
            return
        reminders, invoice_id = self._editor.context.services.reminders, self.invoice_id
        contact_id = invoice.content.contact_id if invoice is not None else None
        run_for(
            self,
            self._editor.context.tasks,
            lambda: (
                reminders.is_stopped(invoice_id),
                contact_id is not None and reminders.is_stopped_for_customer(contact_id),
            ),
            self._stops_loaded,
            self._failed,
        )

    def _stops_loaded(self, stops: tuple[bool, bool]) -> None:
        """The customer's own "no reminders" wish: Send reminder now is not offered."""
        stopped, customer_asked = stops
        self.stop.setChecked(stopped)
        self.send_now.setEnabled(not customer_asked)
        self.send_now.setToolTip(
            "The customer asked for no payment reminders (their contact's switch)"
            if customer_asked
            else "Queue one payment reminder to the customer now"
        )

    def send(self) -> None:
        if self.invoice_id is None:
            return
        reminders, invoice_id, press = (
            self._editor.context.services.reminders,
            self.invoice_id,
            self.press,
        )
        self.send_now.setEnabled(False)
        self.note.clear()
        run_for(
            self,
            self._editor.context.tasks,
            lambda: reminders.send_now(invoice_id, press=press),
            self._sent,
            self._failed,
        )

    def _sent(self, _outbox_id: int) -> None:
        self.send_now.setEnabled(True)
        self.note.setText("Reminder queued: it goes out with the outbox")

    def set_stopped(self, stopped: bool) -> None:
        if self.invoice_id is None:
            return
        reminders, invoice_id = self._editor.context.services.reminders, self.invoice_id
        run_for(
            self,
            self._editor.context.tasks,
            lambda: reminders.stop_for_invoice(invoice_id, stopped),
            None,
            self._failed,
        )

    def _failed(self, error: BaseException) -> None:
        self.send_now.setEnabled(True)
        show_error(self, error)


def attach_reminder_actions(editor: InvoiceEditorDialog) -> ReminderActions:
    """Add the reminder row above the editor's action bar."""
    actions = ReminderActions(editor)
    layout = editor.layout()
    if isinstance(layout, QBoxLayout):
        layout.insertWidget(layout.indexOf(editor.actions_bar), actions)
    return actions
