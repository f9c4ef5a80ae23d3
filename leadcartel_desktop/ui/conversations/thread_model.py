"""One contact's messages, newest last, as a list model whose rows the bubble delegate paints."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from leadcartel_desktop.services.thread_views import Direction, MessageStatus, ThreadMessage
from leadcartel_desktop.ui.conversations.texts import STATUS_NAMES, channel_name, full_time

AnyIndex = QModelIndex | QPersistentModelIndex
DISPLAY = int(Qt.ItemDataRole.DisplayRole)
TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
BUBBLE_ROLE = int(Qt.ItemDataRole.UserRole) + 1
ID_ROLE = int(Qt.ItemDataRole.UserRole)


@dataclass(frozen=True, slots=True)
class Bubble:
    """A message's texts, made once when the thread loads (paint only draws them)."""

    id: int
    outgoing: bool
    text: str  # the subject line (email) and the body
    meta: str  # "SMS · Mar 9, 2026 14:02 · Delivered"
    problem: str  # a failed message: "Error 21211: the hint"
    failed: bool


def bubble_of(message: ThreadMessage) -> Bubble:
    text = f"{message.subject}\n\n{message.body}" if message.subject else message.body
    status = STATUS_NAMES.get(message.status, message.status.value)
    meta = f"{channel_name(message.channel)} · {full_time(message.at)} · {status}"
    failed = message.status is MessageStatus.FAILED
    problem = ""
    if failed:
        code = f"Error {message.error_code}" if message.error_code else "Not sent"
        plain = message.hint or message.error or "The provider refused the message."
        problem = f"{code}: {plain}"
    return Bubble(
        message.id, message.direction is Direction.OUT, text or "(empty)", meta, problem, failed
    )


class ThreadModel(QAbstractListModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._messages: list[ThreadMessage] = []
        self._bubbles: list[Bubble] = []

    def set_messages(self, messages: Sequence[ThreadMessage]) -> None:
        self.beginResetModel()
        self._messages = list(messages)
        self._bubbles = [bubble_of(message) for message in self._messages]
        self.endResetModel()

    def set_loaded(self, messages: Sequence[ThreadMessage], bubbles: Sequence[Bubble]) -> None:
        """Show messages whose bubbles were made already (in a worker)."""
        self.beginResetModel()
        self._messages = list(messages)
        self._bubbles = list(bubbles)
        self.endResetModel()

    def prepend(self, messages: Sequence[ThreadMessage], bubbles: Sequence[Bubble]) -> None:
        """Older messages, paged in above the ones shown."""
        if not messages:
            return
        self.beginInsertRows(QModelIndex(), 0, len(messages) - 1)
        self._messages[:0] = messages
        self._bubbles[:0] = bubbles
        self.endInsertRows()

    def message(self, row: int) -> ThreadMessage:
        return self._messages[row]

    def bubble(self, row: int) -> Bubble:
        return self._bubbles[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._bubbles)

    def data(self, index: AnyIndex, role: int = DISPLAY) -> Any:
        row = index.row()
        if not 0 <= row < len(self._bubbles):
            return None
        bubble = self._bubbles[row]
        if role == BUBBLE_ROLE:
            return bubble
        if role == DISPLAY:
            return bubble.text
        if role == TOOLTIP:
            return f"{bubble.meta}\n{bubble.problem}" if bubble.problem else bubble.meta
        if role == ID_ROLE:
            return bubble.id
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
