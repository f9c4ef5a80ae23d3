"""The outbox view: what waits, what failed, what may have gone; retry, cancel or settle it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import suppress
from functools import partial

import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from leadcartel_desktop.domain.outbox import Channel, OutboxState
from leadcartel_desktop.services.outbox import OutboxService
from leadcartel_desktop.services.outbox_view import (
    FILTER_STATES,
    BusinessTime,
    OutboxFilter,
    OutboxListRow,
    channel_holds,
)
from leadcartel_desktop.ui.context import UiContext
from leadcartel_desktop.ui.errors import error_text, show_error
from leadcartel_desktop.ui.outbox.actions import ASKS_PROVIDER, TIPS, OutboxAction, allowed, work
from leadcartel_desktop.ui.outbox.model import CHANNELS, OutboxColumn, OutboxTableModel, hint_text
from leadcartel_desktop.ui.outbox.model import error_text as error_of
from leadcartel_desktop.ui.outbox_status import OutboxBridge
from leadcartel_desktop.ui.tasks import TaskRunner
from leadcartel_desktop.ui.widgets.empty_state import EmptyState
from leadcartel_desktop.ui.widgets.stretch_column import ReadableStretch

_Listing = tuple[OutboxFilter, list[OutboxListRow], dict[OutboxState, int], BusinessTime]
Business = Callable[[], BusinessTime]  # the business's zone and locale (read off the GUI thread)
REFRESH_DELAY_MS = 300  # a burst of outbox changes reloads the list once
EMPTY = {
    OutboxFilter.ALL: "Nothing is queued",
    OutboxFilter.WAITING: "Nothing is waiting to be sent",
    OutboxFilter.FAILED: "No message has failed",
    OutboxFilter.UNKNOWN: "No message needs checking",
    OutboxFilter.SENT: "No message has been sent yet",
}
EMPTY_TEXT = "Messages you send wait here until the provider accepts them."
# "What to do" (the last column) stretches, never narrower than HINT_MINIMUM (the table then
# scrolls sideways); the selected message's whole error and hint are shown under the table.
# The others fit what the first rows say (a name and number, 'Campaign Winter promo'), up to:
WIDEST = {
    OutboxColumn.CHANNEL: 90,
    OutboxColumn.RECIPIENT: 320,
    OutboxColumn.FOR: 240,
    OutboxColumn.STATE: 90,
    OutboxColumn.ATTEMPTS: 80,
    OutboxColumn.NEXT_ATTEMPT: 150,
    OutboxColumn.ERROR: 260,
}
WIDTHS = {  # before any row is listed
    OutboxColumn.CHANNEL: 75,
    OutboxColumn.RECIPIENT: 200,
    OutboxColumn.FOR: 110,
    OutboxColumn.STATE: 80,
    OutboxColumn.ATTEMPTS: 70,
    OutboxColumn.NEXT_ATTEMPT: 130,
    OutboxColumn.ERROR: 160,
}
HINT_MINIMUM = 200
HELD_STYLE = "background: #fff4e5; border: 1px solid #f0c36d; padding: 6px; color: #5c3c00;"


def held_text(rows: Sequence[OutboxListRow]) -> str:
    """One line per channel that keeps messages waiting: how many, and what to do."""
    held: dict[Channel, tuple[int, str]] = {}
    for row in rows:
        if row.channel_hint:
            count, _hint = held.get(row.channel, (0, ""))
            held[row.channel] = (count + 1, row.channel_hint)
    lines = []
    for channel, (count, hint) in held.items():
        name = CHANNELS.get(channel, channel.value)
        waits = "message waits" if count == 1 else "messages wait"
        lines.append(f"{count:,} {name} {waits} here, not sent: {hint.rstrip('.')}.")
    return "\n".join(lines)


class OutboxDialog(QDialog):
    """Lists the outbox (read off the GUI thread) and runs the operator's actions."""

    def __init__(
        self,
        outbox: OutboxService,
        tasks: TaskRunner,
        parent: QWidget | None = None,
        business: Business | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("outboxDialog")
        self.setWindowTitle("Outbox")
        self.resize(1000, 480)
        self._outbox = outbox
        self._tasks = tasks
        self._business = business or BusinessTime
        self._loading = False
        self._again = False
        self._fitted = False  # the columns fitted to the first rows
        self.loads = 0  # lists received (for tests)
        self.model = OutboxTableModel(self)
        self._build()
        self._later = QTimer(self, singleShot=True, interval=REFRESH_DELAY_MS)
        self._later.timeout.connect(self.reload)
        self.bridge = OutboxBridge(self)
        self.bridge.changed.connect(self._soon)
        outbox.on_change(self.bridge.notify)
        self.finished.connect(lambda _result: outbox.off_change(self.bridge.notify))
        self.reload()

    def _build(self) -> None:
        self.filter = QComboBox()
        self.filter.setObjectName("outboxFilter")
        for shown in OutboxFilter:
            self.filter.addItem(shown.value)
        self.filter.currentIndexChanged.connect(lambda _index: self.reload())
        self.zone = QLabel("")  # the zone the times are in
        self.zone.setObjectName("outboxZone")
        top = QHBoxLayout()
        top.addWidget(QLabel("Show:"))
        top.addWidget(self.filter)
        top.addStretch(1)
        top.addWidget(self.zone)
        self.held = QLabel("")  # channels that keep messages waiting (no provider, paused)
        self.held.setObjectName("outboxHeld")
        self.held.setWordWrap(True)
        self.held.setStyleSheet(HELD_STYLE)
        self.held.hide()
        self.table = QTableView()
        self.table.setObjectName("outboxTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        for column, width in WIDTHS.items():
            self.table.setColumnWidth(column, width)
        self.hint_column = ReadableStretch(self.table, OutboxColumn.HINT, HINT_MINIMUM)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.empty = EmptyState(EMPTY[OutboxFilter.ALL], EMPTY_TEXT)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        self.more = QLabel("")  # when the list stops short of every message in the filter
        self.more.setObjectName("outboxMore")
        self.more.hide()
        self.detail = QLabel("")  # the selected message's whole error and hint
        self.detail.setObjectName("outboxDetail")
        self.detail.setWordWrap(True)
        self.note = QLabel("")
        self.note.setObjectName("outboxNote")
        self.note.setWordWrap(True)
        buttons = QHBoxLayout()
        self.buttons: dict[OutboxAction, QPushButton] = {}
        for action in OutboxAction:
            button = QPushButton(action.value)
            button.setToolTip(TIPS[action])
            button.setEnabled(False)
            button.clicked.connect(partial(self.run_action, action))
            self.buttons[action] = button
            buttons.addWidget(button)
        buttons.addStretch(1)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        buttons.addWidget(close)
        column = QVBoxLayout(self)
        column.addLayout(top)
        column.addWidget(self.held)
        column.addWidget(self.stack, 1)
        column.addWidget(self.more)
        column.addWidget(self.detail)
        column.addWidget(self.note)
        column.addLayout(buttons)

    # Loading ------------------------------------------------------------------------------
    @property
    def shown(self) -> OutboxFilter:
        filters = list(OutboxFilter)
        index = self.filter.currentIndex()
        return filters[index] if 0 <= index < len(filters) else OutboxFilter.ALL

    def reload(self) -> None:
        """Read the list again (in the task runner); a reload asked meanwhile runs after."""
        if self._loading:
            self._again = True
            return
        self._loading, self._again = True, False
        outbox, shown, business = self._outbox, self.shown, self._business

        def load() -> _Listing:
            rows = channel_holds(outbox.listing(shown), outbox.unavailable, outbox.refused)
            return shown, rows, outbox.counts(), business()

        self._tasks.run(load, self._loaded, self._failed)

    def _soon(self) -> None:
        if not self._later.isActive():
            self._later.start()

    def _loaded(self, result: _Listing) -> None:
        if not shiboken6.isValid(self):
            return
        self._loading = False
        shown, rows, counts, times = result
        if self._again or shown is not self.shown:
            self.reload()
            return
        selected = self.selected()
        self.model.set_rows(rows, times)
        self.loads += 1
        self.zone.setText(f"Times in {times.time_zone} (the business's time zone)")
        held = held_text(rows)
        self.held.setText(held)
        self.held.setVisible(bool(held))
        if rows and not self._fitted:
            self._fit_columns()
        self.empty.set_text(EMPTY[shown], EMPTY_TEXT if shown is OutboxFilter.ALL else "")
        self.stack.setCurrentWidget(self.table if rows else self.empty)
        total = sum(counts.get(state, 0) for state in FILTER_STATES[shown])
        self.more.setText(
            f"Showing the newest {len(rows):,} of {total:,} messages: the oldest are not listed."
        )
        self.more.setVisible(total > len(rows))
        if selected is not None and (position := self.model.row_of(selected.id)) >= 0:
            self.table.selectRow(position)
        self._update_buttons()

    def _fit_columns(self) -> None:
        """Each column but "What to do" as wide as its header and the rows on screen say.

        Once, on the first rows: the operator may resize them after.
        """
        self._fitted = True
        header = self.table.horizontalHeader()
        for column, widest in WIDEST.items():
            fitted = max(header.sectionSizeHint(column), self.table.sizeHintForColumn(column))
            self.table.setColumnWidth(column, min(fitted, widest))

    def _failed(self, error: BaseException) -> None:
        if shiboken6.isValid(self):
            self._loading = False
            self.note.setText(error_text(error))

    # Actions ------------------------------------------------------------------------------
    def selected(self) -> OutboxListRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0]) if rows else None

    def select_message(self, message_id: int) -> bool:
        position = self.model.row_of(message_id)
        if position >= 0:
            self.table.selectRow(position)
        return position >= 0

    def _update_buttons(self) -> None:
        row = self.selected()
        state: OutboxState | None = row.state if row is not None else None
        said = [error_of(row), hint_text(row)] if row is not None else []
        self.detail.setText("\n".join(part for part in said if part))
        for action, button in self.buttons.items():
            button.setEnabled(allowed(action, state))

    def run_action(self, action: OutboxAction) -> None:
        row = self.selected()
        if row is None or not allowed(action, row.state):
            return
        for button in self.buttons.values():
            button.setEnabled(False)  # one decision at a time
        self.note.setText("Asking the provider…" if action in ASKS_PROVIDER else "")
        self._tasks.run(
            work(action, self._outbox, row.id),
            self._acted,
            self._refused,
            database=action not in ASKS_PROVIDER,
        )

    def _acted(self, said: str) -> None:
        if shiboken6.isValid(self):
            self.note.setText(said)
            self.reload()

    def _refused(self, error: BaseException) -> None:
        if shiboken6.isValid(self):
            self.note.setText(error_text(error))
            with suppress(RuntimeError):
                show_error(self, error, "Outbox")
            self.reload()


def open_outbox(
    outbox: OutboxService, tasks: TaskRunner, parent: QWidget, business: Business | None = None
) -> OutboxDialog:
    """Show the outbox view (one per window: an open one is raised).

    Its times are in the business's zone: `business` reads it, else the settings of the
    window's `context` (MainWindow's).
    """
    for child in parent.findChildren(OutboxDialog):
        if child.isVisible():
            child.raise_()
            child.activateWindow()
            return child
    dialog = OutboxDialog(outbox, tasks, parent, business or business_of(parent))
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def business_of(window: QWidget) -> Business | None:
    """The zone and locale of the business whose window this is (its UiContext's settings)."""
    context = getattr(window, "context", None)
    if not isinstance(context, UiContext):
        return None
    settings = context.services.settings
    return lambda: BusinessTime.of(settings.business())
