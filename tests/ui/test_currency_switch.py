"""Switching the invoice currency never changes an amount the operator typed."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtWidgets import QLabel

from leadcartel_desktop.domain.errors import ValidationError
from leadcartel_desktop.domain.totals import LineItem
from leadcartel_desktop.ui.context import UiContext
from leadcartel_desktop.ui.invoices.editor import InvoiceEditorDialog
from leadcartel_desktop.ui.invoices.lines_model import Column, LinesModel
from tests.ui.invoice_support import VAT, make_ui, set_up_business

LINES = (
    LineItem("Setup", Decimal(1), 1_000, (VAT,)),
    LineItem("Support", Decimal(2), 1_055, (VAT,)),
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


def prices(dialog: InvoiceEditorDialog) -> list[int]:
    return [item.unit_price for item in dialog.lines.model.items()]


def currency_message(dialog: InvoiceEditorDialog) -> str:
    label = dialog.options.findChild(QLabel, "curError")
    return label.text() if label is not None and label.isVisible() else ""


def test_a_round_trip_keeps_every_price(editor: InvoiceEditorDialog) -> None:
    options = editor.options
    options.currency.setCurrentText("USD")
    options.currency.setCurrentText("EUR")
    assert prices(editor) == [1_000, 1_055]
    assert editor.lines.model.index(1, Column.UNIT_PRICE).data() == "10.55"
    options.currency.setCurrentText("KWD")
    assert prices(editor) == [10_000, 10_550]  # 10.550 KWD: the same number, three places
    options.currency.setCurrentText("EUR")
    assert prices(editor) == [1_000, 1_055]


def test_a_price_that_does_not_fit_refuses_the_switch(
    qtbot: Any, editor: InvoiceEditorDialog
) -> None:
    options = editor.options
    total_before = editor.totals.figures["Total"]
    editor.dirty = False
    options.currency.setCurrentText("JPY")
    message = currency_message(editor)
    assert message.startswith("Item 2, Unit price: JPY amounts have no decimals")
    assert "stays EUR" in message
    assert options.currency.currentText() == "EUR"
    assert options.currency_code() == "EUR"
    assert editor.lines.model.currency == "EUR"
    assert prices(editor) == [1_000, 1_055]
    assert editor.totals.figures["Total"] == total_before
    assert not editor.dirty


def test_a_discount_that_does_not_fit_refuses_the_switch(
    qtbot: Any, editor: InvoiceEditorDialog
) -> None:
    options = editor.options
    editor.lines.model.set_lines([LineItem("Setup", Decimal(1), 10_000)], "EUR")
    qtbot.keyClicks(options.discount_value, "10.55")
    options.currency.setCurrentText("JPY")
    assert currency_message(editor).startswith("Discount: JPY amounts have no decimals")
    assert options.currency_code() == "EUR"
    assert options.discount_value.text() == "10.55"
    options.discount_value.setText("10")
    options.currency.setCurrentText("JPY")
    assert options.currency_code() == "JPY"
    assert options.discount().amount == 10  # ¥10, as typed
    assert prices(editor) == [100]  # 100 EUR is ¥100, never 100.00 rescaled
    assert editor.totals.figures["Total"] == "¥90"


def test_the_model_refuses_a_currency_a_price_does_not_fit() -> None:
    model = LinesModel()
    model.set_lines(LINES, "EUR")
    with pytest.raises(ValidationError, match="Item 2, Unit price: JPY amounts have no decimals"):
        model.set_currency("JPY")
    assert model.currency == "EUR"
    assert [item.unit_price for item in model.items()] == [1_000, 1_055]
