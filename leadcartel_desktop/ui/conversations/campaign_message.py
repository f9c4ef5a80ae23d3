"""A campaign's message: subject, text with merge fields, counter, template, and its preview."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from leadcartel_desktop.domain.campaigns import MERGE_FIELDS, CampaignDraft
from leadcartel_desktop.domain.errors import UserFacingError
from leadcartel_desktop.domain.outbox import Channel
from leadcartel_desktop.services.campaign_views import RenderedMessage
from leadcartel_desktop.ui.context import UiContext
from leadcartel_desktop.ui.errors import show_error
from leadcartel_desktop.ui.forms import error_label, run_for, sentence_of
from leadcartel_desktop.ui.widgets.merge_field_button import MergeFieldButton
from leadcartel_desktop.ui.widgets.sms_counter import SmsCounter, describe
from leadcartel_desktop.ui.widgets.whatsapp_template import WhatsAppTemplateFields

PREVIEW_DEBOUNCE_MS = 250
WAITS = "Until then the messages wait in the outbox: nothing is sent."
WARNING_STYLE = "background: #fff4e5; border: 1px solid #f0c36d; padding: 6px; color: #5c3c00;"
WHATSAPP_NOTE = (
    "WhatsApp allows free text only within 24 hours of a contact's last WhatsApp message; "
    "contacts outside that window are left out unless you give an approved template "
    "(its id and variables, which may use merge fields)."
)


def waits_sentence(problem: str) -> str:
    """The channel cannot send yet: why, and that the messages wait (as compose says)."""
    return f"{problem.rstrip('.')}. {WAITS}" if problem else ""


class CampaignMessage(QWidget):
    """`changed` on every edit; the dialog builds the draft from `draft_parts()`."""

    changed = Signal()

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("campaignMessage")
        self._context = context
        self._asked = 0
        self.channel = Channel.SMS
        self.make_draft: Callable[[], CampaignDraft] | None = None
        self.subject = QLineEdit()
        self.subject.setObjectName("campaignSubject")
        self.subject.setAccessibleName("Subject")
        self.body = QPlainTextEdit()
        self.body.setObjectName("campaignBody")
        self.body.setAccessibleName("Message")
        self.body.setPlaceholderText("Hi {first_name}, …")
        self.counter = SmsCounter()
        self.counter.setObjectName("campaignCounter")
        self.fields = MergeFieldButton(MERGE_FIELDS, [self.subject, self.body])
        self.whatsapp = WhatsAppTemplateFields("1={first_name}; 2={company}")
        self.whatsapp.set_note(WHATSAPP_NOTE)
        self.whatsapp_box = QGroupBox("WhatsApp template")
        QVBoxLayout(self.whatsapp_box).addWidget(self.whatsapp)
        self.preview_for = QComboBox()
        self.preview_for.setObjectName("campaignPreviewFor")
        self.preview_for.setAccessibleName("Preview for")
        self.preview_for.setMinimumWidth(220)
        self.preview = QPlainTextEdit()
        self.preview.setObjectName("campaignPreview")
        self.preview.setReadOnly(True)
        self.preview_counter = QLabel()
        self.preview_counter.setObjectName("campaignPreviewCounter")
        self.preview_error = error_label("campaignPreviewError")
        self.subject_error = error_label("campaignSubjectError")
        self.body_error = error_label("campaignBodyError")
        self.template_error = error_label("campaignTemplateError")
        self.variables_error = error_label("campaignVariablesError")
        self.provider_note = QLabel()  # the channel has no provider: the messages would wait
        self.provider_note.setObjectName("campaignProviderNote")
        self.provider_note.setWordWrap(True)
        self.provider_note.setStyleSheet(WARNING_STYLE)
        self.provider_note.hide()
        self._lay_out()
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DEBOUNCE_MS)
        self._preview_timer.timeout.connect(self.update_preview)
        self.body.textChanged.connect(self._edited)
        self.subject.textChanged.connect(self._edited)
        self.whatsapp.changed.connect(self._edited)
        self.preview_for.currentIndexChanged.connect(lambda _index: self.update_preview())
        self.set_channel(Channel.SMS)

    def _lay_out(self) -> None:
        editor = QFormLayout()
        self.subject_label = QLabel("&Subject")
        self.subject_label.setBuddy(self.subject)
        editor.addRow(self.subject_label, self.subject)
        editor.addRow("", self.subject_error)
        body_label = QLabel("&Message")
        body_label.setBuddy(self.body)
        editor.addRow(body_label, self.body)
        row = QHBoxLayout()
        row.addWidget(self.counter, 1)
        row.addWidget(self.fields)
        editor.addRow("", row)
        editor.addRow("", self.body_error)
        editor.addRow(self.whatsapp_box)
        editor.addRow("", self.template_error)
        editor.addRow("", self.variables_error)
        preview = QGroupBox("Preview")
        column = QVBoxLayout(preview)
        choose = QHBoxLayout()
        choose.addWidget(QLabel("As"))
        choose.addWidget(self.preview_for, 1)
        column.addLayout(choose)
        column.addWidget(self.preview, 1)
        column.addWidget(self.preview_counter)
        column.addWidget(self.preview_error)
        row = QHBoxLayout()
        left = QWidget()
        left.setLayout(editor)
        row.addWidget(left, 3)
        row.addWidget(preview, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.provider_note)
        layout.addLayout(row, 1)

    def set_channel(self, channel: Channel) -> None:
        self.channel = channel
        email = channel is Channel.EMAIL
        for widget in (self.subject, self.subject_label):
            widget.setVisible(email)
        self.counter.setVisible(not email)
        self.whatsapp_box.setVisible(channel is Channel.WHATSAPP)
        self.body.setPlaceholderText(
            "Hi {first_name},\n\nThe footer with your postal address and an unsubscribe line "
            "is added to every email."
            if email
            else "Hi {first_name}, …"
        )
        self._edited()

    def set_provider_problem(self, problem: str) -> None:
        """Why the channel cannot send now ('' when it can): its messages would wait."""
        self.provider_note.setText(waits_sentence(problem))
        self.provider_note.setVisible(bool(problem))

    def set_recipients(self, contact_ids: Sequence[int], names: dict[int, str]) -> None:
        """Offer the first recipients for the preview (the chosen one kept when still there)."""
        current = self.preview_for.currentData()
        self.preview_for.blockSignals(True)
        self.preview_for.clear()
        for contact_id in contact_ids:
            self.preview_for.addItem(names.get(contact_id, f"Contact {contact_id}"), contact_id)
        position = self.preview_for.findData(current)
        self.preview_for.setCurrentIndex(max(position, 0))
        self.preview_for.blockSignals(False)
        self.update_preview()

    def _edited(self) -> None:
        if self.channel is not Channel.EMAIL:
            self.counter.count(self.body.toPlainText())
        self._preview_timer.start()
        self.changed.emit()

    # Preview --------------------------------------------------------------------------------
    def update_preview(self) -> None:
        """Render the message for the chosen recipient (off the GUI thread)."""
        self._preview_timer.stop()
        self._asked += 1
        asked = self._asked
        contact_id = self.preview_for.currentData()
        self.preview_error.hide()
        if self.make_draft is None or not isinstance(contact_id, int):
            self.preview.setPlainText(
                "Choose recipients to see the message as one of them gets it."
            )
            self.preview_counter.clear()
            return
        try:
            draft = self.make_draft()
        except UserFacingError as error:
            self._preview_failed(asked, error)
            return
        campaigns = self._context.services.campaigns
        run_for(
            self,
            self._context.tasks,
            lambda: campaigns.preview(draft, contact_id),
            lambda rendered: self._previewed(asked, rendered),
            lambda error: self._preview_failed(asked, error),
        )

    def _previewed(self, asked: int, rendered: RenderedMessage) -> None:
        if asked != self._asked:
            return
        if rendered.channel is Channel.EMAIL:
            self.preview.setPlainText(
                f"To: {rendered.recipient}\nSubject: {rendered.subject}\n\n{rendered.text}"
            )
        else:
            self.preview.setPlainText(f"To: {rendered.recipient}\n\n{rendered.text}")
        self.preview_counter.setText(
            f"For this recipient: {describe(rendered.sms)}" if rendered.sms else ""
        )

    def _preview_failed(self, asked: int, error: BaseException) -> None:
        if asked != self._asked:
            return
        if not isinstance(error, UserFacingError):
            show_error(self, error)
            return
        self.preview.setPlainText("")
        self.preview_counter.clear()
        self.preview_error.setText(sentence_of(error))
        self.preview_error.show()
