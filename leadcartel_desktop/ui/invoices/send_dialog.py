"""Send invoice: review, delivery choices, templates with merge fields, live preview, Send once."""

from __future__ import annotations

from uuid import uuid4

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from leadcartel_desktop.domain.errors import UserFacingError
from leadcartel_desktop.domain.outbox import Channel
from leadcartel_desktop.domain.sms import sms_length
from leadcartel_desktop.services.send_invoice import (
    MERGE_FIELDS,
    SendResult,
    SendReview,
    check_filled,
    check_sms,
    check_templates,
    paid_in_full,
    render,
)
from leadcartel_desktop.ui.context import UiContext
from leadcartel_desktop.ui.errors import show_error
from leadcartel_desktop.ui.forms import error_label, run_for
from leadcartel_desktop.ui.invoices.send_channels import (
    WhatsAppPanel,
    choice_note,
    offerable,
    tell_without_link,
)

SEND = "&Send"


def _summary(review: SendReview) -> str:
    if review.paid_in_full:
        state = "Paid in full: no message asks for payment; Download PDF or Print gives a copy"
    elif review.is_draft:
        state = "Draft: sending issues it (number, lock)"
    else:
        state = "Already issued: sending does not change it"
    return (
        f"<b>{review.number}</b> to <b>{review.customer}</b><br>"
        f"Total {review.total}, amount due {review.amount_due}, due {review.due_date}<br>"
        f"Email: {review.email or '(none)'} · Mobile: {review.phone or '(none)'}<br>{state}"
    )


def _check(text: str, name: str) -> QCheckBox:
    box = QCheckBox(text)
    box.setObjectName(name)
    return box


