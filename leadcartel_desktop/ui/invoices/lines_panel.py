"""The items table: add, delete, edit and reorder lines by drag and drop or Ctrl+Up/Down."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QDrag, QKeyEvent, QKeySequence, QPainter, QPaintEvent, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from leadcartel_desktop.domain.taxes import TaxRate
from leadcartel_desktop.ui.forms import error_label
from leadcartel_desktop.ui.invoices.delegates import (
    DescriptionDelegate,
    NumberDelegate,
    TaxesDelegate,
)
from leadcartel_desktop.ui.invoices.lines_model import Column, LinesModel


class LinesView(QTableView):
    """A row-selecting table whose drags move lines inside the model (never copy or remove)."""

    def __init__(self, model: LinesModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("linesView")
        self.setAccessibleName("Invoice items")
        self.setModel(model)
        self._lines = model
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropOverwriteMode(False)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setWordWrap(True)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.setItemDelegateForColumn(Column.DESCRIPTION, DescriptionDelegate(self))
        number = NumberDelegate(self, model)
        self.setItemDelegateForColumn(Column.QUANTITY, number)
        self.setItemDelegateForColumn(Column.UNIT_PRICE, number)
        self.taxes_delegate = TaxesDelegate(model, self)
        self.setItemDelegateForColumn(Column.TAXES, self.taxes_delegate)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(Column.DESCRIPTION, QHeaderView.ResizeMode.Stretch)
        for column, width in (
            (Column.QUANTITY, 80),
            (Column.UNIT, 70),
            (Column.UNIT_PRICE, 110),
            (Column.TAXES, 150),
            (Column.AMOUNT, 110),
        ):
            self.setColumnWidth(column, width)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.verticalHeader().setMinimumSectionSize(28)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        super().paintEvent(event)
        if self._lines.rowCount() or self._lines.read_only:
            return
        painter = QPainter(self.viewport())
        painter.setPen(self.palette().placeholderText().color())
        painter.drawText(
            self.viewport().rect(),
            Qt.AlignmentFlag.AlignCenter,
            "No items yet. Click “Add item” to add the first line.",
        )

    def set_tax_rates(self, rates: Sequence[TaxRate]) -> None:
        self.taxes_delegate.rates = list(rates)

    def startDrag(self, supported_actions: Qt.DropAction) -> None:  # noqa: N802
        """The model moves the lines in dropMimeData, so nothing is removed after the drop."""
        indexes = self.selectionModel().selectedIndexes()
        if not indexes or self._lines.read_only:
            return
        drag = QDrag(self)
        drag.setMimeData(self._lines.mimeData(indexes))
        drag.exec(Qt.DropAction.MoveAction)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        control = event.modifiers() & Qt.KeyboardModifier.ControlModifier
        if control and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.move_current(-1 if event.key() == Qt.Key.Key_Up else 1)
            event.accept()
            return
        super().keyPressEvent(event)

    def move_current(self, step: int) -> None:
        current = self.currentIndex()
        if not current.isValid() or self._lines.read_only:
            return
        row = self._lines.move_line(current.row(), step)
        self.setCurrentIndex(self._lines.index(row, current.column()))
        self.selectRow(row)

    def selected_rows(self) -> list[int]:
        return sorted({index.row() for index in self.selectionModel().selectedRows()})


class LinesPanel(QWidget):
    """The table with its buttons and the message that names a refused cell."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = LinesModel(self)
        self.view = LinesView(self.model, self)
        self.message = error_label("linesMessage")
        self.add_button = QPushButton("&Add item")
        self.add_button.setObjectName("addItem")
        self.delete_button = QPushButton("Delete item")
        self.delete_button.setObjectName("deleteItem")
        self.up_button = QPushButton("Move up")
        self.up_button.setToolTip("Move the selected line up (Ctrl+Up)")
        self.down_button = QPushButton("Move down")
        self.down_button.setToolTip("Move the selected line down (Ctrl+Down)")
        buttons = QHBoxLayout()
        for button in (self.add_button, self.delete_button, self.up_button, self.down_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

        self.add_button.clicked.connect(self.add_line)
        self.delete_button.clicked.connect(self.delete_selected)
        self.up_button.clicked.connect(lambda: self.view.move_current(-1))
        self.down_button.clicked.connect(lambda: self.view.move_current(1))
        delete = QShortcut(QKeySequence.StandardKey.Delete, self.view)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.delete_selected)
        self.model.input_refused.connect(self._refused)
        self.model.lines_changed.connect(self._changed)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self._update_buttons()

    def add_line(self) -> None:
        row = self.model.add_line()
        if row < 0:
            return
        index = self.model.index(row, Column.DESCRIPTION)
        self.view.setCurrentIndex(index)
        self.view.selectRow(row)
        self.view.setFocus()
        self.view.edit(index)

    def delete_selected(self) -> None:
        rows = self.view.selected_rows()
        if not rows and self.view.currentIndex().isValid():
            rows = [self.view.currentIndex().row()]
        for row in reversed(rows):
            self.model.removeRows(row, 1, QModelIndex())

    def set_read_only(self, read_only: bool) -> None:
        self.model.set_read_only(read_only)
        for button in (self.add_button, self.delete_button, self.up_button, self.down_button):
            button.setVisible(not read_only)
        self.view.setDragEnabled(not read_only)
        self.view.setAcceptDrops(not read_only)

    def _refused(self, message: str) -> None:
        self.message.setText(message)
        self.message.show()

    def _changed(self) -> None:
        self.message.hide()
        self._update_buttons()

    def _update_buttons(self) -> None:
        has_lines = self.model.rowCount() > 0
        has_selection = bool(self.view.selected_rows())
        self.delete_button.setEnabled(has_lines and has_selection)
        self.up_button.setEnabled(has_selection)
        self.down_button.setEnabled(has_selection)
