"""Business zones an old book may hold, in New Campaign and Settings.

'europe/berlin' (saved on a case-blind disk) is Europe/Berlin; a name the zone list refuses
is shown in UTC rather than raising. Settings offers only places' zones.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import QDate, QTime

from leadcartel_desktop.services.outbox_view import BusinessTime
from leadcartel_desktop.ui.conversations import texts
from leadcartel_desktop.ui.conversations.campaign_schedule import CampaignSchedule
from leadcartel_desktop.ui.settings.dialog import SettingsDialog
from tests.integration.campaign_support import save_business
from tests.ui.conversations_support import ConversationsHarness
from tests.ui.invoice_support import make_ui, set_up_business
from tests.ui.test_campaign_provider_warning import NO_SMS, WAITS, _ready


@pytest.fixture(autouse=True)
def restored() -> Iterator[None]:
    yield
    texts.use_business(BusinessTime())


def _store_zone(context: Any, name: str) -> None:
    with sqlite3.connect(context.paths.database) as connection:  # an old book's spelling
        connection.execute("UPDATE business_settings SET time_zone = ?", (name,))


def test_a_stored_zone_in_another_case_still_loads_the_dialogs_business_facts(
    qtbot: Any, context: Any
) -> None:
    save_business(context.services, time_zone="Europe/Berlin")
    _store_zone(context, "europe/berlin")
    harness = ConversationsHarness(qtbot, context)
    dialog = _ready(qtbot, harness)
    harness.idle()  # no ZoneInfoNotFoundError from the business facts
    dialog.tabs.setCurrentWidget(dialog.message)
    assert "europe/berlin" in dialog.schedule.zone_label.text()
    assert dialog.message.provider_note.text() == f"{NO_SMS}. {WAITS}"


def _schedule(qtbot: Any, zone_name: str) -> CampaignSchedule:
    schedule = CampaignSchedule()
    qtbot.addWidget(schedule)
    schedule.set_business_zone(BusinessTime(zone_name, "en_GB"), date(2026, 7, 1))
    schedule.later_button.setChecked(True)
    schedule.send_date.setDate(QDate(2026, 7, 1))
    schedule.send_time.setTime(QTime(8, 0))
    return schedule


def test_the_start_is_described_in_a_zone_stored_in_another_case(qtbot: Any) -> None:
    assert _schedule(qtbot, "europe/berlin").describe_start() == (
        "1 Jul 2026 08:00 (europe/berlin)"
    )


@pytest.mark.parametrize("name", ["Europe", "Etc", "A" * 300, "localtime"])
def test_the_start_in_a_refused_zone_is_described_in_utc_without_raising(
    qtbot: Any, name: str
) -> None:
    assert _schedule(qtbot, name).describe_start() == "1 Jul 2026 08:00 (UTC)"


def test_settings_offers_no_machine_dependent_or_placeholder_zone(qtbot: Any, context: Any) -> None:
    set_up_business(context.services)
    for ui in make_ui(qtbot, context):
        dialog = SettingsDialog(ui)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitUntil(dialog.save_button.isEnabled, timeout=10_000)
        offered = {dialog.time_zone.itemText(i) for i in range(dialog.time_zone.count())}
        assert {"Europe/Berlin", "UTC"} <= offered
        assert not offered & {"localtime", "Factory", "posixrules"}
