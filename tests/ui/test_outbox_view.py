"""The outbox view: its table model, filter, empty state, actions, and how it is opened."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow

from leadcartel_desktop.domain.outbox import Channel, OutboxState, SendOutcome
from leadcartel_desktop.services.outbox import OutboxService
from leadcartel_desktop.services.outbox_view import LIST_LIMIT, OutboxFilter
from leadcartel_desktop.ui.outbox.actions import OutboxAction
from leadcartel_desktop.ui.outbox.dialog import OutboxDialog
from leadcartel_desktop.ui.outbox.model import OutboxColumn, OutboxTableModel
from leadcartel_desktop.ui.outbox_status import attach_outbox_status
from leadcartel_desktop.ui.tasks import TaskRunner
from tests.conftest import FixedClock
from tests.integration.outbox_support import (
    FakeProvider,
    Step,
    outbox_for,
    timed_out_after_recording,
)
from tests.integration.send_support import draft_for_ada
from tests.ui.payments_book import WindowHarness

ANN = "+6591234567"


@pytest.fixture
def provider() -> FakeProvider:
    return FakeProvider()


@pytest.fixture
def outbox(context: Any, clock: FixedClock, provider: FakeProvider) -> OutboxService:
    return outbox_for(context, clock, provider, rng=random.Random(11))


@pytest.fixture
def tasks() -> Iterator[TaskRunner]:
    errors: list[BaseException] = []
    runner = TaskRunner(errors.append)
    yield runner
    runner.wait_for_done()
    assert not errors, errors


@pytest.fixture
def dialog(qtbot: Any, outbox: OutboxService, tasks: TaskRunner) -> OutboxDialog:
    view = OutboxDialog(outbox, tasks)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: view.loads >= 1)
    return view


def _book(services: Any, outbox: OutboxService, clock: FixedClock, provider: FakeProvider) -> dict:
    """An unknown text for an issued invoice, a failed one, and one waiting behind the first."""
    invoice = services.invoices.issue(draft_for_ada(services))
    provider.then(timed_out_after_recording(), Step(SendOutcome.permanent("21211", "Bad", "Fix")))
    unknown = outbox.enqueue(Channel.SMS, ANN, {"body": "Invoice"}, invoice_id=invoice.id)
    failed = outbox.enqueue(Channel.SMS, "+12", {"body": "Hello"})
    outbox.process_due(clock.now())
    waiting = outbox.enqueue(Channel.SMS, ANN, {"body": "Reminder"})
    return {"unknown": unknown, "failed": failed, "waiting": waiting, "number": invoice.number}


def _reload(qtbot: Any, dialog: OutboxDialog) -> None:
    loads = dialog.loads
    dialog.reload()
    qtbot.waitUntil(lambda: dialog.loads > loads)


def _cell(dialog: OutboxDialog, message_id: int, column: OutboxColumn) -> str:
    model = dialog.model
    return str(model.index(model.row_of(message_id), column).data())


def test_the_model_passes_the_model_tester(
    qtmodeltester: Any, services: Any, outbox: OutboxService, clock: FixedClock, provider: Any
) -> None:
    _book(services, outbox, clock, provider)
    model = OutboxTableModel()
    model.set_rows(outbox.listing(OutboxFilter.ALL))
    assert model.rowCount() == 3
    qtmodeltester.check(model, force_py=True)
    model.set_rows([])
    qtmodeltester.check(model, force_py=True)


def test_an_empty_outbox_says_so(dialog: OutboxDialog) -> None:
    assert dialog.stack.currentWidget() is dialog.empty
    assert dialog.empty.title_label.text() == "Nothing is queued"
    assert not any(button.isEnabled() for button in dialog.buttons.values())


def test_rows_show_the_invoice_state_and_the_error_with_its_code_and_hint(
    qtbot: Any, dialog: OutboxDialog, services: Any, outbox: Any, clock: Any, provider: Any
) -> None:
    book = _book(services, outbox, clock, provider)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 3)  # the outbox's change reloads it
    assert dialog.stack.currentWidget() is dialog.table
    assert _cell(dialog, book["unknown"], OutboxColumn.FOR) == book["number"]
    # Who it is for: the invoice's customer by name; an address no contact has, as it is.
    assert _cell(dialog, book["unknown"], OutboxColumn.RECIPIENT) == f"Ada Lovelace ({ANN})"
    assert _cell(dialog, book["failed"], OutboxColumn.RECIPIENT) == "+12"
    assert _cell(dialog, book["unknown"], OutboxColumn.STATE) == "Unknown"
    assert _cell(dialog, book["unknown"], OutboxColumn.NEXT_ATTEMPT) != ""
    assert _cell(dialog, book["failed"], OutboxColumn.ERROR) == "Bad (code 21211)"
    assert _cell(dialog, book["failed"], OutboxColumn.HINT) == "Fix"
    assert _cell(dialog, book["waiting"], OutboxColumn.STATE) == "Waiting"
    dialog.resize(1200, 360)
    assert dialog.select_message(book["unknown"])
    assert "may have received it" in dialog.detail.text()
    dialog.layout().activate()
    dialog.grab().save("/tmp/outbox.png")
    dialog.filter.setCurrentText(OutboxFilter.UNKNOWN.value)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1)
    dialog.filter.setCurrentText(OutboxFilter.SENT.value)
    qtbot.waitUntil(lambda: dialog.stack.currentWidget() is dialog.empty)
    assert dialog.empty.title_label.text() == "No message has been sent yet"


def test_it_arrived_settles_the_selected_unknown_message(
    qtbot: Any, dialog: OutboxDialog, services: Any, outbox: Any, clock: Any, provider: Any
) -> None:
    book = _book(services, outbox, clock, provider)
    _reload(qtbot, dialog)
    assert dialog.select_message(book["unknown"])
    enabled = {action for action, button in dialog.buttons.items() if button.isEnabled()}
    assert enabled == {OutboxAction.RETRY, OutboxAction.ARRIVED, OutboxAction.SEND_AGAIN}
    qtbot.mouseClick(dialog.buttons[OutboxAction.ARRIVED], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _cell(dialog, book["unknown"], OutboxColumn.STATE) == "Sent")
    assert "will not be sent again" in dialog.note.text()
    assert outbox.get(book["unknown"]).state is OutboxState.SENT
    assert len(provider.calls) == 2  # the unknown and the failed one: nothing sent again


def test_send_again_asks_the_provider_first(
    qtbot: Any, dialog: OutboxDialog, services: Any, outbox: Any, clock: Any, provider: Any
) -> None:
    book = _book(services, outbox, clock, provider)
    _reload(qtbot, dialog)
    assert dialog.select_message(book["unknown"])
    dialog.run_action(OutboxAction.SEND_AGAIN)
    qtbot.waitUntil(lambda: "had it after all" in dialog.note.text())
    assert outbox.get(book["unknown"]).state is OutboxState.SENT


def test_an_action_the_message_no_longer_allows_is_refused_plainly(
    qtbot: Any, dialog: OutboxDialog, services: Any, outbox: Any, clock: Any, provider: Any
) -> None:
    book = _book(services, outbox, clock, provider)
    _reload(qtbot, dialog)
    assert dialog.select_message(book["unknown"])
    outbox.resolve_unknown(book["unknown"], arrived=True)  # settled elsewhere meanwhile
    dialog.run_action(OutboxAction.SEND_AGAIN)
    qtbot.waitUntil(lambda: "Only a message whose delivery is unknown" in dialog.note.text())
    assert len(provider.calls) == 2


def test_a_message_held_behind_an_unknown_one_says_why_and_retry_is_refused(
    qtbot: Any, dialog: OutboxDialog, services: Any, outbox: Any, clock: Any, provider: Any
) -> None:
    book = _book(services, outbox, clock, provider)  # "waiting" goes to the unknown's number
    _reload(qtbot, dialog)
    said = _cell(dialog, book["waiting"], OutboxColumn.ERROR)
    assert said.startswith("Waits for an earlier message to this recipient"), said
    assert "unknown" in said
    assert _cell(dialog, book["waiting"], OutboxColumn.HINT).startswith("Settle that one first")
    assert dialog.select_message(book["waiting"])
    assert "Waits for an earlier message" in dialog.detail.text()
    dialog.run_action(OutboxAction.RETRY)
    qtbot.waitUntil(lambda: "cannot be tried now" in dialog.note.text())
    assert "earlier message" in dialog.note.text()
    outbox.resolve_unknown(book["unknown"], arrived=True)
    _reload(qtbot, dialog)
    assert _cell(dialog, book["waiting"], OutboxColumn.ERROR) == ""


def test_more_messages_than_listed_are_counted(
    qtbot: Any, dialog: OutboxDialog, outbox: OutboxService
) -> None:
    for number in range(LIST_LIMIT + 5):
        outbox.enqueue(Channel.SMS, f"+659{1_000_000 + number}", {"body": "Hello"})
    _reload(qtbot, dialog)
    assert dialog.model.rowCount() == LIST_LIMIT
    assert dialog.more.text() == (
        f"Showing the newest {LIST_LIMIT:,} of {LIST_LIMIT + 5:,} messages: "
        "the oldest are not listed."
    )
    assert dialog.more.isVisibleTo(dialog)
    dialog.filter.setCurrentText(OutboxFilter.FAILED.value)
    qtbot.waitUntil(lambda: dialog.stack.currentWidget() is dialog.empty)
    assert not dialog.more.isVisibleTo(dialog)


def test_retry_now_on_an_unknown_message_says_it_is_checked_not_sent(
    qtbot: Any, dialog: OutboxDialog, services: Any, outbox: Any, clock: Any, provider: Any
) -> None:
    book = _book(services, outbox, clock, provider)
    _reload(qtbot, dialog)
    assert dialog.select_message(book["unknown"])
    dialog.run_action(OutboxAction.RETRY)
    qtbot.waitUntil(lambda: dialog.note.text() != "")
    assert dialog.note.text() == (
        "The provider is asked about it again now: it is sent again only if the provider "
        "does not have it."
    )


def test_the_status_label_and_the_view_menu_open_the_outbox(
    qtbot: Any, context: Any, services: Any
) -> None:
    harness = WindowHarness(qtbot, context)
    try:
        window = harness.window
        services.outbox.enqueue(Channel.SMS, ANN, {"body": "Hi"})
        label = attach_outbox_status(window, services, harness.tasks, lambda: True)
        qtbot.waitUntil(label.isVisible)
        qtbot.mouseClick(label, Qt.MouseButton.LeftButton)
        (opened,) = window.findChildren(OutboxDialog)
        qtbot.waitUntil(lambda: opened.model.rowCount() == 1)
        window.outbox_action.trigger()  # the open one is raised, not a second one made
        assert window.findChildren(OutboxDialog) == [opened]
        opened.close()
        qtbot.waitUntil(lambda: not window.findChildren(OutboxDialog))
        assert window.outbox_action.isEnabled()
        window.outbox_action.trigger()
        assert len(window.findChildren(OutboxDialog)) == 1
    finally:
        harness.close()


def test_a_window_without_an_opener_keeps_a_plain_label(qtbot: Any, services: Any) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    tasks = TaskRunner(lambda error: None)
    label = attach_outbox_status(window, services, tasks, lambda: None)
    qtbot.mouseClick(label, Qt.MouseButton.LeftButton)  # nothing to open: no error
    assert not window.findChildren(OutboxDialog)
