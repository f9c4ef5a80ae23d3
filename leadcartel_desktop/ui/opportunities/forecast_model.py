"""The forecast table: per expected-close month and currency, weighted value, value and count."""

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

from leadcartel_desktop.i18n.formatting import format_money, format_month
from leadcartel_desktop.services.deal_views import DealFilter, ForecastRow
from leadcartel_desktop.services.registry import Services
from leadcartel_desktop.ui.tasks import TaskRunner

AnyIndex = QModelIndex | QPersistentModelIndex
DISPLAY = int(Qt.ItemDataRole.DisplayRole)
ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)


class ForecastColumn(IntEnum):
    MONTH = 0
    CURRENCY = 1
    WEIGHTED = 2
    VALUE = 3
    DEALS = 4


HEADERS = ("Expected close", "Currency", "Weighted value", "Total value", "Deals")
RIGHT_ALIGNED = frozenset({ForecastColumn.WEIGHTED, ForecastColumn.VALUE, ForecastColumn.DEALS})


def month_text(month: str, locale: str) -> str:
    """'2026-03' -> 'Mar 2026' (en_US), 'mars 2026' (fr_FR); anything else ('No date') as it is."""
    try:
        first = date.fromisoformat(f"{month}-01")
    except ValueError:
        return month
    return format_month(first, locale)


def cells(row: ForecastRow, locale: str) -> tuple[str, ...]:
    return (
        month_text(row.month, locale),
        row.currency,
        format_money(row.weighted_minor, row.currency, locale),
        format_money(row.value_minor, row.currency, locale),
        f"{row.deals:,}",
    )


class ForecastTableModel(QAbstractTableModel):
    """Months in order (no date last), currencies apart: amounts are never added across them."""

    loaded = Signal()

    def __init__(self, services: Services, tasks: TaskRunner, parent: QObject | None = None):
        super().__init__(parent)
        self._services = services
        self._tasks = tasks
        self._rows: list[ForecastRow] = []
        self._cells: list[tuple[str, ...]] = []
        self._asked = 0
        self.has_loaded = False

    @property
    def rows(self) -> Sequence[ForecastRow]:
        return self._rows

    def refresh(self, pipeline_id: int | None, filters: DealFilter) -> None:
        self._asked += 1
        asked = self._asked
        services = self._services

        def work() -> tuple[list[ForecastRow], str]:
            rows = services.deals.forecast(pipeline_id, filters)
            return rows, services.settings.business().locale

        self._tasks.run(work, lambda result: self._apply(asked, *result))

    def _apply(self, asked: int, rows: list[ForecastRow], locale: str) -> None:
        if not shiboken6.isValid(self) or asked != self._asked:
            return
        self.beginResetModel()
        self._rows = rows
        self._cells = [cells(row, locale) for row in rows]
        self.endResetModel()
        self.has_loaded = True
        self.loaded.emit()

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
        if role == ALIGNMENT:
            return RIGHT if column in RIGHT_ALIGNED else LEFT
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
