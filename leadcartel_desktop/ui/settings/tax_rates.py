"""The business's tax rates as an editable table: name, percent, compound."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from leadcartel_desktop.domain.errors import ValidationError
from leadcartel_desktop.domain.money import parse_decimal
from leadcartel_desktop.domain.taxes import TaxRate
from leadcartel_desktop.i18n.formatting import DEFAULT_LOCALE, decimal_mark, editable_decimal
from leadcartel_desktop.ui.forms import error_label

AnyIndex = QModelIndex | QPersistentModelIndex
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)


class RateColumn(IntEnum):
    NAME = 0
    PERCENT = 1
    COMPOUND = 2

    @property
    def title(self) -> str:
        return ("Name", "Percent", "Compound")[self]


@dataclass(frozen=True, slots=True)
class _Row:
    name: str = ""
    percent: Decimal = Decimal(0)
    compound: bool = False


class TaxRatesModel(QAbstractTableModel):
    """Rows as typed; `rates()` turns them into TaxRates (ValidationError names the row)."""

    input_refused = Signal(str)
    edited = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[_Row] = []
        self._locale = DEFAULT_LOCALE

    def set_locale(self, locale: str) -> None:
        """Percents are shown and typed with this locale's decimal mark ('5,5' in fr_FR)."""
        self._locale = locale
        if self._rows:
            last = self.index(len(self._rows) - 1, RateColumn.PERCENT)
            self.dataChanged.emit(self.index(0, RateColumn.PERCENT), last)

    def set_rates(self, rates: Sequence[TaxRate]) -> None:
        self.beginResetModel()
        self._rows = [_Row(rate.name, rate.percent, rate.compound) for rate in rates]
        self.endResetModel()

    def rates(self) -> list[TaxRate]:
        result = []
        for number, row in enumerate(self._rows, start=1):
            if not row.name.strip():
                raise ValidationError("Tax rates", f"row {number}: the name is required")
            result.append(TaxRate(row.name.strip(), row.percent, row.compound))
        return result

    def add_rate(self) -> int:
        row = len(self._rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.append(_Row())
        self.endInsertRows()
        self.edited.emit()
        return row

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(RateColumn)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(RateColumn):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return RateColumn(section).title
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if section == RateColumn.PERCENT else LEFT
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self.checkIndex(index, self.CheckIndexOption.IndexIsValid):
            return None
        row, column = self._rows[index.row()], RateColumn(index.column())
        if column is RateColumn.COMPOUND:
            if role == Qt.ItemDataRole.CheckStateRole:
                return Qt.CheckState.Checked if row.compound else Qt.CheckState.Unchecked
            if role == Qt.ItemDataRole.ToolTipRole:
                return "Charged on the net plus the line's other taxes"
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column is RateColumn.NAME:
                return row.name
            return editable_decimal(row.percent, self._locale)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if column is RateColumn.PERCENT else LEFT
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == RateColumn.COMPOUND:
            return flags | Qt.ItemFlag.ItemIsUserCheckable
        return flags | Qt.ItemFlag.ItemIsEditable

    def setData(  # noqa: N802
        self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole
    ) -> bool:
        if not self.checkIndex(index, self.CheckIndexOption.IndexIsValid):
            return False
        number, column = index.row(), RateColumn(index.column())
        row = self._rows[number]
        if column is RateColumn.COMPOUND and role == Qt.ItemDataRole.CheckStateRole:
            row = replace(row, compound=Qt.CheckState(value) == Qt.CheckState.Checked)
        elif column is RateColumn.NAME and role == Qt.ItemDataRole.EditRole:
            row = replace(row, name=str(value).strip())
        elif column is RateColumn.PERCENT and role == Qt.ItemDataRole.EditRole:
            field = f"Tax rate {number + 1}, Percent"
            try:
                mark = decimal_mark(self._locale)
                percent = parse_decimal(str(value).strip().rstrip("%"), field, mark)
                if not Decimal(0) <= percent <= Decimal(100):
                    raise ValidationError(field, "must be between 0 and 100")
            except ValidationError as error:
                self.input_refused.emit(error.message)
                return False
            row = replace(row, percent=percent)
        else:
            return False
        self._rows[number] = row
        self.dataChanged.emit(index, index)
        self.edited.emit()
        return True

    def removeRows(self, row: int, count: int, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008, N802
        if parent.isValid() or row < 0 or count <= 0 or row + count > len(self._rows):
            return False
        self.beginRemoveRows(QModelIndex(), row, row + count - 1)
        del self._rows[row : row + count]
        self.endRemoveRows()
        self.edited.emit()
        return True


class TaxRatesPanel(QWidget):
    """The table with Add and Remove."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = TaxRatesModel(self)
        self.view = QTableView()
        self.view.setObjectName("taxRatesView")
        self.view.setAccessibleName("Tax rates")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(RateColumn.NAME, QHeaderView.ResizeMode.Stretch)
        self.view.setColumnWidth(RateColumn.PERCENT, 100)
        self.view.setColumnWidth(RateColumn.COMPOUND, 100)
        self.message = error_label("taxRatesMessage")
        self.add_button = QPushButton("&Add rate")
        self.add_button.setObjectName("addTaxRate")
        self.remove_button = QPushButton("&Remove rate")
        self.remove_button.setObjectName("removeTaxRate")
        for button in (self.add_button, self.remove_button):
            button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(self.add_rate)
        self.remove_button.clicked.connect(self.remove_selected)
        self.model.input_refused.connect(self._refused)
        self.model.edited.connect(self.message.hide)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)
        self.model.rowsRemoved.connect(self._update_buttons)
        self._update_buttons()

    def add_rate(self) -> None:
        row = self.model.add_rate()
        index = self.model.index(row, RateColumn.NAME)
        self.view.setCurrentIndex(index)
        self.view.setFocus()
        self.view.edit(index)

    def remove_selected(self) -> None:
        rows = self.view.selectionModel().selectedRows()
        if rows:
            self.model.removeRows(rows[0].row(), 1, QModelIndex())

    def _refused(self, message: str) -> None:
        self.message.setText(message)
        self.message.show()

    def _update_buttons(self) -> None:
        self.remove_button.setEnabled(bool(self.view.selectionModel().selectedRows()))
