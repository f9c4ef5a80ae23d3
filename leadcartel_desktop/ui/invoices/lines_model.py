"""The invoice's item lines as an editable, reorderable table model."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from leadcartel_desktop.domain.errors import ValidationError
from leadcartel_desktop.domain.invoice import MAX_LINES
from leadcartel_desktop.domain.money import (
    format_plain,
    parse_decimal,
    parse_money,
    to_major,
    to_minor,
)
from leadcartel_desktop.domain.taxes import TaxRate
from leadcartel_desktop.domain.totals import LineItem
from leadcartel_desktop.i18n.formatting import (
    DEFAULT_LOCALE,
    decimal_mark,
    editable_amount,
    editable_decimal,
    format_amount,
)

AnyIndex = QModelIndex | QPersistentModelIndex
LINE_ROWS_MIME = "application/x-leadcartel-invoice-rows"
NO_TAX = "No Tax"
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)


class Column(IntEnum):
    DESCRIPTION = 0
    QUANTITY = 1
    UNIT = 2
    UNIT_PRICE = 3
    TAXES = 4
    AMOUNT = 5

    @property
    def title(self) -> str:
        return self.name.replace("_", " ").capitalize()


NUMERIC = {Column.QUANTITY, Column.UNIT_PRICE, Column.AMOUNT}


def taxes_label(taxes: Sequence[TaxRate]) -> str:
    return ", ".join(rate.label for rate in taxes) if taxes else NO_TAX


@dataclass(frozen=True, slots=True)
class _Line:
    """One row as edited: the same fields as a LineItem, replaced whole on every edit."""

    description: str = ""
    quantity: Decimal = Decimal(1)
    unit: str = ""
    unit_price: int = 0
    taxes: tuple[TaxRate, ...] = ()

    def item(self) -> LineItem:
        return LineItem(self.description, self.quantity, self.unit_price, self.taxes, self.unit)


class LinesModel(QAbstractTableModel):
    """Invoice lines; money in minor units of `currency`, parsed with parse_money, never float."""

    lines_changed = Signal()
    input_refused = Signal(str)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._lines: list[_Line] = []
        self._currency = "USD"
        self._locale = DEFAULT_LOCALE
        self._read_only = False
        self._default_taxes: tuple[TaxRate, ...] = ()

    # --- state -------------------------------------------------------------------------------
    def set_lines(self, items: Sequence[LineItem], currency: str) -> None:
        self.beginResetModel()
        self._currency = currency
        self._lines = [
            _Line(item.description, item.quantity, item.unit, item.unit_price, item.taxes)
            for item in items
        ]
        self.endResetModel()
        self.lines_changed.emit()

    def items(self) -> tuple[LineItem, ...]:
        return tuple(line.item() for line in self._lines)

    @property
    def currency(self) -> str:
        return self._currency

    def check_currency(self, currency: str) -> None:
        """Refuse, naming the first row at fault, a currency some typed price does not fit.

        A price is the number the operator typed: 10.55 stays 10.55 in any currency that has
        cents, and cannot become JPY (no decimals) without being changed by hand first.
        """
        for row, line in enumerate(self._lines):
            typed = format_plain(line.unit_price, self._currency)
            parse_money(typed, currency, f"Item {row + 1}, {Column.UNIT_PRICE.title}", ".")

    def set_currency(self, currency: str) -> None:
        """Keep every typed price as it is (10.55 EUR becomes 10.55 USD, never rounded).

        Raises ValidationError, changing nothing, when a price does not fit `currency`.
        """
        if currency == self._currency:
            return
        self.check_currency(currency)
        old, self._currency = self._currency, currency
        # Exact: check_currency made sure no price needs rounding to fit the new currency.
        self._lines = [
            replace(line, unit_price=to_minor(to_major(line.unit_price, old), currency))
            for line in self._lines
        ]
        self._emit_changed(0, len(self._lines) - 1, Column.UNIT_PRICE, Column.AMOUNT)

    def set_locale(self, locale: str) -> None:
        """The business locale: how figures are shown, and which decimal mark typing uses."""
        self._locale = locale
        self._emit_changed(0, len(self._lines) - 1, Column.QUANTITY, Column.AMOUNT, emit=False)

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self._emit_changed(0, len(self._lines) - 1, Column.DESCRIPTION, Column.AMOUNT, emit=False)

    @property
    def read_only(self) -> bool:
        return self._read_only

    def set_default_taxes(self, taxes: Sequence[TaxRate]) -> None:
        """Taxes the first line starts with; the editor gives the first rate in Settings.

        A new line takes the taxes of the line above it (most invoices tax every line alike,
        and an operator who changed a line's taxes usually wants the next one the same); only
        the first line, with nothing above it, falls back to these.
        """
        self._default_taxes = tuple(taxes)

    def line_taxes(self, row: int) -> tuple[TaxRate, ...]:
        return self._lines[row].taxes

    def add_line(self) -> int:
        """Append an empty line and return its row."""
        row = len(self._lines)
        if row >= MAX_LINES:
            self.input_refused.emit(f"Items: an invoice holds at most {MAX_LINES} lines")
            return -1
        taxes = self._lines[-1].taxes if self._lines else self._default_taxes
        self.beginInsertRows(QModelIndex(), row, row)
        self._lines.append(_Line(taxes=taxes))
        self.endInsertRows()
        self.lines_changed.emit()
        return row

    def _emit_changed(
        self, first: int, last: int, left: Column, right: Column, *, emit: bool = True
    ) -> None:
        if last >= first:
            self.dataChanged.emit(self.index(first, left), self.index(last, right))
        if emit:
            self.lines_changed.emit()

    # --- read ------------------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(Column)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(Column):
            if role == Qt.ItemDataRole.DisplayRole:
                return Column(section).title
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return RIGHT if Column(section) in NUMERIC else LEFT
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self.checkIndex(index, self.CheckIndexOption.IndexIsValid):
            return None
        line, column = self._lines[index.row()], Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(line, column)
        if role == Qt.ItemDataRole.EditRole:
            return self._edit_value(line, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if column in NUMERIC else LEFT
        if role == Qt.ItemDataRole.ToolTipRole and column is Column.DESCRIPTION:
            return line.description or None
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{column.title}: {self._display(line, column)}"
        return None

    def _display(self, line: _Line, column: Column) -> str:
        if column is Column.DESCRIPTION:
            return line.description
        if column is Column.QUANTITY:
            return editable_decimal(line.quantity, self._locale)
        if column is Column.UNIT:
            return line.unit
        if column is Column.UNIT_PRICE:
            return format_amount(line.unit_price, self._currency, self._locale)
        if column is Column.TAXES:
            return taxes_label(line.taxes)
        return format_amount(line.item().amount, self._currency, self._locale)

    def _edit_value(self, line: _Line, column: Column) -> Any:
        if column is Column.UNIT_PRICE:
            return editable_amount(line.unit_price, self._currency, self._locale)
        if column is Column.TAXES:
            return line.taxes
        return self._display(line, column)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled if not self._read_only else Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self._read_only:
            return flags
        flags |= Qt.ItemFlag.ItemIsDragEnabled
        if Column(index.column()) is not Column.AMOUNT:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    # --- edit ------------------------------------------------------------------------------
    def parse(self, row: int, column: Column, text: str) -> Any:
        """The value typed into a cell, or ValidationError naming the row and column."""
        field = f"Item {row + 1}, {column.title}"
        mark = decimal_mark(self._locale)
        if column is Column.QUANTITY:
            quantity = parse_decimal(text, field, mark)
            if abs(quantity) > 10**9:
                raise ValidationError(field, "is too large")
            return quantity
        if column is Column.UNIT_PRICE:
            return parse_money(text, self._currency, field, mark)
        return text

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.EditRole or self._read_only:
            return False
        if not self.checkIndex(index, self.CheckIndexOption.IndexIsValid):
            return False
        row, column = index.row(), Column(index.column())
        line = self._lines[row]
        try:
            if column is Column.DESCRIPTION:
                line = replace(line, description=str(value))
            elif column is Column.UNIT:
                line = replace(line, unit=str(value).strip())
            elif column is Column.QUANTITY:
                line = replace(line, quantity=self.parse(row, column, str(value)))
            elif column is Column.UNIT_PRICE:
                line = replace(line, unit_price=self.parse(row, column, str(value)))
            elif column is Column.TAXES:
                line = replace(line, taxes=tuple(value))
            else:
                return False
        except ValidationError as error:
            self.input_refused.emit(error.message)
            return False
        if line == self._lines[row]:
            return True
        self._lines[row] = line
        self._emit_changed(row, row, column, Column.AMOUNT)
        return True

    def removeRows(self, row: int, count: int, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: N802, B008
        if parent.isValid() or row < 0 or count <= 0 or row + count > len(self._lines):
            return False
        self.beginRemoveRows(QModelIndex(), row, row + count - 1)
        del self._lines[row : row + count]
        self.endRemoveRows()
        self.lines_changed.emit()
        return True

    def moveRows(  # noqa: N802
        self,
        source_parent: AnyIndex,
        source_row: int,
        count: int,
        destination_parent: AnyIndex,
        destination_child: int,
    ) -> bool:
        if source_parent.isValid() or destination_parent.isValid() or count <= 0:
            return False
        if source_row < 0 or source_row + count > len(self._lines):
            return False
        if not 0 <= destination_child <= len(self._lines):
            return False
        if source_row <= destination_child <= source_row + count:
            return False  # onto itself
        last = source_row + count - 1
        root = QModelIndex()
        if not self.beginMoveRows(root, source_row, last, root, destination_child):
            return False
        block = self._lines[source_row : source_row + count]
        del self._lines[source_row : source_row + count]
        at = destination_child if destination_child < source_row else destination_child - count
        self._lines[at:at] = block
        self.endMoveRows()
        self.lines_changed.emit()
        return True

    def move_line(self, row: int, step: int) -> int:
        """Move one line up (-1) or down (+1); returns its new row, or the old one at an edge."""
        target = row + step
        if not 0 <= target < len(self._lines):
            return row
        destination = target if step < 0 else target + 1
        return target if self.moveRows(QModelIndex(), row, 1, QModelIndex(), destination) else row

    # --- drag and drop -----------------------------------------------------------------------
    def supportedDropActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:  # noqa: N802
        return [LINE_ROWS_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:  # noqa: N802
        rows = sorted({index.row() for index in indexes if index.isValid()})
        data = QMimeData()
        data.setData(LINE_ROWS_MIME, QByteArray(json.dumps(rows).encode()))
        return data

    def canDropMimeData(  # noqa: N802
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: AnyIndex
    ) -> bool:
        return (
            not self._read_only
            and action == Qt.DropAction.MoveAction
            and data.hasFormat(LINE_ROWS_MIME)
        )

    def dropMimeData(  # noqa: N802
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: AnyIndex
    ) -> bool:
        """Move the dragged lines to before `row` (or before the line dropped onto)."""
        if action == Qt.DropAction.IgnoreAction:
            return True
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        try:
            rows = [int(r) for r in json.loads(bytes(data.data(LINE_ROWS_MIME).data()))]
        except (ValueError, TypeError):
            return False
        rows = sorted({r for r in rows if 0 <= r < len(self._lines)})
        if not rows:
            return False
        if row < 0:
            row = parent.row() if parent.isValid() else len(self._lines)
        moved = [self._lines[r] for r in rows]
        kept = [line for r, line in enumerate(self._lines) if r not in set(rows)]
        at = row - sum(1 for r in rows if r < row)
        order = [*kept[:at], *moved, *kept[at:]]
        # One beginMoveRows per line, so views and persistent indexes follow each line.
        for target, line in enumerate(order):
            current = next(i for i, candidate in enumerate(self._lines) if candidate is line)
            if current != target:
                self.moveRows(QModelIndex(), current, 1, QModelIndex(), target)
        return True
