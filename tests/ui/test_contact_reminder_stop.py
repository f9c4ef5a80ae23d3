"""The customer form's "no payment reminders" switch: loaded, saved, and obeyed by the run."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import Qt

from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.domain.invoice import InvoiceContent
from leadcartel_desktop.domain.reminders import ReminderSchedule, ReminderStep
from leadcartel_desktop.domain.totals import LineItem
from leadcartel_desktop.services.registry import Services
from leadcartel_desktop.ui.contacts.dialog import ContactDialog
from leadcartel_desktop.ui.context import UiContext
from tests.conftest import FixedClock
from tests.ui.invoice_support import make_ui, set_up_business, type_text

DUE = date(2026, 3, 2)  # the clock's 2026-03-10 makes it 8 days overdue


@pytest.fixture
def ui(qtbot: Any, context: Any) -> Iterator[UiContext]:
    set_up_business(context.services)
    context.services.reminders.save_schedule(ReminderSchedule(steps=(ReminderStep(3),)))
    yield from make_ui(qtbot, context)


def overdue_invoice(services: Services, contact_id: int) -> int:
    content = InvoiceContent(
        contact_id=contact_id,
        currency="USD",
        issue_date=date(2026, 2, 20),
        due_date=DUE,
        lines=(LineItem("Work", Decimal(1), 10_000),),
    )
    invoice_id: int = services.invoices.issue(services.invoices.save_draft(content)).id
    return invoice_id


def open_form(qtbot: Any, ui: UiContext, contact_id: int | None = None) -> ContactDialog:
    dialog = ContactDialog(ui, contact_id)
    qtbot.addWidget(dialog)
    dialog.show()
    if contact_id is not None:
        qtbot.waitUntil(lambda: dialog.inputs["first_name"].text() != "", timeout=10_000)
    return dialog


def save(qtbot: Any, dialog: ContactDialog) -> Contact:
    with qtbot.waitSignal(dialog.saved, timeout=10_000) as saved:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    contact: Contact = saved.args[0]
    return contact


def test_ticking_the_switch_stops_the_customers_reminders(
    qtbot: Any, ui: UiContext, clock: FixedClock
) -> None:
    services = ui.services
    ann = services.contacts.create(Contact("Ann", "Lee", "ann@example.com"))
    assert ann.id is not None
    invoice_id = overdue_invoice(services, ann.id)
    dialog = open_form(qtbot, ui, ann.id)
    assert not dialog.stop_reminders.isChecked()  # loaded as stored: reminders on
    dialog.stop_reminders.setChecked(True)
    save(qtbot, dialog)

    assert services.reminders.is_stopped_for_customer(ann.id)
    assert services.reminders.run(clock.now()).queued == 0
    assert services.outbox.for_invoice(invoice_id) == []
    again = open_form(qtbot, ui, ann.id)
    assert again.stop_reminders.isChecked()  # the stored switch comes back
    again.stop_reminders.setChecked(False)
    save(qtbot, again)
    assert services.reminders.run(clock.now()).queued == 1
    (row,) = services.outbox.for_invoice(invoice_id)
    assert row.recipient == "ann@example.com"


def test_other_customers_still_get_reminders(qtbot: Any, ui: UiContext, clock: FixedClock) -> None:
    services = ui.services
    ann = services.contacts.create(Contact("Ann", "Lee", "ann@example.com"))
    bob = services.contacts.create(Contact("Bob", "Ray", "bob@example.com"))
    assert ann.id is not None and bob.id is not None
    overdue_invoice(services, ann.id)
    bobs = overdue_invoice(services, bob.id)
    dialog = open_form(qtbot, ui, ann.id)
    dialog.stop_reminders.setChecked(True)
    save(qtbot, dialog)
    assert services.reminders.run(clock.now()).queued == 1
    (row,) = services.outbox.for_invoice(bobs)
    assert row.recipient == "bob@example.com"


def test_a_new_customer_can_be_saved_with_reminders_off(qtbot: Any, ui: UiContext) -> None:
    dialog = open_form(qtbot, ui)
    type_text(qtbot, dialog.inputs["first_name"], "Cleo")
    dialog.stop_reminders.setChecked(True)
    saved = save(qtbot, dialog)
    assert saved.id is not None
    assert ui.services.reminders.is_stopped_for_customer(saved.id)
    assert ui.services.contacts.count() == 1


def test_an_unchanged_form_leaves_the_switch_alone(qtbot: Any, ui: UiContext) -> None:
    services = ui.services
    ann = services.contacts.create(Contact("Ann", "Lee", "ann@example.com"))
    assert ann.id is not None
    services.reminders.stop_for_customer(ann.id)
    dialog = open_form(qtbot, ui, ann.id)
    assert dialog.stop_reminders.isChecked()
    dialog.inputs["company"].setText("Lee & Co")
    save(qtbot, dialog)
    assert services.reminders.is_stopped_for_customer(ann.id)
    assert services.contacts.get(ann.id).company == "Lee & Co"
