"""The List and Forecast tabs: plain table views over their models."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QKeyEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from leadcartel_desktop.ui.opportunities.forecast_model import ForecastColumn, ForecastTableModel
from leadcartel_desktop.ui.opportunities.list_model import DEAL_ID_ROLE, DealColumn, DealTableModel
from leadcartel_desktop.ui.widgets.hint_text import hint_label
from leadcartel_desktop.ui.widgets.stretch_column import ReadableStretch

FORECAST_NOTE = (
    "Weighted value = deal value × its stage's win probability, by expected-close month. "
    "Currencies are shown apart, never added together."
)
EMPTY_TEXT = "No deals match these filters."


class _Table(QTableView):
    """A table that says so when its loaded model has no rows, instead of staying blank."""

    def empty_text(self) -> str:
        model = self.model()
        loaded = bool(getattr(model, "has_loaded", False))
        return EMPTY_TEXT if loaded and model.rowCount() == 0 else ""

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        super().paintEvent(event)
        text = self.empty_text()
        if text:
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            area = self.viewport().rect().adjusted(8, 24, -8, -8)
            painter.drawText(area, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, text)
            painter.end()


def _configure(table: QTableView, name: str) -> None:
    """Read-only rows, selected whole, one at a time."""
    table.setObjectName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setHighlightSections(False)


class DealListView(_Table):
    """Every deal the filters let through; a header click sorts by that column's raw values."""

    open_requested = Signal(int)
    menu_requested = Signal(int, QPoint)

    def __init__(self, model: DealTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        _configure(self, "dealList")
        self.setModel(model)
        header = self.horizontalHeader()
        header.setSectionResizeMode(DealColumn.NAME, QHeaderView.ResizeMode.Stretch)
        for column, width in (
            (DealColumn.CONTACT, 150),
            (DealColumn.VALUE, 110),
            (DealColumn.CLOSE, 105),
            (DealColumn.STAGE, 115),
            (DealColumn.PROBABILITY, 90),
            (DealColumn.STATUS, 80),
        ):
            self.setColumnWidth(column, width)
        # The list shows the pipeline chosen above it: the column would repeat its name on
        # every row and push Status out of a 1024 px window.
        self.setColumnHidden(DealColumn.PIPELINE, True)
        self.name_column = ReadableStretch(self, DealColumn.NAME, 180)
        # The model's first order; set before sorting is enabled so it does not ask twice.
        header.setSortIndicator(DealColumn.NAME, Qt.SortOrder.AscendingOrder)
        self.setSortingEnabled(True)
        self.doubleClicked.connect(lambda index: self._open(index.data(DEAL_ID_ROLE)))
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._context_menu)

    def current_deal_id(self) -> int | None:
        deal_id = self.currentIndex().data(DEAL_ID_ROLE)
        return deal_id if isinstance(deal_id, int) else None

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        deal_id = self.current_deal_id()
        if deal_id is not None and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.open_requested.emit(deal_id)
            return
        super().keyPressEvent(event)

    def _open(self, deal_id: object) -> None:
        if isinstance(deal_id, int):
            self.open_requested.emit(deal_id)

    def _context_menu(self, point: QPoint) -> None:
        index = self.indexAt(point)
        if index.isValid():
            self.selectRow(index.row())
            self.menu_requested.emit(index.data(DEAL_ID_ROLE), self.viewport().mapToGlobal(point))


class ForecastView(QWidget):
    def __init__(self, model: ForecastTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = _Table()
        _configure(self.table, "forecastTable")
        self.table.setModel(model)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(ForecastColumn.MONTH, QHeaderView.ResizeMode.Stretch)
        for column in (ForecastColumn.WEIGHTED, ForecastColumn.VALUE):
            self.table.setColumnWidth(column, 170)
        self.note = hint_label(FORECAST_NOTE)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note)
