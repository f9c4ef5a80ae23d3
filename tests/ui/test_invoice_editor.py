"""The invoice editor's customer field and options: type-ahead, numbers, dates, currency."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt

from leadcartel_desktop.domain.contact import Address, Contact
from leadcartel_desktop.domain.invoice import InvoiceContent
from leadcartel_desktop.domain.totals import LineItem
from leadcartel_desktop.services.views import ContactSuggestion
from leadcartel_desktop.ui.context import UiContext
from leadcartel_desktop.ui.invoices.customer import CONTACT_ID_ROLE, SuggestionModel
from leadcartel_desktop.ui.invoices.editor import InvoiceEditorDialog
from leadcartel_desktop.ui.invoices.lines_model import Column
from tests.ui.invoice_support import VAT, make_ui, set_up_business, tab_chain


@pytest.fixture
def ui(qtbot: Any, context: Any) -> Iterator[UiContext]:
    set_up_business(context.services)
    yield from make_ui(qtbot, context)


def open_editor(qtbot: Any, ui: UiContext, invoice_id: int | None = None) -> InvoiceEditorDialog:
    dialog = InvoiceEditorDialog(ui, invoice_id)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        dialog.show()
    return dialog


def issued_invoice(ui: UiContext, contact_id: int | None = None) -> int:
    services = ui.services
    if contact_id is None:
        contact_id = services.contacts.create(Contact("Ada", "Lovelace")).id
    content = InvoiceContent(
        contact_id=contact_id,
        currency="EUR",
        issue_date=date(2026, 3, 1),
        due_date=date(2026, 3, 31),
        lines=(LineItem("Consulting", Decimal(1), 10_000, (VAT,)),),
    )
    invoice_id = services.invoices.save_draft(content)
    services.invoices.issue(invoice_id)
    return invoice_id


def test_suggestion_model_passes_the_model_tester(qtmodeltester: Any) -> None:
    model = SuggestionModel()
    model.set_items(
        [
            ContactSuggestion(1, "Ada Lovelace", "ada@example.com", "+14155550100", "Analytical"),
            ContactSuggestion(2, "Bruno Díaz", "", "", ""),
        ]
    )
    qtmodeltester.check(model, force_py=True)
    assert model.index(0).data() == "Ada Lovelace — Analytical · ada@example.com · +14155550100"
    assert model.index(1).data(CONTACT_ID_ROLE) == 2


@pytest.mark.parametrize("typed", ["lovel", "ada@analyt", "415 555 01"])
def test_type_ahead_on_name_email_or_phone_fills_the_customer(
    qtbot: Any, ui: UiContext, typed: str
) -> None:
    contacts = ui.services.contacts
    ada = contacts.create(
        Contact(
            "Ada",
            "Lovelace",
            "ada@analytical.example",
            "+1 415 555 0100",
            "Analytical Engines",
            Address("12 St James's Square", "London", "", "SW1Y 4JH", "United Kingdom"),
        )
    )
    contacts.create(Contact("Bruno", "Díaz", "bruno@example.com"))
    dialog = open_editor(qtbot, ui)
    picker = dialog.customer
    picker.search.setFocus()
    qtbot.keyClicks(picker.search, typed)
    qtbot.waitUntil(lambda: picker.suggestions.rowCount() == 1, timeout=5_000)
    popup = picker.completer.popup()
    qtbot.waitUntil(popup.isVisible)
    popup.setCurrentIndex(picker.completer.completionModel().index(0, 0))
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: picker.contact is not None)
    assert picker.contact.id == ada.id
    assert picker.search.text() == "Ada Lovelace"
    for part in ("Analytical Engines", "London", "ada@analytical.example", "+1 415-555-0100"):
        assert part in picker.bill_to.text()  # the phone formatted for people, not E.164
    assert "+14155550100" not in picker.bill_to.text()
    # Typing again lets go of the chosen customer.
    qtbot.keyClicks(picker.search, "x")
    assert picker.contact is None
    assert "No customer" in picker.bill_to.text()


def test_number_follows_the_issue_date_until_typed(qtbot: Any, ui: UiContext) -> None:
    dialog = open_editor(qtbot, ui)
    options = dialog.options
    assert options.number.text() == "INV-2026-0001"
    options.issue_date.setDate(QDate(2027, 1, 15))
    qtbot.waitUntil(lambda: options.number.text() == "INV-2027-0001")
    assert options.manual_number() is None
    options.number.selectAll()
    qtbot.keyClicks(options.number, "SPECIAL-7")
    assert options.manual_number() == "SPECIAL-7"
    assert options.number_mode.isVisible()
    options.issue_date.setDate(QDate(2026, 3, 10))
    assert not dialog.context.tasks.is_idle()  # the next number is being asked for
    qtbot.waitUntil(dialog.context.tasks.is_idle)
    assert options.number.text() == "SPECIAL-7"
    qtbot.mouseClick(options.number_mode, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: options.number.text() == "INV-2026-0001")
    assert options.manual_number() is None


def test_duplicate_manual_number_is_refused_at_the_field(qtbot: Any, ui: UiContext) -> None:
    issued_invoice(ui)  # takes INV-2026-0001
    dialog = open_editor(qtbot, ui)
    changed: list[int] = []
    dialog.changed.connect(changed.append)
    assert dialog.options.number.text() == "INV-2026-0002"
    dialog.options.number.selectAll()
    qtbot.keyClicks(dialog.options.number, "INV-2026-0001")
    qtbot.mouseClick(dialog.actions_bar.save, Qt.MouseButton.LeftButton)
    message = "INV-2026-0001 is already used by another invoice"
    qtbot.waitUntil(lambda: dialog.errors.message_for("Invoice number") == message)
    assert dialog.options.number.property("invalid")
    assert dialog.options.number.text() == "INV-2026-0001"  # kept as typed
    assert dialog.invoice_id is None
    assert changed == []
    assert dialog.actions_bar.isEnabled()


def test_due_date_by_net_days_or_calendar(qtbot: Any, ui: UiContext) -> None:
    dialog = open_editor(qtbot, ui)
    options = dialog.options
    assert options.issue_date.date() == QDate(2026, 3, 10)  # today in the business zone
    assert options.net_days.value() == 30
    assert options.due_date.date() == QDate(2026, 4, 9)
    options.net_days.setValue(45)
    assert options.due_date.date() == QDate(2026, 4, 24)
    options.issue_date.setDate(QDate(2024, 1, 31))
    options.net_days.setValue(30)
    assert options.due_date.date() == QDate(2024, 3, 1)
    assert options.issue_date.calendarPopup() and options.due_date.calendarPopup()
    # A date picked by hand stays put when the issue date moves.
    options.due_date.setDate(QDate(2024, 6, 30))
    assert options.net_days.text() == "Custom date"
    options.issue_date.setDate(QDate(2024, 2, 1))
    assert options.due_date.date() == QDate(2024, 6, 30)
    assert options.dates() == (date(2024, 2, 1), date(2024, 6, 30), None)


def test_currency_discount_and_tax_inclusive_prices(qtbot: Any, ui: UiContext) -> None:
    dialog = open_editor(qtbot, ui)
    model, options = dialog.lines.model, dialog.options
    model.set_lines([LineItem("Tool", Decimal(1), 11_500, (VAT,))], "EUR")
    assert dialog.totals.figures["Total"] == "€138.00"
    options.prices_include_tax.setChecked(True)
    assert dialog.totals.figures["Subtotal (excl. tax)"] == "€95.83"
    assert dialog.totals.figures["Total"] == "€115.00"
    options.prices_include_tax.setChecked(False)
    qtbot.keyClicks(options.discount_value, "15")
    options.discount_timing.setCurrentIndex(1)  # after tax
    assert dialog.totals.figures["Discount after tax"] == "-€15.00"
    assert dialog.totals.figures["Total"] == "€123.00"
    options.discount_value.clear()
    qtbot.keyClicks(options.discount_value, "500")
    assert "larger than the amount" in dialog.totals.message.text()
    options.discount_value.clear()
    qtbot.keyClicks(options.discount_value, "15")
    options.currency.setCurrentText("JPY")
    assert model.index(0, Column.UNIT_PRICE).data() == "115"
    assert options.discount_value.text() == "15"
    assert dialog.totals.figures["Total"] == "¥123"
    options.currency.setCurrentText("EU")
    assert options.currency_code() == "JPY"
    qtbot.mouseClick(dialog.actions_bar.save, Qt.MouseButton.LeftButton)
    assert dialog.errors.message_for("Currency") == "'EU' is not a three-letter ISO 4217 code"
    assert dialog.invoice_id is None


def test_new_invoice_takes_the_business_defaults(qtbot: Any, ui: UiContext) -> None:
    dialog = open_editor(qtbot, ui)
    assert dialog.options.currency.currentText() == "EUR"
    assert dialog.terms.toPlainText() == "Payment within 30 days."
    assert dialog.notes.toPlainText() == "Thank you for your business!"
    assert dialog.totals.figures["Total"] == "€0.00"
    assert dialog.windowTitle() == "New invoice"
    assert not dialog.actions_bar.delete.isVisible()
    assert not dialog.actions_bar.duplicate.isVisible()
    assert not dialog.dirty


def test_issue_needs_a_customer_and_says_so_at_the_field(qtbot: Any, ui: UiContext) -> None:
    from tests.ui.invoice_support import click_confirm

    dialog = open_editor(qtbot, ui)
    dialog.lines.model.set_lines([LineItem("Thing", Decimal(1), 100)], "EUR")
    qtbot.mouseClick(dialog.actions_bar.issue, Qt.MouseButton.LeftButton)
    click_confirm(qtbot, dialog)
    qtbot.waitUntil(
        lambda: dialog.errors.message_for("Customer") == "choose a customer before issuing",
        timeout=10_000,
    )
    assert dialog.invoice_id is not None  # the draft was saved first
    assert not dialog.read_only


def test_tab_order_runs_down_the_form(qtbot: Any, ui: UiContext) -> None:
    dialog = open_editor(qtbot, ui)
    chain = tab_chain(dialog.customer.search)
    expected = [
        dialog.customer.search,
        dialog.customer.add_button,
        dialog.options.number,
        dialog.options.issue_date,
        dialog.options.net_days,
        dialog.options.due_date,
        dialog.options.currency,
        dialog.options.discount_value,
        dialog.options.discount_kind,
        dialog.options.discount_timing,
        dialog.options.prices_include_tax,
        dialog.lines.view,
        dialog.lines.add_button,
        dialog.terms,
        dialog.actions_bar.save,
        dialog.actions_bar.issue,
        dialog.actions_bar.save_pdf,
    ]
    positions = [chain.index(widget) for widget in expected]
    assert positions == sorted(positions)
