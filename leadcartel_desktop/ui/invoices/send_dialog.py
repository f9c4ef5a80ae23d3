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
    check_templates,
    render,
)
from leadcartel_desktop.ui.context import UiContext
from leadcartel_desktop.ui.errors import show_error
from leadcartel_desktop.ui.forms import error_label, run_for


def _summary(review: SendReview) -> str:
    state = "Draft: sending issues it (number, lock)" if review.is_draft else "Issued"
    return (
        f"<b>{review.number}</b> to <b>{review.customer}</b><br>"
        f"Total {review.total}, amount due {review.amount_due}, due {review.due_date}<br>"
        f"Email: {review.email or '(none)'} · Mobile: {review.phone or '(none)'}<br>{state}"
    )


class SendInvoiceDialog(QDialog):
    """Emits `sent(invoice_id, download_pdf, print)` once issued and its messages queued."""

    sent = Signal(int, bool, bool)
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
        self.email = QCheckBox("&Email with the PDF")
        self.email.setObjectName("sendEmail")
        self.sms = QCheckBox("S&MS link")
        self.sms.setObjectName("sendSms")
        self.download = QCheckBox("&Download PDF")
        self.download.setObjectName("sendDownload")
        self.print_box = QCheckBox("&Print")
        self.print_box.setObjectName("sendPrint")
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
        self.send_button = QPushButton("&Send")
        self.send_button.setObjectName("sendNow")
        self.send_button.setEnabled(False)
        self.buttons.addButton(self.send_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.send_button.clicked.connect(self.send)
        self.buttons.rejected.connect(self.reject)
        self._lay_out()
        for editor in (self.message, self.sms_message):
            editor.textChanged.connect(self.update_preview)
        self.subject.textChanged.connect(self.update_preview)
        for box in (self.email, self.sms, self.download, self.print_box):
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
        for box in (self.email, self.sms, self.download, self.print_box):
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
        layout.addLayout(form, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(620, 640)

    def _loaded(self, review: SendReview) -> None:
        self.review = review
        self.summary.setText(_summary(review))
        reasons = []
        for box, channel in ((self.email, Channel.EMAIL), (self.sms, Channel.SMS)):
            choice = review.choice(channel)
            possible = choice is not None and choice.possible
            box.setEnabled(choice is not None and bool(choice.recipient))
            box.setChecked(possible and channel is Channel.EMAIL)
            if choice is not None and choice.reason:
                reasons.append(f"{box.text().replace('&', '')}: {choice.reason}")
        self.why.setText("\n".join(reasons))
        self.subject.setText(review.templates.subject)
        self.message.setPlainText(review.templates.message)
        self.sms_message.setPlainText(review.templates.sms_message)
        self.update_preview()
        self.loaded.emit()

    def _failed(self, error: BaseException) -> None:
        show_error(self, error)
        self.reject()

    def _choices_changed(self) -> None:
        self.update_preview()

    def channels(self) -> list[Channel]:
        chosen = [(self.email, Channel.EMAIL), (self.sms, Channel.SMS)]
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
        except UserFacingError as error:
            self.error.setText(error.message)
            self.error.setVisible(True)
            self.send_button.setEnabled(False)
            return
        self.error.setVisible(False)
        subject = render(self.subject.text(), review.values)
        body = render(self.message.toPlainText(), review.values)
        self.preview.setPlainText(f"Subject: {subject}\n\n{body}\n\n--- SMS ---\n{sms_text}")
        anything = bool(self.channels()) or self.download.isChecked() or self.print_box.isChecked()
        self.send_button.setEnabled(anything and not self.sending)

    def send(self) -> None:
        """Issue and queue; a second press while the first runs does nothing."""
        if self.sending or self.review is None:
            return
        self.sending = True
        self.send_button.setEnabled(False)
        service = self._context.services.send_invoice
        invoice_id, key, channels = self.invoice_id, self.send_key, self.channels()
        subject, message = self.subject.text(), self.message.toPlainText()
        sms_message = self.sms_message.toPlainText()
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
            ),
            self._sent,
            self._refused,
        )

    def _sent(self, result: SendResult) -> None:
        self.sent.emit(result.invoice.id, self.download.isChecked(), self.print_box.isChecked())
        self.accept()

    def _refused(self, error: BaseException) -> None:
        self.sending = False
        if not isinstance(error, UserFacingError):
            show_error(self, error)
            return
        self.error.setText(error.message)
        self.error.setVisible(True)
        self.update_preview()
