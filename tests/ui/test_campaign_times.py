"""Campaign times are in the business's zone, named, and written as the outbox writes them.

The fixed clock's 2026-03-10 12:00 UTC is 13:00 in Paris (where the Schedule tab asks for
times); this computer's zone (UTC in the tests) must not show through.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtWidgets import QApplication, QMessageBox

from leadcartel_desktop.domain.campaigns import AudienceSpec
from leadcartel_desktop.services.outbox_view import BusinessTime
from leadcartel_desktop.ui.conversations import texts
from leadcartel_desktop.ui.outbox.dialog import OutboxDialog
from leadcartel_desktop.ui.outbox.model import OutboxColumn
from tests.integration.campaign_support import add_contact, save_business, text_draft
from tests.ui.conversations_support import ConversationsHarness
from tests.ui.test_conversations_campaigns import _open_dialog


@pytest.fixture(autouse=True)
def restored() -> Iterator[None]:
    yield
    texts.use_business(BusinessTime())


def _launched(harness: ConversationsHarness) -> int:
    services = harness.services
    ada = add_contact(services, "Ada", "+6591234567", last="Lovelace")
    draft = text_draft(name="Winter promo", audience=AudienceSpec(contact_ids=(ada,)))
    campaign_id = services.campaigns.save_draft(draft)
    services.campaigns.launch(campaign_id)
    return int(campaign_id)


def test_the_list_and_the_detail_speak_in_the_business_zone(qtbot: Any, context: Any) -> None:
    save_business(context.services, time_zone="Europe/Paris", locale="en_GB")
    harness = ConversationsHarness(qtbot, context)
    campaign_id = _launched(harness)
    harness.show()
    tab = harness.pane.campaigns
    harness.pane.tabs.setCurrentWidget(tab)
    harness.idle()
    tab.table.selectRow(0)
    harness.idle()

    model = tab.model
    assert model.headerData(3, Qt.Orientation.Horizontal) == "Scheduled (Europe/Paris)"
    assert model.index(0, 3).data() == "10 Mar 2026 13:00"
    header = tab.table.horizontalHeader()
    assert tab.table.columnWidth(3) >= header.sectionSizeHint(3)  # the zone is not cut off
    detail = tab.detail
    assert detail.facts.text().startswith("Started 10 Mar 2026 13:00 (Europe/Paris). ")
    recipients = detail.recipients
    assert recipients.headerData(3, Qt.Orientation.Horizontal) == "Due (Europe/Paris)"
    due = recipients.index(0, 3).data()
    assert due == "10 Mar 2026 13:00"

    # The outbox writes the same message's time the same way.
    (row,) = harness.services.campaigns.recipients(campaign_id)
    outbox = OutboxDialog(
        harness.services.outbox,
        harness.tasks,
        business=lambda: BusinessTime.of(harness.services.settings.business()),
    )
    qtbot.addWidget(outbox)
    outbox.show()
    qtbot.waitUntil(lambda: outbox.model.rowCount() == 1)
    position = outbox.model.row_of(row.outbox_id or -1)
    assert outbox.model.index(position, OutboxColumn.NEXT_ATTEMPT).data() == due


def test_the_question_names_the_start_as_campaigns_write_times(qtbot: Any, context: Any) -> None:
    save_business(context.services, time_zone="Europe/Paris", locale="en_GB")
    harness = ConversationsHarness(qtbot, context)
    ada = harness.contact("Ada", "+6591234567", last="Lovelace")
    dialog = _open_dialog(qtbot, harness)
    dialog.audience.add_contact(ada, "Ada Lovelace")
    dialog.audience.recount()
    harness.idle()
    dialog.name.setText("Winter promo")
    dialog.message.body.setPlainText("Hi {first_name}!")
    schedule = dialog.schedule
    assert schedule.zone_label.text() == "in Europe/Paris (the business's time zone)"
    schedule.later_button.setChecked(True)
    day = date(2026, 3, 11)
    schedule.send_date.setDate(QDate(day.year, day.month, day.day))
    schedule.send_time.setTime(QTime(9, 0))

    dialog.ask_launch()
    (box,) = [w for w in QApplication.topLevelWidgets()
              if isinstance(w, QMessageBox) and w.isVisible()]  # fmt: skip
    assert "to 1 contact from 11 Mar 2026 09:00 (Europe/Paris)?" in box.text()
    box.reject()


def test_the_sending_hours_say_how_long_they_are(qtbot: Any) -> None:
    from PySide6.QtCore import QTime

    from leadcartel_desktop.ui.conversations.campaign_schedule import CampaignSchedule

    schedule = CampaignSchedule()
    qtbot.addWidget(schedule)
    assert schedule.span_note.text() == "(all day)"  # the same time twice
    schedule.start.setTime(QTime(9, 0))
    schedule.end.setTime(QTime(17, 30))
    assert schedule.span_note.text() == "(8 h 30 min a day)"
    schedule.start.setTime(QTime(22, 0))
    schedule.end.setTime(QTime(2, 0))
    assert schedule.span_note.text() == "(4 h a day)"  # across midnight
