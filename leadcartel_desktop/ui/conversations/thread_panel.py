"""The right side of Threads: the contact's name, their messages as bubbles, the compose box."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from leadcartel_desktop.domain.outbox import Channel
from leadcartel_desktop.services.registry import Services
from leadcartel_desktop.services.thread_views import ThreadMessage, ThreadSummary
from leadcartel_desktop.ui.context import UiContext
from leadcartel_desktop.ui.conversations.bubble_delegate import BubbleDelegate
from leadcartel_desktop.ui.conversations.compose import ComposeBox
from leadcartel_desktop.ui.conversations.reach import ContactReach, reach_of
from leadcartel_desktop.ui.conversations.thread_model import Bubble, ThreadModel, bubble_of
from leadcartel_desktop.ui.errors import show_error
from leadcartel_desktop.ui.forms import confirm, run_for
from leadcartel_desktop.ui.widgets.empty_state import EmptyState


@dataclass(frozen=True, slots=True)
class EmailConsent:
    """The conversation's email address and whether it is on the opt-out register."""

    address: str
    unsubscribed: bool


LoadedThread = tuple[list[ThreadMessage], list[Bubble], ContactReach | None, EmailConsent | None]
# A thread opens at its newest PAGE_SIZE messages; older pages load when it is scrolled to the
# top. Every loaded row is measured for the layout (and again when the width changes), so a
# 5,000-message thread loaded whole would cost a visible pause on opening and on resizing.
PAGE_SIZE = 200
UNSUBSCRIBE = "Mark as unsubscribed from email"
RESUBSCRIBE = "Resubscribe to email"
# The reason stored on the register: the operator marked it (the person asked by mail, phone...).
MARKED_REASON = "unsubscribed from email (marked by the operator)"
CHOOSE = (
    "Choose a conversation",
    "Pick one on the left, or type a contact's name in 'Write to a contact…' to start one.",
)


