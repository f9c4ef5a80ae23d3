"""The over-balance message in the payment dialog, in other locales and currencies."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import Qt

from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.domain.invoice import InvoiceContent
from leadcartel_desktop.domain.totals import LineItem
from leadcartel_desktop.i18n.formatting import format_money
from leadcartel_desktop.ui.context import UiContext
from leadcartel_desktop.ui.invoices.payment_dialog import PaymentDialog
from tests.ui.invoice_support import make_ui, set_up_business


@pytest.fixture(params=["en_GB", "fr_FR", "de_DE", "en_US"])
def ui(request: Any, qtbot: Any, context: Any) -> Iterator[UiContext]:
    set_up_business(context.services, locale=request.param)
    yield from make_ui(qtbot, context)


def issued(ui: UiContext, currency: str, unit_price: int) -> int:
    services = ui.services
    contact = services.contacts.create(Contact("Ada", "Lovelace", "ada@example.com"))
    content = InvoiceContent(
        contact_id=contact.id,
        currency=currency,
        issue_date=date(2026, 3, 1),
        due_date=date(2026, 3, 31),
        lines=(LineItem("Audit", Decimal(1), unit_price),),
    )
    invoice_id = services.invoices.save_draft(content)
    services.invoices.issue(invoice_id)
    return invoice_id


@pytest.mark.parametrize(
    ("currency", "price"), [("EUR", 108_000), ("JPY", 12_000), ("BHD", 12_345)]
)
def test_over_balance_names_both_amounts_in_the_money_format(
    qtbot: Any, ui: UiContext, currency: str, price: int
) -> None:
    invoice_id = issued(ui, currency, price)
    dialog = PaymentDialog(ui, invoice_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.save_button.isEnabled, timeout=10_000)
    locale = ui.services.settings.business().locale
    typed = dialog.amount.text()
    # one minor unit more than the balance, typed in the field's own format
    digits = {"EUR": 2, "JPY": 0, "BHD": 3}[currency]
    more = price + 1
    from leadcartel_desktop.i18n.formatting import editable_amount

    dialog.amount.setText(editable_amount(more, currency, locale))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    expected = (
        f"{format_money(more, currency, locale)} is more than the balance due of "
        f"{format_money(price, currency, locale)}"
    )
    qtbot.waitUntil(lambda: bool(dialog.errors.message_for("Amount")), timeout=10_000)
    assert dialog.errors.message_for("Amount") == expected, (typed, digits)
    assert ui.services.invoices.get(invoice_id).payments == ()
