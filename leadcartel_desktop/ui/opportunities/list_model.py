"""The deal list: one row per deal, sorted by raw values (money as integers, dates as dates)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from enum import IntEnum
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor

from leadcartel_desktop.domain.deals import close_passed
from leadcartel_desktop.i18n.formatting import format_date, format_money
from leadcartel_desktop.services.clock import shown_zone
from leadcartel_desktop.services.deal_views import DealFilter, DealRow
from leadcartel_desktop.services.registry import Services
from leadcartel_desktop.ui.colors import OVERDUE_RED
from leadcartel_desktop.ui.tasks import TaskRunner

AnyIndex = QModelIndex | QPersistentModelIndex
DISPLAY = int(Qt.ItemDataRole.DisplayRole)
ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
OVERDUE = QColor(OVERDUE_RED)
DEAL_ID_ROLE = int(Qt.ItemDataRole.UserRole)
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)


class DealColumn(IntEnum):
    NAME = 0
    CONTACT = 1
    VALUE = 2
    CLOSE = 3
    STAGE = 4
    PROBABILITY = 5
    PIPELINE = 6
    STATUS = 7


HEADERS = (
    "Deal",
    "Contact",
    "Value",
    "Expected close",
    "Stage",
    "Probability",
    "Pipeline",
    "Status",
)
# The service's sort key for each column (services/deal_list.py sorts by the raw values).
SORT_KEYS: dict[DealColumn, str] = {
    DealColumn.NAME: "name",
    DealColumn.CONTACT: "contact",
    DealColumn.VALUE: "value",
    DealColumn.CLOSE: "close",
    DealColumn.STAGE: "stage",
    DealColumn.PROBABILITY: "probability",
    DealColumn.PIPELINE: "pipeline",
    DealColumn.STATUS: "status",
}
RIGHT_ALIGNED = frozenset({DealColumn.VALUE, DealColumn.PROBABILITY})


def cells(row: DealRow, locale: str) -> tuple[str, ...]:
    close = format_date(row.expected_close, locale) if row.expected_close else "—"
    return (
        row.name,
        row.contact_name or "—",
        format_money(row.value_minor, row.currency, locale),
        close,
        row.stage,
        f"{row.probability}%",
        row.pipeline,
        row.status.label,
    )


class DealTableModel(QAbstractTableModel):
    """Rows come sorted from the service; clicking a header asks again with its sort key."""

    loaded = Signal()

    def __init__(self, services: Services, tasks: TaskRunner, parent: QObject | None = None):
        super().__init__(parent)
        self._services = services
        self._tasks = tasks
        self._rows: list[DealRow] = []
        self._cells: list[tuple[str, ...]] = []
        self._overdue: set[int] = set()  # rows whose expected close date has passed
        self._pipeline_id: int | None = None
        self._filters = DealFilter()
        self._sort = DealColumn.NAME
        self._descending = False
        self._asked = 0
        self.has_loaded = False

    @property
    def rows(self) -> Sequence[DealRow]:
        return self._rows

    def row_at(self, row: int) -> DealRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def refresh(self, pipeline_id: int | None = None, filters: DealFilter | None = None) -> None:
        if filters is not None:
            self._pipeline_id = pipeline_id
            self._filters = filters
        self._asked += 1
        asked = self._asked
        services = self._services
        pipeline, wanted = self._pipeline_id, self._filters
        key, descending = SORT_KEYS[self._sort], self._descending

        def work() -> tuple[list[DealRow], str, date]:
            rows = services.deals.rows(pipeline, wanted, key, descending)
            business = services.settings.business()
            today = services.clock.now().astimezone(shown_zone(business.time_zone)).date()
            return rows, business.locale, today

        self._tasks.run(work, lambda result: self._apply(asked, *result))

    def _apply(self, asked: int, rows: list[DealRow], locale: str, today: date) -> None:
        if not shiboken6.isValid(self) or asked != self._asked:
            return
        self.beginResetModel()
        self._rows = rows
        self._cells = [cells(row, locale) for row in rows]
        self._overdue = {
            position
            for position, row in enumerate(rows)
            if close_passed(row.status, row.expected_close, today)
        }
        self.endResetModel()
        self.has_loaded = True
        self.loaded.emit()

    # Qt model ------------------------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(HEADERS)

    def data(self, index: AnyIndex, role: int = DISPLAY) -> Any:
        row, column = index.row(), index.column()
        if not (0 <= row < len(self._rows) and 0 <= column < len(HEADERS)):
            return None
        if role == DISPLAY:
            return self._cells[row][column]
        if role == DEAL_ID_ROLE:
            return self._rows[row].id
        if role == ALIGNMENT:
            return RIGHT if column in RIGHT_ALIGNED else LEFT
        if role == FOREGROUND and column == DealColumn.CLOSE and row in self._overdue:
            return OVERDUE
        return None

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = DISPLAY
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(HEADERS):
            if role == DISPLAY:
                return HEADERS[section]
            if role == ALIGNMENT:
                return RIGHT if section in RIGHT_ALIGNED else LEFT
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(HEADERS):
            return
        self._sort = DealColumn(column)
        self._descending = order == Qt.SortOrder.DescendingOrder
        if self.has_loaded:
            self.refresh()
