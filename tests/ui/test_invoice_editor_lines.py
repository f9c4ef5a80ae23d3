"""Invoice lines: the models, reordering by drag and drop and keyboard, refused input."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QLineEdit

from leadcartel_desktop.domain.totals import LineItem
from leadcartel_desktop.ui.context import UiContext
from leadcartel_desktop.ui.invoices.delegates import TaxChoiceModel, TaxPicker
from leadcartel_desktop.ui.invoices.editor import InvoiceEditorDialog
from leadcartel_desktop.ui.invoices.lines_model import Column, LinesModel
from tests.ui.invoice_support import REDUCED, VAT, make_ui, set_up_business

LINES = (
    LineItem("First", Decimal(1), 10_000, (VAT,)),
    LineItem("Second\nwith two lines", Decimal("2.5"), 1_999, (VAT, REDUCED), "h"),
    LineItem("Third", Decimal(3), 500),
)


@pytest.fixture
def ui(qtbot: Any, context: Any) -> Iterator[UiContext]:
    set_up_business(context.services)
    yield from make_ui(qtbot, context)


@pytest.fixture
def editor(qtbot: Any, ui: UiContext) -> InvoiceEditorDialog:
    dialog = InvoiceEditorDialog(ui, None)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        dialog.show()
    dialog.lines.model.set_lines(LINES, "EUR")
    return dialog


def descriptions(model: LinesModel) -> list[str]:
    return [item.description.split("\n")[0] for item in model.items()]


def test_lines_model_passes_the_model_tester(qtmodeltester: Any) -> None:
    model = LinesModel()
    model.set_lines(LINES, "EUR")
    qtmodeltester.check(model, force_py=True)
    model.add_line()
    model.move_line(0, 1)
    model.removeRows(1, 1)
    qtmodeltester.check(model, force_py=True)


def test_tax_choice_model_passes_the_model_tester(qtmodeltester: Any) -> None:
    model = TaxChoiceModel([VAT, REDUCED])
    model.set_chosen([VAT])
    qtmodeltester.check(model, force_py=True)


def test_cells_show_formatted_values() -> None:
    model = LinesModel()
    model.set_lines(LINES, "EUR")
    assert model.index(1, Column.QUANTITY).data() == "2.5"
    assert model.index(1, Column.UNIT_PRICE).data() == "19.99"
    assert model.index(1, Column.UNIT_PRICE).data(Qt.ItemDataRole.EditRole) == "19.99"
    assert model.index(1, Column.TAXES).data() == "VAT 20%, Reduced 10%"
    assert model.index(2, Column.TAXES).data() == "No Tax"
    assert model.index(1, Column.AMOUNT).data() == "49.98"  # 2.5 x 19.99 = 49.975, half-up
    assert not model.flags(model.index(0, Column.AMOUNT)) & Qt.ItemFlag.ItemIsEditable


def test_reorder_by_drag_and_drop(editor: InvoiceEditorDialog) -> None:
    model = editor.lines.model
    # What the view does on a drop: mimeData from the dragged rows, then dropMimeData.
    data = model.mimeData([model.index(0, column) for column in Column])
    assert model.canDropMimeData(data, Qt.DropAction.MoveAction, 3, 0, QModelIndex())
    assert model.dropMimeData(data, Qt.DropAction.MoveAction, 3, 0, QModelIndex())
    assert descriptions(model) == ["Second", "Third", "First"]
    data = model.mimeData([model.index(2, 0)])
    assert model.dropMimeData(data, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    assert descriptions(model) == ["First", "Second", "Third"]
    # Dropped onto a line: it lands before that line.
    data = model.mimeData([model.index(2, 0)])
    assert model.dropMimeData(data, Qt.DropAction.MoveAction, -1, -1, model.index(1, 0))
    assert descriptions(model) == ["First", "Third", "Second"]
    # Several lines at once keep their order.
    data = model.mimeData([model.index(0, 0), model.index(2, 0)])
    assert model.dropMimeData(data, Qt.DropAction.MoveAction, 3, 0, QModelIndex())
    assert descriptions(model) == ["Third", "First", "Second"]
    assert editor.dirty
    # Order changes nothing in the totals.
    assert editor.totals.figures["Total"] == "€199.98"


def test_reorder_by_keyboard(qtbot: Any, editor: InvoiceEditorDialog) -> None:
    view, model = editor.lines.view, editor.lines.model
    view.setFocus()
    view.setCurrentIndex(model.index(0, Column.QUANTITY))
    qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert descriptions(model) == ["Second", "First", "Third"]
    qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert descriptions(model) == ["Second", "Third", "First"]
    qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)  # at the end
    assert descriptions(model) == ["Second", "Third", "First"]
    assert view.currentIndex().row() == 2
    qtbot.keyClick(view, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert descriptions(model) == ["Second", "First", "Third"]
    assert view.selected_rows() == [1]
    qtbot.mouseClick(editor.lines.up_button, Qt.MouseButton.LeftButton)
    assert descriptions(model) == ["First", "Second", "Third"]


def test_bad_quantity_is_refused_and_nothing_is_lost(
    qtbot: Any, editor: InvoiceEditorDialog
) -> None:
    view, model = editor.lines.view, editor.lines.model
    index = model.index(1, Column.QUANTITY)
    view.setCurrentIndex(index)
    view.edit(index)
    cell = view.viewport().findChild(QLineEdit)
    assert cell is not None
    cell.selectAll()
    qtbot.keyClicks(cell, "abc")
    qtbot.keyClick(cell, Qt.Key.Key_Return)
    message = "Item 2, Quantity: 'abc' is not a number"
    qtbot.waitUntil(lambda: editor.lines.message.text() == message)
    assert editor.lines.message.isVisible()
    assert model.items()[1].quantity == Decimal("2.5")
    assert [item.description for item in model.items()] == [line.description for line in LINES]
    # The cell reopens holding what was typed, ready to be corrected.
    qtbot.waitUntil(lambda: _editor_text(view) == "abc")
    cell = view.viewport().findChild(QLineEdit)
    cell.selectAll()
    qtbot.keyClicks(cell, "4")
    qtbot.keyClick(cell, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: model.items()[1].quantity == Decimal(4))
    assert not editor.lines.message.isVisible()


def _editor_text(view: Any) -> str | None:
    for cell in view.viewport().findChildren(QLineEdit):
        if cell.isVisible():
            return str(cell.text())
    return None


def test_totals_follow_the_typing(qtbot: Any, editor: InvoiceEditorDialog) -> None:
    view, model = editor.lines.view, editor.lines.model
    assert editor.totals.figures["Subtotal"] == "€164.98"
    index = model.index(2, Column.UNIT_PRICE)
    view.setCurrentIndex(index)
    view.edit(index)
    cell = view.viewport().findChild(QLineEdit)
    cell.selectAll()
    qtbot.keyClicks(cell, "6")
    assert editor.totals.figures["Subtotal"] == "€167.98"  # before the editor closes
    qtbot.keyClicks(cell, "0")
    assert editor.totals.figures["Subtotal"] == "€329.98"
    qtbot.keyClicks(cell, ".123")  # 60.12 is taken while typing, 60.123 is not
    assert model.items()[2].unit_price == 6_012
    assert not editor.lines.message.isVisible()
    qtbot.keyClick(cell, Qt.Key.Key_Return)
    message = "Item 3, Unit price: EUR amounts have at most 2 decimals"
    qtbot.waitUntil(lambda: editor.lines.message.text() == message)
    qtbot.waitUntil(lambda: _editor_text(view) == "60.123")


def test_price_money_is_exact_and_checked() -> None:
    model = LinesModel()
    refused: list[str] = []
    model.input_refused.connect(refused.append)
    model.set_lines(LINES, "JPY")
    price = model.index(0, Column.UNIT_PRICE)
    assert model.setData(price, "1 234")
    assert model.items()[0].unit_price == 1234
    assert not model.setData(price, "12.5")
    assert refused == ["Item 1, Unit price: JPY amounts have no decimals"]
    model.set_currency("KWD")
    assert model.items()[0].unit_price == 1_234_000
    assert model.index(0, Column.UNIT_PRICE).data() == "1,234.000"


def test_taxes_chosen_in_the_picker(qtbot: Any, editor: InvoiceEditorDialog) -> None:
    view, model = editor.lines.view, editor.lines.model
    index = model.index(2, Column.TAXES)
    view.setCurrentIndex(index)
    view.edit(index)
    qtbot.waitUntil(lambda: view.viewport().findChild(TaxPicker) is not None)
    picker: TaxPicker = view.viewport().findChild(TaxPicker)
    choices = picker.choices
    assert [choices.index(row).data() for row in range(3)] == ["No Tax", "VAT 20%", "Reduced 10%"]
    assert choices.index(0).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    choices.toggle(1)
    choices.toggle(2)
    assert choices.index(0).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    picker.hidePopup()  # closing the list commits the choice
    qtbot.waitUntil(lambda: model.items()[2].taxes == (VAT, REDUCED))
    assert "VAT 20%" in editor.totals.figures
    assert model.index(2, Column.TAXES).data() == "VAT 20%, Reduced 10%"
    # "No Tax" clears them again.
    assert model.setData(index, ())
    assert model.index(2, Column.TAXES).data() == "No Tax"


def test_add_and_delete_lines(qtbot: Any, editor: InvoiceEditorDialog) -> None:
    model = editor.lines.model
    qtbot.mouseClick(editor.lines.add_button, Qt.MouseButton.LeftButton)
    assert model.rowCount() == 4
    assert model.items()[3].taxes == ()  # the taxes of the line above
    editor.lines.view.selectRow(0)
    qtbot.mouseClick(editor.lines.delete_button, Qt.MouseButton.LeftButton)
    assert descriptions(model) == ["Second", "Third", ""]
