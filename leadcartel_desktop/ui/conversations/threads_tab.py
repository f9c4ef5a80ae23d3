"""The Threads tab: conversations on the left (search, unread badges), the chosen one right."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QItemSelection, Qt, QTimer, Signal
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QListView,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from leadcartel_desktop.domain.outbox import Channel
from leadcartel_desktop.services.thread_views import Direction, PullResult, ThreadSummary
from leadcartel_desktop.ui.context import UiContext
from leadcartel_desktop.ui.conversations.contact_finder import ContactFinder
from leadcartel_desktop.ui.conversations.conversation_list import (
    ConversationDelegate,
    ConversationListModel,
)
from leadcartel_desktop.ui.conversations.thread_panel import ThreadPanel
from leadcartel_desktop.ui.errors import error_text
from leadcartel_desktop.ui.forms import run_for
from leadcartel_desktop.ui.widgets.empty_state import EmptyState
from leadcartel_desktop.ui.widgets.search_box import SearchBox

REFRESH_MS = 15_000  # the list (and the open thread, when read at its end) re-read while shown
NO_CONVERSATIONS = (
    "Messages you send from a thread or a campaign appear here, and your contacts' replies "
    "are pulled from Twilio and your Lead Cartel account whenever the app is online."
)


class ThreadsTab(QWidget):
    message = Signal(str)
    loaded = Signal()  # the conversations list was (re)read

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("threadsTab")
        self._context = context
        self.conversations = ConversationListModel(self)
        self.search = SearchBox("Search conversations")
        self.search.setObjectName("conversationSearch")
        self.list_view = QListView()
        self.list_view.setObjectName("conversationList")
        self.list_view.setModel(self.conversations)
        self.list_view.setItemDelegate(ConversationDelegate(self.list_view))
        self.list_view.setUniformItemSizes(True)
        self.list_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.write_to = ContactFinder(context, "Write to a contact…")
        self.write_to.setObjectName("writeToContact")
        self.pull_button = QPushButton("Check for replies")
        self.pull_button.setObjectName("pullReplies")
        self.empty = EmptyState("No conversations yet", NO_CONVERSATIONS)
        self.list_stack = QStackedWidget()
        self.list_stack.addWidget(self.empty)
        self.list_stack.addWidget(self.list_view)
        self.thread = ThreadPanel(context)
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(8, 8, 0, 8)
        row = QHBoxLayout()
        row.addWidget(self.search, 1)
        row.addWidget(self.pull_button)
        column.addLayout(row)
        column.addWidget(self.write_to)
        column.addWidget(self.list_stack, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.thread)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([330, 800])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self.search.search_changed.connect(self._searched)
        self.list_view.selectionModel().selectionChanged.connect(self._chosen)
        self.pull_button.clicked.connect(self.pull)
        self.write_to.chosen.connect(self.write_to_contact)
        self.thread.sent.connect(lambda _id: self.refresh())
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self._tick)
        self._listing = False

    def _tick(self) -> None:
        """While shown: replies pulled in the background and statuses that moved appear."""
        if self._listing:
            return
        self.refresh()
        self._follow_thread()

    def _follow_thread(self) -> None:
        """New messages appear in the open thread, unless the operator is reading back in it."""
        if self.thread.summary is not None and self.thread.at_newest:
            self.thread.reload()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        self.timer.start()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802
        self.timer.stop()
        super().hideEvent(event)

    def refresh(self) -> None:
        services = self._context.services
        self._listing = True
        run_for(
            self,
            self._context.tasks,
            lambda: (services.threads.threads(), services.clock.now()),
            self._listed,
        )

    def _listed(self, result: tuple[list[ThreadSummary], object]) -> None:
        self._listing = False
        rows, now = result
        chosen = self.thread.summary
        self.list_view.selectionModel().blockSignals(True)
        self.conversations.set_rows(rows, now)  # type: ignore[arg-type]
        self.list_view.selectionModel().blockSignals(False)
        self.list_stack.setCurrentWidget(self.list_view if rows else self.empty)
        if chosen is not None:
            position = self.conversations.position_of(chosen.contact_id, chosen.address)
            if position is not None:
                self.list_view.selectionModel().blockSignals(True)
                self.list_view.setCurrentIndex(self.conversations.index(position))
                self.list_view.selectionModel().blockSignals(False)
                if self.conversations.summary(position).unread:
                    self._mark_read(self.conversations.summary(position))  # read as they come
        self.loaded.emit()

    def _searched(self, text: str) -> None:
        """Filter the list; the open conversation stays open (and chosen, when it matches)."""
        chosen = self.thread.summary
        selection = self.list_view.selectionModel()
        selection.blockSignals(True)
        self.conversations.set_search(text)
        if chosen is not None:
            position = self.conversations.position_of(chosen.contact_id, chosen.address)
            if position is not None:
                self.list_view.setCurrentIndex(self.conversations.index(position))
        selection.blockSignals(False)

    def _chosen(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        summary = self.conversations.summary(indexes[0].row()) if indexes else None
        self.open(summary)

    def open(self, summary: ThreadSummary | None) -> None:
        """Show a conversation, and mark its replies read."""
        self.thread.show_thread(summary)
        if summary is not None and summary.unread:
            self._mark_read(summary)

    def _mark_read(self, summary: ThreadSummary) -> None:
        threads = self._context.services.threads
        if summary.contact_id is None:
            address = summary.address
            run_for(
                self,
                self._context.tasks,
                lambda: threads.mark_unmatched_read(address),
                lambda _count: self.refresh(),
            )
        else:
            contact_id = summary.contact_id
            run_for(
                self,
                self._context.tasks,
                lambda: threads.mark_read(contact_id),
                lambda _count: self.refresh(),
            )

    def open_contact(self, contact_id: int) -> bool:
        """Choose the contact's conversation in the list (False when it is not shown)."""
        position = self.conversations.position_of(contact_id, "")
        if position is None:
            return False
        self.list_view.setCurrentIndex(self.conversations.index(position))
        return True

    def write_to_contact(self, contact_id: int, name: str) -> None:
        """Open the contact's conversation, or an empty one to write the first message in."""
        if self.open_contact(contact_id):
            return
        self.list_view.clearSelection()
        now = self.conversations.now or datetime.now(UTC)
        self.open(ThreadSummary(contact_id, name, "", Channel.SMS, Direction.OUT, "", now, 0))

    def pull(self) -> None:
        """Ask the providers for replies now (also done periodically while online)."""
        self.pull_button.setEnabled(False)
        inbound = self._context.services.inbound
        run_for(
            self,
            self._context.tasks,
            inbound.pull,
            self._pulled,
            self._pull_failed,
            database=False,  # network first: the database lane stays free meanwhile
        )

    def _pulled(self, result: PullResult) -> None:
        self.pull_button.setEnabled(True)
        text = f"{result.new} new repl{'y' if result.new == 1 else 'ies'}"
        if result.problems:
            text += " · " + "; ".join(result.problems)
        self.message.emit(text)
        self.refresh()
        self._follow_thread()

    def _pull_failed(self, error: BaseException) -> None:
        self.pull_button.setEnabled(True)
        self.message.emit(error_text(error))
