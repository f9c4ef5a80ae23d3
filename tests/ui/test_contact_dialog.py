"""The customer form: every bad field marked at once, nothing typed lost, create and edit."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from leadcartel_desktop.domain.contact import Address, Contact
from leadcartel_desktop.ui.contacts.dialog import ContactDialog
from leadcartel_desktop.ui.context import UiContext
from tests.ui.invoice_support import make_ui, set_up_business, type_text


@pytest.fixture
def ui(qtbot: Any, context: Any) -> Iterator[UiContext]:
    set_up_business(context.services)
    yield from make_ui(qtbot, context)


def open_form(qtbot: Any, ui: UiContext, contact_id: int | None = None) -> ContactDialog:
    dialog = ContactDialog(ui, contact_id)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_every_bad_field_is_marked_and_kept(qtbot: Any, ui: UiContext) -> None:
    dialog = open_form(qtbot, ui)
    type_text(qtbot, dialog.inputs["email"], "zeynep@")
    type_text(qtbot, dialog.inputs["phone"], "12")
    type_text(qtbot, dialog.inputs["city"], "Iğdır")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.errors.message_for("Phone") != "", timeout=10_000)
    assert dialog.errors.message_for("First name") == "enter a first name, last name or company"
    assert "after the @-sign" in dialog.errors.message_for("Email")
    assert dialog.errors.message_for("Phone") == "'12' is not a valid number for its country"
    assert dialog.errors.message_for("Last name") == ""
    for name in ("first_name", "email", "phone"):
        assert dialog.inputs[name].property("invalid") is True
        assert dialog.inputs[name].toolTip()
    assert dialog.inputs["last_name"].property("invalid") is False
    # What was typed is still there, to be corrected.
    assert dialog.inputs["email"].text() == "zeynep@"
    assert dialog.inputs["city"].text() == "Iğdır"
    assert dialog.isVisible()
    assert ui.services.contacts.count() == 0

    saved: list[Contact] = []
    dialog.saved.connect(saved.append)
    type_text(qtbot, dialog.inputs["first_name"], "Zeynep")
    type_text(qtbot, dialog.inputs["email"], "example.com")
    dialog.inputs["phone"].setText("(212) 555-0134")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(saved), timeout=10_000)
    assert saved[0].id is not None
    assert saved[0].phone == "+12125550134"  # read with the business's default country
    assert saved[0].address.city == "Iğdır"
    assert not dialog.isVisible()


def test_edit_an_existing_customer(qtbot: Any, ui: UiContext) -> None:
    contact = ui.services.contacts.create(
        Contact(
            "Ada",
            "Lovelace",
            "ada@example.com",
            company="Analytical",
            address=Address(city="London"),
        )
    )
    assert contact.id is not None
    dialog = open_form(qtbot, ui, contact.id)
    qtbot.waitUntil(lambda: dialog.inputs["first_name"].text() == "Ada", timeout=10_000)
    assert dialog.windowTitle() == "Edit customer"
    assert dialog.inputs["city"].text() == "London"
    dialog.inputs["company"].setText("Analytical Engines")
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    stored = ui.services.contacts.get(contact.id)
    assert stored.company == "Analytical Engines"
    assert stored.email == "ada@example.com"
    assert ui.services.contacts.count() == 1


def test_tab_order_follows_the_form(qtbot: Any, ui: UiContext) -> None:
    dialog = open_form(qtbot, ui)
    order = ["first_name", "last_name", "email", "phone", "company", "street", "city"]
    for current, following in itertools.pairwise(order):
        assert next_tab_stop(dialog.inputs[current]) is dialog.inputs[following]


def next_tab_stop(widget: QWidget) -> QWidget:
    """Where Tab goes from `widget`: the next widget in the chain that takes Tab focus."""
    candidate = widget.nextInFocusChain()
    while not (candidate.focusPolicy() & Qt.FocusPolicy.TabFocus and candidate.isEnabled()):
        candidate = candidate.nextInFocusChain()
    return candidate
