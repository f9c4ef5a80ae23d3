"""The editor's reminder row: one reminder per dialog opening, the stop checkbox persists."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt

from leadcartel_desktop.ui.context import UiContext
from tests.ui.invoice_support import make_ui, set_up_business
from tests.ui.test_invoice_editor_actions import make_invoice, open_editor

WAIT = 10_000


@pytest.fixture
def ui(qtbot: Any, context: Any) -> Iterator[UiContext]:
    set_up_business(context.services)
    yield from make_ui(qtbot, context)


def test_send_reminder_now_pressed_twice_queues_one(qtbot: Any, ui: UiContext) -> None:
    invoice_id = make_invoice(ui, issue=True)
    dialog = open_editor(qtbot, ui, invoice_id)
    actions = dialog.reminder_actions
    assert actions.isVisibleTo(dialog)
    for _ in range(2):
        qtbot.mouseClick(actions.send_now, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(
            lambda: actions.send_now.isEnabled() and bool(actions.note.text()), timeout=WAIT
        )
    rows = ui.services.outbox.for_invoice(invoice_id)
    assert len(rows) == 1 and rows[0].recipient == "ada@example.com"
    assert rows[0].idempotency_key == f"reminder:{invoice_id}:manual:{actions.press}"


def test_a_new_opening_is_a_new_press(qtbot: Any, ui: UiContext) -> None:
    invoice_id = make_invoice(ui, issue=True)
    presses = {open_editor(qtbot, ui, invoice_id).reminder_actions.press for _ in range(2)}
    assert len(presses) == 2


def test_the_stop_checkbox_persists(qtbot: Any, ui: UiContext) -> None:
    invoice_id = make_invoice(ui, issue=True)
    dialog = open_editor(qtbot, ui, invoice_id)
    stop = dialog.reminder_actions.stop
    assert not stop.isChecked()
    qtbot.mouseClick(stop, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ui.services.reminders.is_stopped(invoice_id), timeout=WAIT)
    again = open_editor(qtbot, ui, invoice_id).reminder_actions.stop
    qtbot.waitUntil(again.isChecked, timeout=WAIT)


def test_drafts_show_no_reminder_row(qtbot: Any, ui: UiContext) -> None:
    dialog = open_editor(qtbot, ui, make_invoice(ui, issue=False))
    assert not dialog.reminder_actions.isVisibleTo(dialog)


def test_send_now_is_not_offered_when_the_customer_asked_for_no_reminders(
    qtbot: Any, ui: UiContext
) -> None:
    invoice_id = make_invoice(ui, issue=True)
    contact_id = ui.services.invoices.get(invoice_id).content.contact_id
    ui.services.reminders.stop_for_customer(contact_id)
    actions = open_editor(qtbot, ui, invoice_id).reminder_actions
    qtbot.waitUntil(actions.stop.isChecked, timeout=WAIT)
    assert not actions.send_now.isEnabled()
    assert "asked for no payment reminders" in actions.send_now.toolTip()
