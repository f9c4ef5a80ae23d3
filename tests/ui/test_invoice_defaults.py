"""New lines take a tax rate; the totals list taxes in the order of Settings."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import Qt

from leadcartel_desktop.domain.taxes import TaxRate
from leadcartel_desktop.domain.totals import LineItem
from leadcartel_desktop.ui.context import UiContext
from leadcartel_desktop.ui.invoices.editor import InvoiceEditorDialog
from leadcartel_desktop.ui.invoices.lines_model import Column
from tests.ui.invoice_support import REDUCED, VAT, make_ui, set_up_business


@pytest.fixture
def ui(qtbot: Any, context: Any) -> Iterator[UiContext]:
    set_up_business(context.services)  # rates in Settings: VAT 20%, then Reduced 10%
    yield from make_ui(qtbot, context)


def open_editor(qtbot: Any, ui: UiContext) -> InvoiceEditorDialog:
    dialog = InvoiceEditorDialog(ui, None)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        dialog.show()
    return dialog


def test_new_lines_take_a_tax_rate(qtbot: Any, ui: UiContext) -> None:
    dialog = open_editor(qtbot, ui)
    model = dialog.lines.model
    qtbot.mouseClick(dialog.lines.add_button, Qt.MouseButton.LeftButton)
    assert model.items()[0].taxes == (VAT,)  # the first rate in Settings, not "No Tax"
    assert model.index(0, Column.TAXES).data() == "VAT 20%"
    assert model.setData(model.index(0, Column.TAXES), (REDUCED,))
    qtbot.mouseClick(dialog.lines.add_button, Qt.MouseButton.LeftButton)
    assert model.items()[1].taxes == (REDUCED,)  # the line above's


def test_a_book_without_rates_starts_lines_without_tax(qtbot: Any, ui: UiContext) -> None:
    ui.services.settings.save_tax_rates([])
    dialog = open_editor(qtbot, ui)
    qtbot.mouseClick(dialog.lines.add_button, Qt.MouseButton.LeftButton)
    assert dialog.lines.model.items()[0].taxes == ()


def test_totals_list_taxes_in_the_order_of_settings(qtbot: Any, ui: UiContext) -> None:
    extra = [TaxRate(f"Tax{n}", Decimal(n)) for n in (1, 2)]
    qst = TaxRate("QST", Decimal("9.975"), compound=True)
    ui.services.settings.save_tax_rates([VAT, qst, *extra, REDUCED])
    dialog = open_editor(qtbot, ui)
    lines = [
        LineItem("A", Decimal(1), 10_000, (REDUCED, extra[1])),
        LineItem("B", Decimal(1), 10_000, (qst, extra[0])),
        LineItem("C", Decimal(1), 10_000, (VAT,)),
    ]
    dialog.lines.model.set_lines(lines, "EUR")
    captions = list(dialog.totals.figures)
    taxes = captions[captions.index("Subtotal") + 1 : captions.index("Tax total")]
    assert taxes == ["VAT 20%", "Tax1 1%", "Tax2 2%", "Reduced 10%", "QST 9.975%"]
    dialog.lines.model.set_lines(list(reversed(lines)), "EUR")  # line order changes nothing
    assert list(dialog.totals.figures) == captions
