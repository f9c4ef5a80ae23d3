"""The outbox view after a campaign sent with no SMS provider: each waiting row says what to do,
a note above the table says it once, the Recipient and For columns show their whole text, and
times read as the campaign's do (the business's zone, named)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtWidgets import QMainWindow

from leadcartel_desktop.domain.campaigns import AudienceSpec
from leadcartel_desktop.domain.outbox import Channel
from leadcartel_desktop.services.outbox_view import BusinessTime
from leadcartel_desktop.ui.context import UiContext
from leadcartel_desktop.ui.outbox.dialog import OutboxDialog, open_outbox
from leadcartel_desktop.ui.outbox.model import OutboxColumn
from leadcartel_desktop.ui.tasks import TaskRunner
from tests.integration.campaign_support import add_contact, save_business, text_draft

NO_SMS = "No provider is set for SMS: choose one in Settings > Providers"


class Window(QMainWindow):
    """Stands in for MainWindow: open_outbox reads the business's zone from its context."""

    def __init__(self, context: UiContext) -> None:
        super().__init__()
        self.context = context


@pytest.fixture
def ui(context: Any) -> Iterator[UiContext]:
    errors: list[BaseException] = []
    tasks = TaskRunner(errors.append)
    yield UiContext(context.services, tasks, context.paths)
    tasks.wait_for_done()
    assert not errors, errors


def _campaign(services: Any) -> list[int]:
    save_business(services, time_zone="Europe/Paris", locale="en_GB")
    ids = (
        add_contact(services, "José", "+34612345678", last="Núñez García"),
        add_contact(services, "Haruto", "+819012345678", last="Takahashi"),
    )
    campaigns = services.campaigns
    campaign_id = campaigns.save_draft(
        text_draft(name="Winter promo", audience=AudienceSpec(contact_ids=ids))
    )
    campaigns.launch(campaign_id)
    return [row.outbox_id for row in campaigns.recipients(campaign_id) if row.outbox_id]


@pytest.fixture
def window(qtbot: Any, ui: UiContext) -> Window:
    shown = Window(ui)
    qtbot.addWidget(shown)
    shown.resize(1024, 700)
    shown.show()
    return shown


def _opened(qtbot: Any, window: Window) -> OutboxDialog:
    ui = window.context
    dialog = open_outbox(ui.services.outbox, ui.tasks, window)
    qtbot.waitUntil(lambda: dialog.loads >= 1 and dialog.model.rowCount() == 2)
    return dialog


def test_messages_held_by_a_missing_provider_say_what_to_do(qtbot: Any, window: Window) -> None:
    _campaign(window.context.services)
    dialog = _opened(qtbot, window)
    model = dialog.model
    for row in range(model.rowCount()):
        assert model.index(row, OutboxColumn.HINT).data() == NO_SMS
    assert dialog.held.isVisibleTo(dialog)
    assert dialog.held.text() == f"2 SMS messages wait here, not sent: {NO_SMS}."
    dialog.table.selectRow(0)
    assert NO_SMS in dialog.detail.text()


def test_recipient_and_for_show_their_whole_text(qtbot: Any, window: Window) -> None:
    _campaign(window.context.services)
    dialog = _opened(qtbot, window)
    table, model = dialog.table, dialog.model
    assert model.index(0, OutboxColumn.FOR).data() == "Campaign Winter promo"
    metrics = table.fontMetrics()
    for column in (OutboxColumn.RECIPIENT, OutboxColumn.FOR):
        widest = max(
            metrics.horizontalAdvance(str(model.index(row, column).data()))
            for row in range(model.rowCount())
        )
        assert table.columnWidth(column) > widest, (column, table.columnWidth(column), widest)
        assert table.columnWidth(column) >= table.sizeHintForColumn(column)


def test_times_read_as_the_campaign_writes_them(qtbot: Any, window: Window) -> None:
    outbox_ids = _campaign(window.context.services)
    dialog = _opened(qtbot, window)
    paris = BusinessTime("Europe/Paris", "en_GB")
    first = window.context.services.outbox.get(outbox_ids[0])
    assert first.channel is Channel.SMS and first.next_attempt_at is not None
    row = dialog.model.row_of(first.id)
    shown = dialog.model.index(row, OutboxColumn.NEXT_ATTEMPT).data()
    assert shown == paris.text(first.next_attempt_at)  # '10 Mar 2026 13:00', no seconds
    assert shown.startswith("10 Mar 2026 ")
    assert dialog.zone.text() == "Times in Europe/Paris (the business's time zone)"
