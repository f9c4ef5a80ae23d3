"""The outbox view's table: one message a row, filled from a list read off the GUI thread."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from leadcartel_desktop.domain.outbox import Channel, OutboxState
from leadcartel_desktop.services.outbox_view import (
    HELD,
    HELD_HINT,
    BusinessTime,
    OutboxListRow,
)

Index = QModelIndex | QPersistentModelIndex
FAILED_COLOUR = QColor("#b3261e")
UNKNOWN_COLOUR = QColor("#8a5a00")


class OutboxColumn(IntEnum):
    CHANNEL = 0
    RECIPIENT = 1
    FOR = 2  # the invoice or campaign it belongs to
    STATE = 3
    ATTEMPTS = 4
    NEXT_ATTEMPT = 5
    ERROR = 6
    HINT = 7


HEADERS = (
    "Channel",
    "Recipient",
    "For",
    "State",
    "Attempts",
    "Next attempt",
    "Last error",
    "What to do",
)
CHANNELS = {
    Channel.EMAIL: "Email",
    Channel.SMS: "SMS",
    Channel.WHATSAPP: "WhatsApp",
    Channel.CLOUD: "Cloud",
}
STATES = {
    OutboxState.PENDING: "Waiting",
    OutboxState.SENDING: "Sending",
    OutboxState.SENT: "Sent",
    OutboxState.DELIVERED: "Delivered",
    OutboxState.FAILED: "Failed",
    OutboxState.UNKNOWN: "Unknown",
    OutboxState.CANCELLED: "Cancelled",
}
_WAITS = {OutboxState.PENDING, OutboxState.UNKNOWN}


def when_text(value: datetime | None, shown: BusinessTime) -> str:
    """A due time in the business's zone, as campaigns write it (e.g. '5 Dec 2026 08:00')."""
    return "" if value is None else shown.text(value)


def error_text(row: OutboxListRow) -> str:
    """The last error with the provider's code, e.g. 'Bad number (code 21211)'."""
    if row.behind is not None:
        return HELD
    if row.last_error and row.last_error_code:
        return f"{row.last_error} (code {row.last_error_code})"
    return row.last_error or row.last_error_code or row.channel_error


def hint_text(row: OutboxListRow) -> str:
    """What the operator can do about it (why its channel keeps it waiting, first)."""
    if row.behind is not None:
        return HELD_HINT
    return row.channel_hint or row.last_error_hint


class OutboxTableModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[OutboxListRow] = []
        self.shown = BusinessTime()  # the business's zone and locale, once read

    def set_rows(self, rows: Sequence[OutboxListRow], shown: BusinessTime | None = None) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.shown = shown or self.shown
        self.endResetModel()

    def row_at(self, index: Index) -> OutboxListRow | None:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        return self._rows[index.row()]

    def row_of(self, message_id: int) -> int:
        """The model row showing `message_id`, or -1."""
        for position, row in enumerate(self._rows):
            if row.id == message_id:
                return position
        return -1

    # QAbstractTableModel ------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(HEADERS)
        ):
            return HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index)
        if row is None or not 0 <= index.column() < len(HEADERS):
            return None
        column = OutboxColumn(index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(row, column, self.shown)
        if role == Qt.ItemDataRole.ForegroundRole and column is OutboxColumn.STATE:
            if row.state is OutboxState.FAILED:
                return FAILED_COLOUR
            if row.state is OutboxState.UNKNOWN:
                return UNKNOWN_COLOUR
        if role == Qt.ItemDataRole.TextAlignmentRole and column is OutboxColumn.ATTEMPTS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None

    @staticmethod
    def _text(row: OutboxListRow, column: OutboxColumn, shown: BusinessTime) -> str:
        match column:
            case OutboxColumn.CHANNEL:
                return CHANNELS.get(row.channel, row.channel.value)
            case OutboxColumn.RECIPIENT:
                if row.contact_name:
                    return f"{row.contact_name} ({row.recipient})"
                return row.recipient
            case OutboxColumn.FOR:
                return row.invoice_number or (
                    f"Campaign {row.campaign_name}" if row.campaign_name else ""
                )
            case OutboxColumn.STATE:
                return STATES.get(row.state, row.state.value)
            case OutboxColumn.ATTEMPTS:
                return str(row.attempts)
            case OutboxColumn.NEXT_ATTEMPT:
                return when_text(row.next_attempt_at, shown) if row.state in _WAITS else ""
            case OutboxColumn.ERROR:
                return error_text(row)
            case OutboxColumn.HINT:
                return hint_text(row)
