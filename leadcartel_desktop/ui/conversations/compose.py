"""The compose box under a thread: channel, subject (email), text with its SMS counter, Send."""

from __future__ import annotations

from uuid import uuid4

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from leadcartel_desktop.domain.errors import UserFacingError
from leadcartel_desktop.domain.outbox import Channel
from leadcartel_desktop.domain.whatsapp import TEMPLATE_FIELD, VARIABLES_FIELD
from leadcartel_desktop.services.thread_views import WhatsAppTemplate
from leadcartel_desktop.services.threads import OUTSIDE_WINDOW
from leadcartel_desktop.ui.context import UiContext
from leadcartel_desktop.ui.conversations.reach import ContactReach, refusal_words
from leadcartel_desktop.ui.conversations.texts import channel_name
from leadcartel_desktop.ui.errors import show_error
from leadcartel_desktop.ui.forms import FieldErrors, error_label, run_for
from leadcartel_desktop.ui.widgets.hint_text import as_hint
from leadcartel_desktop.ui.widgets.sms_counter import SmsCounter
from leadcartel_desktop.ui.widgets.whatsapp_template import WhatsAppTemplateFields

TEXT_CHANNELS = (Channel.SMS, Channel.WHATSAPP)


class ComposeBox(QWidget):
    """Queues one message with services.threads.compose; `sent(message_id)` once it is queued."""

    sent = Signal(int)

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("composeBox")
        self._context = context
        self.reach: ContactReach | None = None
        self.sending = False
        self.draft_key = uuid4().hex  # one per message: a double click queues it once
        self.channel = QComboBox()
        self.channel.setObjectName("composeChannel")
        self.channel.setAccessibleName("Channel")
        self.subject = QLineEdit()
        self.subject.setObjectName("composeSubject")
        self.subject.setPlaceholderText("Subject")
        self.subject.setAccessibleName("Subject")
        self.body = QPlainTextEdit()
        self.body.setObjectName("composeBody")
        self.body.setAccessibleName("Message")
        self.body.setPlaceholderText("Write a message…")
        self.body.setMaximumHeight(96)
        self.counter = SmsCounter()
        self.whatsapp = WhatsAppTemplateFields("1=Ada; 2=Tuesday")
        self.whatsapp.set_note(OUTSIDE_WINDOW)
        self.send_button = QPushButton("&Send")
        self.send_button.setObjectName("composeSend")
        self.send_button.setDefault(False)
        self.channel_note = QLabel()
        self.channel_note.setObjectName("composeChannelNote")
        self.channel_note.setWordWrap(True)
        as_hint(self.channel_note)  # palette(mid) was about 1.7:1 on the window colour
        self.general_error = error_label("composeError")
        self.errors = FieldErrors(self.general_error)
        self._field_labels = {
            "Channel": (self.channel, error_label("composeChannelError")),
            "Subject": (self.subject, error_label("composeSubjectError")),
            "Message": (self.body, error_label("composeBodyError")),
            TEMPLATE_FIELD: (self.whatsapp.template_id, error_label("composeTemplateError")),
            VARIABLES_FIELD: (self.whatsapp.variables_edit, error_label("composeVariablesError")),
        }
        for field, (widget, label) in self._field_labels.items():
            self.errors.add(field, widget, label)
        self._lay_out()
        self.channel.currentIndexChanged.connect(lambda _index: self._channel_changed())
        self.body.textChanged.connect(self._text_changed)
        self.send_button.clicked.connect(self.send)
        self.send_button.setToolTip("Send (Ctrl+Enter)")
        shortcut = QShortcut(QKeySequence("Ctrl+Return"), self.body)
        shortcut.activated.connect(self.send)
        self.set_reach(None)

    def _lay_out(self) -> None:
        grid = QGridLayout(self)
        grid.setContentsMargins(8, 4, 8, 8)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(3)
        grid.addWidget(self.channel, 0, 0)
        grid.addWidget(self.subject, 0, 1)
        grid.addWidget(self.channel_note, 1, 0, 1, 3)
        grid.addWidget(self.whatsapp, 2, 0, 1, 3)
        grid.addWidget(self.body, 3, 0, 1, 2)
        grid.addWidget(self.send_button, 3, 2, Qt.AlignmentFlag.AlignBottom)
        grid.addWidget(self.counter, 4, 0, 1, 2)
        row = 5
        for _widget, label in self._field_labels.values():
            grid.addWidget(label, row, 0, 1, 3)
            row += 1
        grid.addWidget(self.general_error, row, 0, 1, 3)
        grid.setColumnStretch(1, 1)

    # The contact ----------------------------------------------------------------------------
    def set_reach(self, reach: ContactReach | None, prefer: Channel | None = None) -> None:
        """Offer the contact's channels; the others greyed, their reason in the tooltip.

        `prefer` (the channel the conversation last used) is chosen when it can be written on,
        so a reply goes the way the contact wrote; else the first channel that can.
        """
        self.reach = reach
        self.errors.clear()
        self.channel.blockSignals(True)
        self.channel.clear()
        model = self.channel.model()
        assert isinstance(model, QStandardItemModel)
        first_usable = -1
        for option in reach.options if reach else ():
            label = channel_name(option.channel)
            shown = f"{label} — {refusal_words(option)}" if option.refusal else label
            self.channel.addItem(shown, option.channel)
            item = model.item(self.channel.count() - 1)
            item.setToolTip(option.reason or option.address)
            item.setEnabled(option.possible)
            if option.possible and first_usable < 0:
                first_usable = self.channel.count() - 1
        preferred = self.channel.findData(prefer) if prefer is not None else -1
        if preferred >= 0 and model.item(preferred).isEnabled():
            self.channel.setCurrentIndex(preferred)
        else:
            self.channel.setCurrentIndex(max(first_usable, 0))
        self.channel.blockSignals(False)
        usable = first_usable >= 0
        for widget in (self.channel, self.body, self.subject):
            widget.setEnabled(usable)
        if reach is None:
            self.channel_note.setText("")
        elif not usable:
            reasons = " ".join(option.reason for option in reach.options)
            self.channel_note.setText(f"{reach.name} cannot be written to now. {reasons}")
        self._channel_changed()

    @property
    def current_channel(self) -> Channel | None:
        data = self.channel.currentData()  # a StrEnum comes back from Qt as a plain str
        return Channel(data) if isinstance(data, str) and data else None

    def _needs_template(self) -> bool:
        reach = self.reach
        return (
            reach is not None
            and self.current_channel is Channel.WHATSAPP
            and reach.whatsapp_needs_template
        )

    def _channel_changed(self) -> None:
        channel = self.current_channel
        option = self.reach.option(channel) if self.reach and channel else None
        self.subject.setVisible(channel is Channel.EMAIL)
        self.counter.setVisible(channel in TEXT_CHANNELS)
        needs_template = self._needs_template()
        self.whatsapp.setVisible(needs_template)
        self.body.setEnabled(option is not None and option.possible and not needs_template)
        if option is not None and option.possible:
            problem = option.provider_problem.rstrip(".")
            waits = f" · {problem} (the message waits in the outbox until then)"
            self.channel_note.setText(
                f"To {option.address}" + (waits if option.provider_problem else "")
            )
        self.errors.clear()
        self._text_changed()

    def _text_changed(self) -> None:
        if self.current_channel in TEXT_CHANNELS:
            self.counter.count(self.body.toPlainText())
        option = (
            self.reach.option(self.current_channel) if self.reach and self.current_channel else None
        )
        self.send_button.setEnabled(option is not None and option.possible and not self.sending)

    # Sending --------------------------------------------------------------------------------
    def send(self) -> None:
        reach, channel = self.reach, self.current_channel
        if self.sending or reach is None or channel is None:
            return
        template: WhatsAppTemplate | None = None
        if self._needs_template():
            try:
                template = WhatsAppTemplate(self.whatsapp.template, self.whatsapp.variables())
            except UserFacingError as error:
                self.errors.show(error)
                return
        self.sending = True
        self.send_button.setEnabled(False)
        threads = self._context.services.threads
        contact_id, key = reach.contact_id, self.draft_key
        body, subject = self.body.toPlainText(), self.subject.text()
        subject = subject if channel is Channel.EMAIL else ""
        run_for(
            self,
            self._context.tasks,
            lambda: threads.compose(contact_id, channel, body, subject, template, draft_key=key),
            self._queued,
            self._refused,
        )

    def _queued(self, message_id: int) -> None:
        self.sending = False
        self.draft_key = uuid4().hex
        self.errors.clear()
        self.body.clear()
        self.subject.clear()
        self.whatsapp.template_id.clear()
        self.whatsapp.variables_edit.clear()
        self._text_changed()
        self.sent.emit(message_id)

    def _refused(self, error: BaseException) -> None:
        self.sending = False
        self._text_changed()
        if isinstance(error, UserFacingError):
            self.errors.show(error)
        else:
            show_error(self, error)