class SendInvoiceDialog(QDialog):
    """Emits `sent(invoice_id, download_pdf, print)` once issued and its messages queued.

    When the cloud's payment link was meant to be used but is missing, `noted` carries why,
    and a non-blocking message box tells the operator.
    """

    sent = Signal(int, bool, bool)
    noted = Signal(str)
    loaded = Signal()

    def __init__(self, context: UiContext, invoice_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sendInvoiceDialog")
        self.setWindowTitle("Send invoice")
        self._context = context
        self.invoice_id = invoice_id
        self.send_key = uuid4().hex  # made once: a second press queues nothing new
        self.review: SendReview | None = None
        self.sending = False
        self.summary = QLabel("Loading…")
        self.summary.setObjectName("sendSummary")
        self.summary.setWordWrap(True)
        self.email = _check("&Email with the PDF", "sendEmail")
        self.sms = _check("S&MS link", "sendSms")
        self.whatsapp = _check("&WhatsApp link", "sendWhatsApp")
        self.download = _check("&Download PDF", "sendDownload")
        self.print_box = _check("&Print", "sendPrint")
        self.boxes = (self.email, self.sms, self.whatsapp, self.download, self.print_box)
        messages = (Channel.EMAIL, Channel.SMS, Channel.WHATSAPP)  # the first three boxes
        self.message_boxes = tuple(zip(self.boxes[:3], messages, strict=True))
        self.whatsapp_panel = WhatsAppPanel()
        self.whatsapp_panel.setVisible(False)
        self.whatsapp_panel.changed.connect(self.update_preview)
        self.note_box: QMessageBox | None = None
        self.why = QLabel()
        self.why.setObjectName("sendWhyNot")
        self.why.setWordWrap(True)
        self.subject = QLineEdit()
        self.subject.setObjectName("sendSubject")
        self.message = QPlainTextEdit()
        self.message.setObjectName("sendMessage")
        self.sms_message = QPlainTextEdit()
        self.sms_message.setObjectName("sendSmsMessage")
        self.sms_message.setMaximumHeight(80)
        self.sms_counter = QLabel()
        self.sms_counter.setObjectName("smsCounter")
        self.preview = QPlainTextEdit()
        self.preview.setObjectName("sendPreview")
        self.preview.setReadOnly(True)
        self.error = error_label("sendError")
        self._target: QLineEdit | QPlainTextEdit = self.message
        self.fields = self._field_menu()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.send_button = QPushButton(SEND)
        self.send_button.setObjectName("sendNow")
        self.send_button.setEnabled(False)
        self.buttons.addButton(self.send_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.send_button.clicked.connect(self.send)
        self.buttons.rejected.connect(self.reject)
        self._lay_out()
        for editor in (self.message, self.sms_message):
            editor.textChanged.connect(self.update_preview)
        self.subject.textChanged.connect(self.update_preview)
        for box in self.boxes:
            box.toggled.connect(self._choices_changed)
        services = context.services
        run_for(
            self,
            context.tasks,
            lambda: services.send_invoice.review(invoice_id),
            self._loaded,
            self._failed,
        )

    def _field_menu(self) -> QToolButton:
        button = QToolButton()
        button.setObjectName("mergeFields")
        button.setText("Insert field")
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(button)
        for name in MERGE_FIELDS:
            action = QAction("{" + name + "}", menu)
            action.setData(name)
            menu.addAction(action)
        menu.triggered.connect(self._field_chosen)
        button.setMenu(menu)
        for editor in (self.subject, self.message, self.sms_message):
            editor.installEventFilter(self)
        return button

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        """Remember the template editor last focused: the merge-field menu inserts there."""
        if event.type() == QEvent.Type.FocusIn and isinstance(watched, QLineEdit | QPlainTextEdit):
            self._target = watched
        return False

    def _field_chosen(self, action: QAction) -> None:
        self.insert_field(str(action.data()))

    def insert_field(self, name: str) -> None:
        """Insert {name} where the cursor is, in the editor last focused."""
        text = "{" + name + "}"
        if isinstance(self._target, QPlainTextEdit):
            self._target.insertPlainText(text)
        else:
            self._target.insert(text)

    def _lay_out(self) -> None:
        choices = QGroupBox("Delivery")
        row = QHBoxLayout(choices)
        for box in self.boxes:
            row.addWidget(box)
        form = QFormLayout()
        form.addRow("Subject", self.subject)
        form.addRow("Message", self.message)
        form.addRow("SMS", self.sms_message)
        form.addRow("", self.sms_counter)
        form.addRow("", self.fields)
        form.addRow("Preview", self.preview)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(choices)
        layout.addWidget(self.why)
        layout.addWidget(self.whatsapp_panel)
        layout.addLayout(form, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(620, 640)

    def _loaded(self, review: SendReview) -> None:
        self.review = review
        self.summary.setText(_summary(review))
        reasons = [paid_in_full(review.number)] if review.paid_in_full else []
        for box, channel in self.message_boxes:
            choice = review.choice(channel)
            possible = choice is not None and choice.possible and not review.paid_in_full
            box.setEnabled(offerable(choice) and not review.paid_in_full)
            box.setChecked(possible and channel is Channel.EMAIL)
            if choice is not None and choice.reason and not review.paid_in_full:
                reasons.append(f"{box.text().replace('&', '')}: {choice_note(choice)}")
        self.why.setText("\n".join(reasons))
        self.why.setVisible(bool(reasons))
        self.subject.setText(review.templates.subject)
        self.message.setPlainText(review.templates.message)
        self.sms_message.setPlainText(review.templates.sms_message)
        self.whatsapp_panel.load(review)
        self.update_preview()
        self.loaded.emit()

    def _failed(self, error: BaseException) -> None:
        show_error(self, error)
        self.reject()

    def _choices_changed(self) -> None:
        showing = self._wants_whatsapp()
        if showing and not self.whatsapp_panel.isVisible():  # room for it, editors kept usable
            self.resize(self.width(), max(self.height(), self.minimumSizeHint().height() + 240))
        self.whatsapp_panel.setVisible(showing)
        self.update_preview()

    def _wants_whatsapp(self) -> bool:
        return self.whatsapp.isChecked() and self.whatsapp.isEnabled()

    def channels(self) -> list[Channel]:
        chosen = self.message_boxes
        return [channel for box, channel in chosen if box.isChecked() and box.isEnabled()]

    def update_preview(self) -> None:
        """Render the templates for this customer; an unknown merge field is named at once."""
        review = self.review
        sms_text = self.sms_message.toPlainText()
        if review is not None:
            sms_text = render(sms_text, review.values)
        self.sms_counter.setText(sms_length(sms_text).describe())
        if review is None:
            return
        try:
            check_templates(
                self.subject.text(), self.message.toPlainText(), self.sms_message.toPlainText()
            )
            if self.sms.isChecked() and self.sms.isEnabled():
                check_sms(sms_text)
            bare = {**review.values, "payment_link": ""}  # as Send checks: the link may fail
            check_filled(
                self.channels(),
                render(self.subject.text(), bare),
                render(self.message.toPlainText(), bare),
                render(self.sms_message.toPlainText(), bare),
                sms_text=not self.whatsapp_panel.request().template_id,
            )
        except UserFacingError as error:
            self._refuse_send(error.message)
            return
        whatsapp = self._wants_whatsapp()
        problem = self.whatsapp_panel.problem() if whatsapp else ""
        if problem:
            self._refuse_send(problem)
            return
        self.error.setVisible(False)
        subject = render(self.subject.text(), review.values)
        body = render(self.message.toPlainText(), review.values)
        self.preview.setPlainText(f"Subject: {subject}\n\n{body}\n\n--- SMS ---\n{sms_text}")
        anything = bool(self.channels()) or self.download.isChecked() or self.print_box.isChecked()
        blocked = whatsapp and self.whatsapp_panel.missing_template()  # the note says why
        self.send_button.setEnabled(anything and not blocked and not self.sending)

    def _refuse_send(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(True)
        self.send_button.setEnabled(False)

    def send(self) -> None:
        """Issue and queue; a second press while the first runs does nothing."""
        if self.sending or self.review is None:
            return
        self.sending = True
        self.send_button.setEnabled(False)
        self._cancel_enabled(False)  # issued and queued either way: stay to tell the outcome
        self.send_button.setText("Sending…")
        service = self._context.services.send_invoice
        invoice_id, key, channels = self.invoice_id, self.send_key, self.channels()
        subject, message = self.subject.text(), self.message.toPlainText()
        sms_message = self.sms_message.toPlainText()
        whatsapp = self.whatsapp_panel.request()
        run_for(
            self,
            self._context.tasks,
            lambda: service.send(
                invoice_id,
                channels,
                subject=subject,
                message=message,
                sms_message=sms_message,
                send_key=key,
                whatsapp=whatsapp,
            ),
            self._sent,
            self._refused,
        )

    def _sent(self, result: SendResult) -> None:
        self.sending = False
        self.sent.emit(result.invoice.id, self.download.isChecked(), self.print_box.isChecked())
        self.accept()
        if result.note:  # the cloud's payment link was meant to be used: say why it is not
            number = result.invoice.number or self.invoice_id
            self.note_box = tell_without_link(self.parentWidget() or self, number, result.note)
            self.noted.emit(self.note_box.text())

    def reject(self) -> None:
        """Cancel, Escape or the close box; ignored while Send runs (it cannot be undone)."""
        if not self.sending:
            super().reject()

    def _cancel_enabled(self, enabled: bool) -> None:
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        if cancel is not None:
            cancel.setEnabled(enabled)

    def _refused(self, error: BaseException) -> None:
        self.sending = False
        self._cancel_enabled(True)
        self.send_button.setText(SEND)
        if not isinstance(error, UserFacingError):
            show_error(self, error)
            return
        self.error.setText(error.message)
        self.error.setVisible(True)
        self.update_preview()
