"""New Campaign, "Schedule at" a time already past: refused on Send at, never sent at once.

The test clock is 2026-03-10 12:00 UTC (the business's zone is UTC unless a test sets one).
A start within the current minute (the picker has minute precision) is taken as "now".
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import QDate, QTime
from PySide6.QtWidgets import QApplication, QMessageBox

from leadcartel_desktop.domain.campaigns import CampaignStatus
from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.domain.errors import ValidationError
from leadcartel_desktop.domain.outbox import OutboxState
from leadcartel_desktop.ui.conversations.campaign_dialog import NewCampaignDialog
from tests.conftest import FixedClock
from tests.integration.campaign_support import save_business, text_draft
from tests.ui.conversations_support import ConversationsHarness, answer_confirm
from tests.ui.test_conversations_campaigns import _open_dialog


def _boxes() -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox) and w.isVisible()]  # fmt: skip


def _close_boxes() -> list[str]:
    asked = _boxes()
    for box in asked:
        box.reject()
    return [box.text() for box in asked]


def _ready_dialog(qtbot: Any, harness: ConversationsHarness) -> NewCampaignDialog:
    ada = harness.contact("Ada", "+6591234567", last="Lovelace")
    dialog = _open_dialog(qtbot, harness)
    dialog.audience.add_contact(ada, "Ada Lovelace")
    dialog.audience.recount()
    harness.idle()
    dialog.name.setText("Spring sale")
    dialog.message.body.setPlainText("Hi {first_name}, spring sale!")
    return dialog


def _schedule_at(dialog: NewCampaignDialog, day: date, hour: int, minute: int = 0) -> None:
    schedule = dialog.schedule
    schedule.later_button.setChecked(True)
    schedule.send_date.setDate(QDate(day.year, day.month, day.day))
    schedule.send_time.setTime(QTime(hour, minute))


def test_a_start_already_past_is_refused_on_send_at_before_any_question(
    qtbot: Any, context: Any
) -> None:
    harness = ConversationsHarness(qtbot, context)
    dialog = _ready_dialog(qtbot, harness)
    dialog.tabs.setCurrentIndex(0)
    _schedule_at(dialog, date(2026, 3, 3), 9)

    dialog.ask_launch()
    harness.idle()

    assert _close_boxes() == []  # nobody is asked to confirm a start that would be refused
    error = dialog.schedule.when_error.text()
    assert "Mar 3, 2026 09:00 (UTC) has already passed" in error, error
    assert dialog.tabs.currentWidget() is dialog.schedule
    assert dialog.isVisible()
    assert not any(harness.services.outbox.counts().values())
    assert harness.services.campaigns.list() == []  # not even saved: nothing was confirmed


def test_a_start_a_minute_ago_is_refused_but_the_current_minute_starts_now(
    qtbot: Any, context: Any, clock: FixedClock
) -> None:
    clock.instant = datetime(2026, 3, 10, 12, 0, 40, tzinfo=clock.instant.tzinfo)
    harness = ConversationsHarness(qtbot, context)
    dialog = _ready_dialog(qtbot, harness)
    _schedule_at(dialog, date(2026, 3, 10), 11, 59)
    dialog.ask_launch()
    harness.idle()
    assert _close_boxes() == []
    assert "has already passed" in dialog.schedule.when_error.text()

    _schedule_at(dialog, date(2026, 3, 10), 12, 0)
    assert dialog.schedule.when_error.text() == ""  # the edit took the mark away
    dialog.ask_launch()
    answer_confirm(qtbot)
    harness.idle()

    (row,) = harness.services.outbox.in_state(OutboxState.PENDING)
    assert row.next_attempt_at == clock.now()  # the minute chosen had begun: it goes now
    (summary,) = harness.services.campaigns.list()
    assert summary.status is CampaignStatus.RUNNING


def test_a_later_start_is_asked_about_once_the_past_one_is_corrected(
    qtbot: Any, context: Any
) -> None:
    harness = ConversationsHarness(qtbot, context)
    dialog = _ready_dialog(qtbot, harness)
    _schedule_at(dialog, date(2026, 3, 9), 9)
    dialog.ask_launch()
    harness.idle()
    assert _close_boxes() == []
    assert dialog.schedule.when_error.text()

    dialog.schedule.send_date.setDate(QDate(2026, 3, 11))
    assert dialog.schedule.when_error.text() == ""
    dialog.ask_launch()
    harness.idle()
    (question,) = _close_boxes()
    assert "from Mar 11, 2026 09:00 (UTC)?" in question  # as the campaign list writes times


def test_send_now_is_not_held_by_a_past_date_left_in_the_picker(qtbot: Any, context: Any) -> None:
    harness = ConversationsHarness(qtbot, context)
    dialog = _ready_dialog(qtbot, harness)
    _schedule_at(dialog, date(2026, 3, 3), 9)
    dialog.schedule.now_button.setChecked(True)
    dialog.ask_launch()
    harness.idle()
    (question,) = _close_boxes()
    assert ("contact now? Each contact receives it once; "
            "you can pause or cancel it from the campaign list.") in question  # fmt: skip


def test_a_minute_that_ends_while_the_question_is_open_is_refused_on_the_field(
    qtbot: Any, context: Any, clock: FixedClock
) -> None:
    clock.instant = datetime(2026, 3, 10, 12, 0, 50, tzinfo=clock.instant.tzinfo)
    harness = ConversationsHarness(qtbot, context)
    dialog = _ready_dialog(qtbot, harness)
    _schedule_at(dialog, date(2026, 3, 10), 12, 0)
    dialog.ask_launch()
    harness.idle()
    assert len(_boxes()) == 1
    clock.instant += timedelta(seconds=20)  # 12:01:10: the service has the last word
    answer_confirm(qtbot)
    harness.idle()

    assert "has already passed" in dialog.schedule.when_error.text()
    assert dialog.isVisible() and not dialog.busy and dialog.launch_button.isEnabled()
    assert not any(harness.services.outbox.counts().values())
    (summary,) = harness.services.campaigns.list()
    assert summary.status is CampaignStatus.DRAFT  # saved as a draft, not launched


def test_launch_refuses_a_past_start_for_every_caller(context: Any, clock: FixedClock) -> None:
    services = context.services
    save_business(services, time_zone="Asia/Singapore")
    ada = services.contacts.create(Contact("Ada", "", "", "+6591234567"))
    campaign_id = services.campaigns.save_draft(text_draft((ada.id,)))
    with pytest.raises(ValidationError) as refused:
        services.campaigns.launch(campaign_id, clock.now() - timedelta(days=7))
    assert refused.value.field == "Send at"
    # shown in the business's zone, as the operator chose it
    assert refused.value.detail.startswith("Mar 3, 2026 20:00 (Asia/Singapore) has already passed")
    with pytest.raises(ValidationError):
        services.campaigns.launch(campaign_id, clock.now() - timedelta(minutes=1))
    assert services.campaigns.get(campaign_id).status is CampaignStatus.DRAFT
    assert not any(services.outbox.counts().values())

    result = services.campaigns.launch(campaign_id, clock.now() - timedelta(seconds=59))
    assert result.first_due == clock.now()
    assert services.campaigns.get(campaign_id).status is CampaignStatus.RUNNING