class ThreadPanel(QWidget):
    """`loaded` fires once a thread's messages are in the view (and painted next)."""

    loaded = Signal()
    sent = Signal(int)

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("threadPanel")
        self._context = context
        self._asked = 0
        self.summary: ThreadSummary | None = None
        self.page_size = PAGE_SIZE
        self.complete = True  # every message of the thread is loaded
        self.fetching_older = False
        self.title = QLabel()
        self.title.setObjectName("threadTitle")
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.title.setFont(font)
        # Email sent by SMTP brings no unsubscribe back: when the person asks (by mail, by
        # phone), the operator puts the address on the opt-out register here. The register is
        # what every send checks, campaigns and queued messages alike.
        self.email_consent: EmailConsent | None = None
        self.email_state = QLabel()
        self.email_state.setObjectName("emailConsentState")
        self.email_state.setVisible(False)
        self.email_action = QPushButton(UNSUBSCRIBE)
        self.email_action.setObjectName("emailConsentAction")
        self.email_action.setVisible(False)
        self.email_action.clicked.connect(self._email_action_clicked)
        self.model = ThreadModel(self)
        self.view = QListView()
        self.view.setObjectName("threadView")
        self.view.setModel(self.model)
        self.delegate = BubbleDelegate(self.view, self.model, self)
        self.view.setItemDelegate(self.delegate)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setResizeMode(QListView.ResizeMode.Adjust)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setWordWrap(True)
        self.view.setSpacing(0)
        self.view.setStyleSheet("QListView#threadView { border: none; }")
        # A thread read at its newest message stays there when the view's height or its
        # rows change (the compose box grows, a message is added); scrolled up, it stays put.
        self._at_bottom = True
        bar = self.view.verticalScrollBar()
        bar.valueChanged.connect(self._scrolled)
        bar.rangeChanged.connect(lambda _low, high: self._range_changed(high))
        self.empty = EmptyState(*CHOOSE)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.view)
        self.compose = ComposeBox(context)
        self.compose.setVisible(False)
        self.compose.sent.connect(self._sent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        header = QHBoxLayout()
        header.setContentsMargins(12, 8, 12, 8)
        header.addWidget(self.title, 1)
        header.addWidget(self.email_state)
        header.addWidget(self.email_action)
        layout.addLayout(header)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.compose)

    def _scrolled(self, value: int) -> None:
        self._at_bottom = value >= self.view.verticalScrollBar().maximum() - 2
        if value == 0 and not self.complete:
            self.load_older()

    def _range_changed(self, high: int) -> None:
        if self._at_bottom:
            self.view.verticalScrollBar().setValue(high)

    def show_thread(self, summary: ThreadSummary | None) -> None:
        """Load the conversation's messages (and, for a contact, the channels to reply on)."""
        self.summary = summary
        self._asked += 1
        asked = self._asked
        if summary is None:
            self.title.setText("")
            self.empty.set_text(*CHOOSE)
            self.model.set_messages([])
            self.stack.setCurrentWidget(self.empty)
            self.compose.setVisible(False)
            self._show_email_consent(None)
            return
        shown = f"{summary.name}  ·  {summary.address}" if summary.address else summary.name
        self.title.setText(shown)
        services = self._context.services
        contact_id, address, name = summary.contact_id, summary.address, summary.name

        limit = self.page_size
        self.fetching_older = False

        def load() -> LoadedThread:
            if contact_id is None:
                messages = services.threads.unmatched_thread(address, limit)
            else:
                messages = services.threads.thread(contact_id, limit)
            # The bubbles' texts (times and statuses formatted) are made here, off the GUI
            # thread: for a long thread that is most of the work after the query.
            bubbles = [bubble_of(message) for message in messages]
            reach = reach_of(services, contact_id, name) if contact_id is not None else None
            return messages, bubbles, reach, email_consent_of(services, address, reach)

        run_for(self, self._context.tasks, load, lambda result: self._loaded(asked, result))

    def reload(self) -> None:
        self.show_thread(self.summary)

    def _loaded(self, asked: int, result: LoadedThread) -> None:
        if asked != self._asked:
            return  # another conversation was chosen meanwhile
        messages, bubbles, reach, consent = result
        self._show_email_consent(consent)
        self.complete = len(messages) < self.page_size
        self.delegate.forget()
        self.model.set_loaded(messages, bubbles)
        if messages:
            self.stack.setCurrentWidget(self.view)
        else:
            self.empty.set_text(
                "No messages yet", f"Write the first message to {self.summary_name()} below."
            )
            self.stack.setCurrentWidget(self.empty)
        # Lay the rows out now (the view would before its next paint anyway), so the scroll
        # range is known and the newest message is what paints first.
        self.compose.setVisible(True)
        self._at_bottom = True
        self.view.doItemsLayout()
        self.view.scrollToBottom()
        self._fill_view()
        if reach is None:
            self.compose.set_reach(None)
            self.compose.channel_note.setText(
                "This sender is not one of your contacts yet: add them as a contact to reply."
            )
        else:
            same = self.compose.reach is not None and self.compose.reach == reach
            if not same:
                self.compose.set_reach(reach, messages[-1].channel if messages else None)
        self.loaded.emit()

    # Email consent -----------------------------------------------------------------------

    def _show_email_consent(self, consent: EmailConsent | None) -> None:
        self.email_consent = consent
        self.email_action.setEnabled(True)
        self.email_action.setVisible(consent is not None)
        self.email_state.setVisible(consent is not None and consent.unsubscribed)
        if consent is None:
            return
        if consent.unsubscribed:
            self.email_state.setText("Unsubscribed from email")
            self.email_state.setToolTip(
                f"{consent.address} is on the opt-out register: no email is sent to it, "
                "campaigns leave it out and emails already queued are not sent."
            )
            self.email_action.setText(RESUBSCRIBE)
            self.email_action.setToolTip(
                f"Take {consent.address} off the register: only when the person asked to "
                "receive email again."
            )
        else:
            self.email_action.setText(UNSUBSCRIBE)
            self.email_action.setToolTip(
                f"Put {consent.address} on the opt-out register (the person asked to stop "
                "by email or phone): no more email goes to it, queued ones included."
            )

    def _email_action_clicked(self) -> None:
        consent = self.email_consent
        if consent is None:
            return
        if not consent.unsubscribed:
            self._change_email_consent(consent.address, unsubscribe=True)
            return
        confirm(
            self,
            RESUBSCRIBE,
            f"Send email to {consent.address} again? Resubscribe only when the person asked "
            "to receive email again.",
            lambda: self._change_email_consent(consent.address, unsubscribe=False),
            yes_text="Resubscribe",
        )

    def _change_email_consent(self, address: str, *, unsubscribe: bool) -> None:
        """Put `address` on the register or take it off (off the GUI thread), then reload."""
        threads = self._context.services.threads
        self.email_action.setEnabled(False)

        def work() -> EmailConsent:
            if unsubscribe:
                threads.unsubscribe(Channel.EMAIL, address, MARKED_REASON)
            else:
                threads.resubscribe(Channel.EMAIL, address)
            return EmailConsent(address, threads.is_opted_out(Channel.EMAIL, address))

        def done(consent: EmailConsent) -> None:
            if self.email_consent is not None and self.email_consent.address == address:
                self._show_email_consent(consent)
                self.reload()  # the compose box's email channel says it too

        def failed(error: BaseException) -> None:
            self.email_action.setEnabled(True)
            show_error(self, error)

        run_for(self, self._context.tasks, work, done, failed)

    def summary_name(self) -> str:
        return self.summary.name if self.summary else ""

    @property
    def at_newest(self) -> bool:
        """Showing the newest message (a refresh then shows what came since)."""
        return self._at_bottom and not self.fetching_older

    def load_older(self) -> None:
        """The page of messages before the oldest shown (off the GUI thread)."""
        summary = self.summary
        if summary is None or self.complete or self.fetching_older or not self.model.rowCount():
            return
        self.fetching_older = True
        asked = self._asked
        threads = self._context.services.threads
        contact_id, address = summary.contact_id, summary.address
        before, limit = self.model.message(0).id, self.page_size

        def load() -> tuple[list[ThreadMessage], list[Bubble]]:
            if contact_id is None:
                messages = threads.unmatched_thread(address, limit, before)
            else:
                messages = threads.thread(contact_id, limit, before)
            return messages, [bubble_of(message) for message in messages]

        run_for(self, self._context.tasks, load, lambda result: self._older_loaded(asked, *result))

    def _older_loaded(
        self, asked: int, messages: list[ThreadMessage], bubbles: list[Bubble]
    ) -> None:
        if asked != self._asked:
            return
        self.fetching_older = False
        self.complete = len(messages) < self.page_size
        bar = self.view.verticalScrollBar()
        value, high = bar.value(), bar.maximum()
        self.model.prepend(messages, bubbles)
        self.view.doItemsLayout()
        bar.setValue(value + bar.maximum() - high)  # the message read stays where it was
        self._fill_view()

    def _fill_view(self) -> None:
        """Page older messages in while the view has room left (it cannot be scrolled up)."""
        if not self.complete and self.view.verticalScrollBar().maximum() == 0:
            self.load_older()

    def _sent(self, message_id: int) -> None:
        self.sent.emit(message_id)
        self.reload()

    @property
    def messages(self) -> Sequence[ThreadMessage]:
        return [self.model.message(row) for row in range(self.model.rowCount())]


def email_consent_of(
    services: Services, address: str, reach: ContactReach | None
) -> EmailConsent | None:
    """The email address a conversation writes to and its register state (off the GUI thread).

    A contact's is their email; an unmatched sender's is the address they wrote from, when it
    is an email address. None when there is none.
    """
    if reach is not None:
        option = reach.option(Channel.EMAIL)
        email = option.address.strip() if option is not None else ""
    else:
        email = address.strip() if "@" in address else ""
    if not email:
        return None
    return EmailConsent(email, services.threads.is_opted_out(Channel.EMAIL, email))
