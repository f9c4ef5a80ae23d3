"""The invoice editor on a small screen, its messages going once fixed, and what it says."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QScreen

from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.domain.totals import LineItem
from leadcartel_desktop.ui.context import UiContext
from leadcartel_desktop.ui.forms import TITLE_BAR_ROOM
from leadcartel_desktop.ui.invoices.editor import InvoiceEditorDialog
from tests.ui.invoice_support import VAT, click_confirm, make_ui, set_up_business

LAPTOP = QRect(0, 0, 1024, 700)  # what the new user's screen left for windows
NO_CUSTOMER = "choose a customer before issuing"


@pytest.fixture
def ui(qtbot: Any, context: Any) -> Iterator[UiContext]:
    set_up_business(context.services)
    yield from make_ui(qtbot, context)


@pytest.fixture
def laptop_screen(monkeypatch: pytest.MonkeyPatch) -> QRect:
    """Every screen reports 1024x700 available (the offscreen screen is 800x600)."""
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _screen: QRect(LAPTOP))
    return LAPTOP


def open_editor(qtbot: Any, ui: UiContext, invoice_id: int | None = None) -> InvoiceEditorDialog:
    dialog = InvoiceEditorDialog(ui, invoice_id)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        dialog.show()
    return dialog


def issue_without_customer(qtbot: Any, dialog: InvoiceEditorDialog) -> None:
    dialog.lines.model.set_lines([LineItem("Thing", Decimal(1), 100, (VAT,))], "EUR")
    qtbot.mouseClick(dialog.actions_bar.issue, Qt.MouseButton.LeftButton)
    click_confirm(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.errors.message_for("Customer") == NO_CUSTOMER, timeout=10_000)


def type_customer(qtbot: Any, dialog: InvoiceEditorDialog, text: str) -> None:
    picker = dialog.customer
    dialog.activateWindow()  # back from the confirmation box
    picker.search.setFocus()
    qtbot.waitUntil(picker.search.hasFocus)
    qtbot.keyClicks(picker.search, text)
    qtbot.waitUntil(lambda: picker.suggestions.rowCount() == 1, timeout=5_000)
    qtbot.waitUntil(picker.completer.popup().isVisible)


def choose_suggestion(qtbot: Any, dialog: InvoiceEditorDialog) -> None:
    picker = dialog.customer
    popup = picker.completer.popup()
    popup.setCurrentIndex(picker.completer.completionModel().index(0, 0))
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: picker.contact is not None, timeout=5_000)


def test_the_editor_stays_on_a_1024x700_screen_with_the_room_for_the_items(
    qtbot: Any, ui: UiContext, laptop_screen: QRect
) -> None:
    ui.services.contacts.create(Contact("Ada", "Lovelace", "ada@example.com"))
    room = laptop_screen.height() - TITLE_BAR_ROOM
    dialog = open_editor(qtbot, ui)
    assert dialog.height() <= room

    # A message at the Customer field used to grow the window to 777 px, and the
    # type-ahead then opened on a window whose Save, Issue and Close were off the screen.
    issue_without_customer(qtbot, dialog)
    assert dialog.height() <= room
    type_customer(qtbot, dialog, "lovel")
    assert dialog.height() <= laptop_screen.height()
    assert dialog.height() <= room
    actions = dialog.actions_bar
    assert actions.mapTo(dialog, actions.rect().bottomLeft()).y() < dialog.height()

    # The items table has the stretch; Terms & Notes stay a few lines high.
    assert dialog.lines.view.height() > dialog.terms.height()
    assert dialog.lines.view.height() > dialog.tabs.height()
    row = dialog.lines.view.verticalHeader().defaultSectionSize()
    header = dialog.lines.view.horizontalHeader().height()
    assert dialog.lines.view.viewport().height() >= 4 * row  # was two rows at 1024x700
    assert header < row * 2


def test_an_issued_invoice_keeps_the_items_before_the_payments(
    qtbot: Any, ui: UiContext, laptop_screen: QRect
) -> None:
    ada = ui.services.contacts.create(Contact("Ada", "Lovelace"))
    dialog = open_editor(qtbot, ui)
    dialog.customer.set_contact(ada)
    issue = dialog.actions_bar.issue
    dialog.lines.model.set_lines([LineItem("Thing", Decimal(1), 100, (VAT,))], "EUR")
    qtbot.mouseClick(issue, Qt.MouseButton.LeftButton)
    click_confirm(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.read_only, timeout=10_000)
    qtbot.waitUntil(lambda: dialog.tabs.currentWidget() is dialog.payments)

    assert dialog.height() <= laptop_screen.height() - TITLE_BAR_ROOM
    assert dialog.lines.view.height() > dialog.payments.view.height()


def test_a_field_message_goes_once_the_field_is_changed(qtbot: Any, ui: UiContext) -> None:
    ui.services.contacts.create(Contact("Ada", "Lovelace", "ada@example.com"))
    dialog = open_editor(qtbot, ui)
    issue_without_customer(qtbot, dialog)
    search = dialog.customer.search
    assert search.property("invalid")

    type_customer(qtbot, dialog, "lovel")
    choose_suggestion(qtbot, dialog)
    assert dialog.errors.message_for("Customer") == ""
    assert not search.property("invalid")
    assert dialog.errors.marked() == []

    # The same for the options: a refused discount, then a new one typed.
    discount = dialog.options.discount_value
    qtbot.keyClicks(discount, "abc")
    qtbot.mouseClick(dialog.actions_bar.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.errors.message_for("Discount") != "")
    assert discount.property("invalid")
    qtbot.keyClick(discount, Qt.Key.Key_Backspace)
    assert dialog.errors.message_for("Discount") == ""
    assert not discount.property("invalid")


def test_a_changed_customer_keeps_the_message_of_another_field(qtbot: Any, ui: UiContext) -> None:
    ui.services.contacts.create(Contact("Ada", "Lovelace", "ada@example.com"))
    dialog = open_editor(qtbot, ui)
    qtbot.keyClicks(dialog.options.discount_value, "abc")
    qtbot.mouseClick(dialog.actions_bar.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.errors.message_for("Discount") != "")
    type_customer(qtbot, dialog, "lovel")
    choose_suggestion(qtbot, dialog)
    assert dialog.errors.message_for("Discount") != ""  # only the changed field's goes


def test_a_draft_says_draft_once_and_which_number_it_gets_on_issue(
    qtbot: Any, ui: UiContext
) -> None:
    ada = ui.services.contacts.create(Contact("Ada", "Lovelace"))
    dialog = open_editor(qtbot, ui)
    options = dialog.options
    assert options.number_caption.text().replace("&", "") == "Number on issue"
    assert options.number_caption.buddy() is options.number
    assert options.number.text() == "INV-2026-0001"
    dialog.customer.set_contact(ada)
    dialog.lines.model.set_lines([LineItem("Thing", Decimal(1), 100, (VAT,))], "EUR")
    qtbot.mouseClick(dialog.actions_bar.save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.windowTitle() == f"Draft #{dialog.invoice_id}")
    qtbot.waitUntil(dialog.actions_bar.isEnabled)
    assert dialog.header.text().count("Draft") == 1  # not "Draft #1  Draft"
    assert dialog.header.accessibleName() == f"Draft #{dialog.invoice_id}"

    qtbot.mouseClick(dialog.actions_bar.issue, Qt.MouseButton.LeftButton)
    click_confirm(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.read_only, timeout=10_000)
    assert options.number_caption.text().replace("&", "") == "Invoice number"
    assert "Sent" in dialog.header.text()
    # Locked like the options beside it: greyed out, not a white box that looks editable.
    search = dialog.customer.search
    assert search.isReadOnly() and not search.isEnabled()
    assert not options.number.isEnabled()


def test_duplicating_an_issued_invoice_unlocks_the_customer_again(
    qtbot: Any, ui: UiContext
) -> None:
    ada = ui.services.contacts.create(Contact("Ada", "Lovelace"))
    dialog = open_editor(qtbot, ui)
    dialog.customer.set_contact(ada)
    dialog.lines.model.set_lines([LineItem("Thing", Decimal(1), 100, (VAT,))], "EUR")
    qtbot.mouseClick(dialog.actions_bar.issue, Qt.MouseButton.LeftButton)
    click_confirm(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.read_only, timeout=10_000)
    issued = dialog.invoice_id

    qtbot.mouseClick(dialog.actions_bar.duplicate, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.invoice_id != issued and not dialog.read_only, timeout=10_000)
    qtbot.waitUntil(dialog.actions_bar.isEnabled)
    picker = dialog.customer
    assert picker.search.isEnabled() and not picker.search.isReadOnly()
    assert picker.edit_button.isVisible() and picker.edit_button.isEnabled()
    assert dialog.options.number_caption.text().replace("&", "") == "Number on issue"


def test_tax_inclusive_prices_label_the_subtotal_as_excluding_tax(
    qtbot: Any, ui: UiContext
) -> None:
    dialog = open_editor(qtbot, ui)
    dialog.lines.model.set_lines([LineItem("Tool", Decimal(1), 11_500, (VAT,))], "EUR")
    assert dialog.totals.figures["Subtotal"] == "€115.00"
    dialog.options.prices_include_tax.setChecked(True)
    assert "Subtotal" not in dialog.totals.figures
    assert dialog.totals.figures["Subtotal (excl. tax)"] == "€95.83"
    assert dialog.totals.figures["Total"] == "€115.00"
    dialog.options.prices_include_tax.setChecked(False)
    assert dialog.totals.figures["Subtotal"] == "€115.00"
