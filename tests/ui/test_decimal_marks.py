"""Numbers typed in the window are read with the business locale's decimal mark."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import Qt

from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.domain.invoice import InvoiceContent
from leadcartel_desktop.domain.totals import DiscountKind, LineItem
from leadcartel_desktop.ui.context import UiContext
from leadcartel_desktop.ui.invoices.editor import InvoiceEditorDialog
from leadcartel_desktop.ui.invoices.lines_model import Column, LinesModel
from leadcartel_desktop.ui.invoices.payment_dialog import PaymentDialog
from leadcartel_desktop.ui.settings.tax_rates import RateColumn, TaxRatesModel
from tests.ui.invoice_support import make_ui, set_up_business


@pytest.fixture(params=["en_GB", "fr_FR"])
def ui(request: Any, qtbot: Any, context: Any) -> Iterator[UiContext]:
    set_up_business(context.services, locale=request.param)
    yield from make_ui(qtbot, context)


def locale_of(ui: UiContext) -> str:
    return ui.services.settings.business().locale


def issued_invoice(ui: UiContext, unit_price: int) -> int:
    services = ui.services
    contact = services.contacts.create(Contact("Ada", "Lovelace", "ada@example.com"))
    content = InvoiceContent(
        contact_id=contact.id,
        currency="GBP",
        issue_date=date(2026, 3, 1),
        due_date=date(2026, 3, 31),
        lines=(LineItem("Audit", Decimal(1), unit_price),),
    )
    invoice_id = services.invoices.save_draft(content)
    services.invoices.issue(invoice_id)
    return invoice_id


def test_payment_amount_uses_the_locale_mark(qtbot: Any, ui: UiContext) -> None:
    """The tester's top bug: en_GB '1,000' was recorded as £1.00."""
    invoice_id = issued_invoice(ui, 150_000)  # £1,500.00
    dialog = PaymentDialog(ui, invoice_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.save_button.isEnabled, timeout=10_000)
    english = locale_of(ui) == "en_GB"
    assert dialog.amount.text() == ("1500.00" if english else "1500,00")
    dialog.amount.setText("1,000" if english else "1 000,5")
    with qtbot.waitSignal(dialog.changed, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    payments = ui.services.invoices.get(invoice_id).payments
    assert [payment.amount for payment in payments] == [100_000 if english else 100_050]


def test_payment_amount_refuses_the_other_mark(qtbot: Any, ui: UiContext) -> None:
    invoice_id = issued_invoice(ui, 5_000)
    dialog = PaymentDialog(ui, invoice_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.save_button.isEnabled, timeout=10_000)
    english = locale_of(ui) == "en_GB"
    dialog.amount.setText("1,5" if english else "1.5")  # not 15 (en) nor 15 (fr)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "is not a number here" in (dialog.errors.message_for("Amount") or "")
    assert ui.services.invoices.get(invoice_id).payments == ()


def test_line_cells_use_the_locale_mark(ui: UiContext) -> None:
    english = locale_of(ui) == "en_GB"
    model = LinesModel()
    model.set_locale(locale_of(ui))
    model.set_lines([LineItem("Audit", Decimal("2.5"), 1_999)], "EUR")
    quantity, price = model.index(0, Column.QUANTITY), model.index(0, Column.UNIT_PRICE)
    assert quantity.data() == ("2.5" if english else "2,5")
    assert price.data(Qt.ItemDataRole.EditRole) == ("19.99" if english else "19,99")
    assert model.setData(quantity, "1,000" if english else "1,5")
    assert model.setData(price, "1,234.50" if english else "1 234,50")
    line = model.items()[0]
    assert line.quantity == (Decimal(1000) if english else Decimal("1.5"))
    assert line.unit_price == 123_450
    # What the cell offers to type over reads back as the same value.
    assert model.setData(price, price.data(Qt.ItemDataRole.EditRole))
    assert model.items()[0].unit_price == 123_450


def test_discount_uses_the_locale_mark(qtbot: Any, ui: UiContext) -> None:
    english = locale_of(ui) == "en_GB"
    dialog = InvoiceEditorDialog(ui, None)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        dialog.show()
    options = dialog.options
    dialog.lines.model.set_lines([LineItem("Audit", Decimal(1), 500_000)], "EUR")
    qtbot.keyClicks(options.discount_value, "1,000" if english else "12,5")
    if english:
        assert options.discount().amount == 100_000
    else:
        options.discount_kind.setCurrentIndex(options.discount_kind.findData(DiscountKind.PERCENT))
        assert options.discount().percent == Decimal("12.5")


def test_tax_percent_uses_the_locale_mark(ui: UiContext) -> None:
    english = locale_of(ui) == "en_GB"
    model = TaxRatesModel()
    model.set_locale(locale_of(ui))
    model.add_rate()
    assert model.setData(model.index(0, RateColumn.NAME), "TVA réduite")
    assert model.setData(model.index(0, RateColumn.PERCENT), "5.5" if english else "5,5 %")
    assert model.rates()[0].percent == Decimal("5.5")
    assert model.index(0, RateColumn.PERCENT).data() == ("5.5" if english else "5,5")
