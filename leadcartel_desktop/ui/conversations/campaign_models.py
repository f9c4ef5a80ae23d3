"""Table models for campaigns: the list with progress, and one campaign's recipients."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from leadcartel_desktop.services.campaign_views import CampaignSummary, RecipientStatus
from leadcartel_desktop.ui.conversations.texts import (
    CAMPAIGN_STATUS_NAMES,
    business_time,
    channel_name,
    recipient_state,
)

AnyIndex = QModelIndex | QPersistentModelIndex
DISPLAY = int(Qt.ItemDataRole.DisplayRole)
TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
ID_ROLE = int(Qt.ItemDataRole.UserRole)
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
Row = TypeVar("Row")


class RowsTableModel(QAbstractTableModel, Generic[Row]):
    """A row's cells are formatted the first time it is shown, then looked up.

    A campaign's recipients may be tens of thousands, re-read every few seconds while shown:
    only the rows on screen are formatted.
    """

    HEADERS: tuple[str, ...] = ()
    RIGHT_ALIGNED: frozenset[int] = frozenset()
    TIME_COLUMNS: frozenset[int] = frozenset()  # in the business's zone, named in the header

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Row] = []
        self._cells: list[tuple[str, ...] | None] = []

    def set_rows(self, rows: Sequence[Row]) -> None:
        """Replace the rows; a list of the same length is updated in place (selection kept)."""
        cells: list[tuple[str, ...] | None] = [None] * len(rows)
        if len(rows) == len(self._rows) and rows:
            self._rows, self._cells = list(rows), cells
            last = self.index(len(rows) - 1, len(self.HEADERS) - 1)
            self.dataChanged.emit(self.index(0, 0), last)
            return
        self.beginResetModel()
        self._rows, self._cells = list(rows), cells
        self.endResetModel()

    def _cells_of(self, position: int) -> tuple[str, ...]:
        cells = self._cells[position]
        if cells is None:
            row = self._rows[position]
            cells = tuple(self._cell(row, column) for column in range(len(self.HEADERS)))
            self._cells[position] = cells
        return cells

    def row_at(self, row: int) -> Row | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def _cell(self, row: Row, column: int) -> str:
        raise NotImplementedError

    def _tip(self, row: Row) -> str:
        return ""

    def _id(self, row: Row) -> int:
        raise NotImplementedError

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = DISPLAY
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.HEADERS):
            return None
        zone = business_time().time_zone
        if role == DISPLAY:
            name = self.HEADERS[section]
            return f"{name} ({zone})" if section in self.TIME_COLUMNS else name
        if role == TOOLTIP and section in self.TIME_COLUMNS:
            return f"In {zone}, the business's time zone (Settings > Business)"
        if role == ALIGNMENT and section in self.RIGHT_ALIGNED:
            return RIGHT
        return None

    def data(self, index: AnyIndex, role: int = DISPLAY) -> Any:
        row = index.row()
        if not 0 <= row < len(self._rows) or not 0 <= index.column() < len(self.HEADERS):
            return None
        if role == DISPLAY:
            return self._cells_of(row)[index.column()]
        if role == TOOLTIP:
            return self._tip(self._rows[row]) or None
        if role == ALIGNMENT and index.column() in self.RIGHT_ALIGNED:
            return RIGHT
        if role == ID_ROLE:
            return self._id(self._rows[row])
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


def _when(at: datetime | None) -> str:
    """In the business's zone (the header names it), as the outbox writes times."""
    return business_time().text(at) if at is not None else ""


class CampaignListModel(RowsTableModel[CampaignSummary]):
    HEADERS = (
        "Name",
        "Channel",
        "Status",
        "Scheduled",
        "Queued",
        "Sent",
        "Delivered",
        "Failed",
        "Left out",
    )
    RIGHT_ALIGNED = frozenset(range(4, 9))
    TIME_COLUMNS = frozenset({3})

    def _cell(self, row: CampaignSummary, column: int) -> str:
        progress = row.progress
        match column:
            case 0:
                return row.name
            case 1:
                return channel_name(row.channel)
            case 2:
                return CAMPAIGN_STATUS_NAMES.get(row.status, row.status.value)
            case 3:
                return _when(row.scheduled_for)
            case 4:
                return f"{progress.queued:,}"
            case 5:
                return f"{progress.sent:,}"
            case 6:
                return f"{progress.delivered:,}"
            case 7:
                return f"{progress.failed:,}"
            case _:
                return f"{progress.left_out:,}"

    def _tip(self, row: CampaignSummary) -> str:
        progress = row.progress
        extra = [f"{progress.cancelled:,} cancelled"] if progress.cancelled else []
        if progress.unknown:
            extra.append(f"{progress.unknown:,} being checked with the provider")
        return f"{row.name}: {', '.join(extra)}" if extra else ""

    def _id(self, row: CampaignSummary) -> int:
        return row.id


class RecipientModel(RowsTableModel[RecipientStatus]):
    HEADERS = ("Recipient", "Address", "Status", "Due", "Error")
    TIME_COLUMNS = frozenset({3})

    def _cell(self, row: RecipientStatus, column: int) -> str:
        match column:
            case 0:
                return row.name
            case 1:
                return row.address
            case 2:
                return recipient_state(row.state, row.left_out_reason)
            case 3:
                return _when(row.due_at)
            case _:
                if not (row.error_code or row.hint or row.error):
                    return ""
                code = f"{row.error_code}: " if row.error_code else ""
                return f"{code}{row.hint or row.error}"

    def _tip(self, row: RecipientStatus) -> str:
        return row.error or row.hint

    def _id(self, row: RecipientStatus) -> int:
        return row.contact_id
