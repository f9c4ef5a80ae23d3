"""Cell editors for invoice lines: multi-line descriptions, checked numbers, tax choices."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from leadcartel_desktop.domain.errors import ValidationError
from leadcartel_desktop.domain.taxes import TaxRate
from leadcartel_desktop.ui.invoices.lines_model import NO_TAX, Column, LinesModel, taxes_label

AnyIndex = QModelIndex | QPersistentModelIndex


class DescriptionDelegate(QStyledItemDelegate):
    """A plain-text editor so descriptions can hold line breaks (Tab or clicking away commits)."""

    def createEditor(  # noqa: N802
        self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex
    ) -> QWidget:
        editor = QPlainTextEdit(parent)
        editor.setTabChangesFocus(True)
        editor.setAccessibleName("Description")
        return editor

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:  # noqa: N802
        assert isinstance(editor, QPlainTextEdit)
        editor.setPlainText(str(index.data(Qt.ItemDataRole.EditRole) or ""))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: AnyIndex) -> None:  # noqa: N802
        assert isinstance(editor, QPlainTextEdit)
        model.setData(index, editor.toPlainText(), Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(  # noqa: N802
        self, editor: QWidget, option: QStyleOptionViewItem, index: AnyIndex
    ) -> None:
        rect = QRect(option.rect)  # type: ignore[attr-defined]
        rect.setHeight(max(rect.height(), 72))
        editor.setGeometry(rect)


class NumberDelegate(QStyledItemDelegate):
    """Quantity and unit price: totals follow as you type; a refused value stays in the editor.

    While typing, each text that parses is committed quietly, so the totals update. When the
    editor closes on a text that does not parse, the model refuses it (with a message naming the
    row and column) and the cell is reopened holding what was typed, so nothing is lost.
    """

    def __init__(self, view: QAbstractItemView, model: LinesModel) -> None:
        super().__init__(view)
        self._view = view
        self._model = model
        self._pending: dict[tuple[int, int], str] = {}
        self._live = False

    def createEditor(  # noqa: N802
        self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex
    ) -> QWidget:
        editor = QLineEdit(parent)
        editor.setAlignment(Qt.AlignmentFlag.AlignRight)
        editor.setAccessibleName(Column(index.column()).title)
        row, column = index.row(), Column(index.column())
        editor.textEdited.connect(lambda text: self._live_commit(editor, row, column, text))
        return editor

    def _live_commit(self, editor: QLineEdit, row: int, column: Column, text: str) -> None:
        try:
            self._model.parse(row, column, text)
        except ValidationError:
            return
        self._live = True
        try:
            self.commitData.emit(editor)
        finally:
            self._live = False

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:  # noqa: N802
        assert isinstance(editor, QLineEdit)
        if self._live:
            return  # the model is echoing what is being typed: keep the text as typed
        pending = self._pending.pop((index.row(), index.column()), None)
        stored = str(index.data(Qt.ItemDataRole.EditRole))
        editor.setText(pending if pending is not None else stored)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: AnyIndex) -> None:  # noqa: N802
        assert isinstance(editor, QLineEdit)
        text = editor.text()
        if model.setData(index, text, Qt.ItemDataRole.EditRole) or self._live:
            return
        self._pending[(index.row(), index.column())] = text
        persistent = QPersistentModelIndex(index)
        QTimer.singleShot(0, self._view, lambda: self._reopen(persistent))

    def _reopen(self, index: QPersistentModelIndex) -> None:
        if index.isValid():
            self._view.setCurrentIndex(QModelIndex(index))
            self._view.edit(QModelIndex(index))
        else:
            self._pending.clear()


class TaxChoiceModel(QAbstractListModel):
    """'No Tax' and the business's tax rates, each checkable; 'No Tax' clears the others."""

    def __init__(self, rates: Sequence[TaxRate], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rates = list(rates)
        self._checked: set[str] = set()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rates) + 1

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self.checkIndex(index, self.CheckIndexOption.IndexIsValid):
            return None
        row = index.row()
        if role == Qt.ItemDataRole.DisplayRole:
            return NO_TAX if row == 0 else self._rates[row - 1].label
        if role == Qt.ItemDataRole.CheckStateRole:
            checked = not self._checked if row == 0 else self._rates[row - 1].key in self._checked
            return Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if role != Qt.ItemDataRole.CheckStateRole or not index.isValid():
            return False
        checked = Qt.CheckState(value) == Qt.CheckState.Checked
        if index.row() == 0:
            if checked:
                self._checked.clear()
        else:
            key = self._rates[index.row() - 1].key
            (self._checked.add if checked else self._checked.discard)(key)
        self.dataChanged.emit(self.index(0), self.index(len(self._rates)))
        return True

    def toggle(self, row: int) -> None:
        state = self.data(self.index(row), Qt.ItemDataRole.CheckStateRole)
        new = Qt.CheckState.Unchecked if state == Qt.CheckState.Checked else Qt.CheckState.Checked
        self.setData(self.index(row), new, Qt.ItemDataRole.CheckStateRole)

    def set_chosen(self, taxes: Sequence[TaxRate]) -> None:
        for rate in taxes:
            if rate not in self._rates:  # a rate since removed from settings stays choosable
                self.beginInsertRows(QModelIndex(), len(self._rates) + 1, len(self._rates) + 1)
                self._rates.append(rate)
                self.endInsertRows()
        self._checked = {rate.key for rate in taxes}
        self.dataChanged.emit(self.index(0), self.index(len(self._rates)))

    def chosen(self) -> tuple[TaxRate, ...]:
        return tuple(rate for rate in self._rates if rate.key in self._checked)


class TaxPicker(QComboBox):
    """A combo whose popup is a checkable list; clicking a rate toggles it, the popup stays open."""

    popup_closed = Signal()

    def __init__(self, rates: Sequence[TaxRate], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choices = TaxChoiceModel(rates, self)
        self.setModel(self.choices)
        self.setAccessibleName("Taxes")
        self.view().viewport().installEventFilter(self)
        self.choices.dataChanged.connect(self._show_summary)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.MouseButtonRelease:
            index = self.view().indexAt(event.position().toPoint())  # type: ignore[attr-defined]
            if index.isValid():
                self.choices.toggle(index.row())
            return True
        return super().eventFilter(watched, event)

    def hidePopup(self) -> None:  # noqa: N802
        super().hidePopup()
        self.popup_closed.emit()

    def _show_summary(self) -> None:
        self.setPlaceholderText(taxes_label(self.choices.chosen()))
        self.setCurrentIndex(-1)

    def set_chosen(self, taxes: Sequence[TaxRate]) -> None:
        self.choices.set_chosen(taxes)


class TaxesDelegate(QStyledItemDelegate):
    """Edits a line's taxes with a TaxPicker over the business's rates."""

    def __init__(self, model: LinesModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self.rates: list[TaxRate] = []

    def createEditor(  # noqa: N802
        self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex
    ) -> QWidget:
        picker = TaxPicker(self.rates, parent)
        picker.popup_closed.connect(lambda: self._finish(picker))
        QTimer.singleShot(0, picker, picker.showPopup)
        return picker

    def _finish(self, picker: TaxPicker) -> None:
        self.commitData.emit(picker)
        self.closeEditor.emit(picker, QStyledItemDelegate.EndEditHint.NoHint)

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:  # noqa: N802
        assert isinstance(editor, TaxPicker)
        editor.set_chosen(self._model.line_taxes(index.row()))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: AnyIndex) -> None:  # noqa: N802
        assert isinstance(editor, TaxPicker)
        model.setData(index, editor.choices.chosen(), Qt.ItemDataRole.EditRole)
