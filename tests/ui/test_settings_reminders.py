"""Settings > Reminders: steps added and removed, templates saved, unknown merge fields refused."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox

from leadcartel_desktop.domain.outbox import Channel
from leadcartel_desktop.domain.reminders import DEFAULT_SCHEDULE, ReminderStep
from leadcartel_desktop.domain.whatsapp import VARIABLES_FIELD
from leadcartel_desktop.ui.context import UiContext
from leadcartel_desktop.ui.settings.dialog import SettingsDialog
from leadcartel_desktop.ui.settings.reminders import RemindersPanel
from tests.ui.invoice_support import make_ui, set_up_business

WAIT = 10_000


@pytest.fixture
def ui(qtbot: Any, context: Any) -> Iterator[UiContext]:
    set_up_business(context.services)
    yield from make_ui(qtbot, context)


@pytest.fixture
def dialog(qtbot: Any, ui: UiContext) -> SettingsDialog:
    dialog = SettingsDialog(ui)
    qtbot.addWidget(dialog)
    dialog.show()
    reminders = dialog.reminders
    assert dialog.tabs.tabText(dialog.tabs.indexOf(reminders)) == "&Reminders"
    _wait_loaded(qtbot, dialog)
    dialog.tabs.setCurrentWidget(dialog.tabs.widget(0))
    return dialog


def _wait_loaded(qtbot: Any, dialog: SettingsDialog) -> None:
    """Wait for every tab's stored values.

    Save stays disabled until the business settings arrive: a click before then is lost.
    """
    qtbot.waitUntil(
        lambda: (
            dialog.reminders.loaded and dialog.providers.ready and dialog.save_button.isEnabled()
        ),
        timeout=WAIT,
    )


@pytest.fixture
def panel(dialog: SettingsDialog) -> RemindersPanel:
    return dialog.reminders


def _save(qtbot: Any, dialog: SettingsDialog) -> None:
    """The dialog's one Save button: it keeps every tab, the reminders among them."""
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled() or not dialog.isVisible(), timeout=WAIT)


def test_the_schedule_is_saved_with_the_dialog(
    qtbot: Any, dialog: SettingsDialog, panel: RemindersPanel, ui: UiContext
) -> None:
    from PySide6.QtWidgets import QLabel

    assert [row.step().days for row in panel.rows] == [3, 7, 14]  # the default, off
    assert not panel.enabled.isChecked()
    assert "{days_overdue}" in panel.findChild(QLabel, "reminderMergeFields").text()
    panel.enabled.setChecked(True)  # the steps can be changed once reminders are on
    qtbot.mouseClick(panel.rows[1].remove, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.add_step, Qt.MouseButton.LeftButton)  # 14 + 7
    panel.rows[-1].channel.setCurrentIndex(1)  # SMS
    panel.bodies[Channel.SMS].setPlainText("Pay {invoice_number} please: {payment_link}")
    _save(qtbot, dialog)
    assert not dialog.isVisible()  # saved and closed
    saved = ui.services.reminders.schedule()
    assert saved.enabled
    assert saved.steps == (ReminderStep(3), ReminderStep(14), ReminderStep(21, Channel.SMS))
    assert saved.template(Channel.SMS).body == "Pay {invoice_number} please: {payment_link}"


def test_an_unknown_merge_field_is_refused_at_its_field_and_nothing_is_saved(
    qtbot: Any, dialog: SettingsDialog, panel: RemindersPanel, ui: UiContext
) -> None:
    before = ui.services.reminders.schedule()
    business_before = ui.services.settings.business()
    dialog.text["company_name"].setText("Renamed Ltd")
    panel.bodies[Channel.SMS].setPlainText("Hi {first_name}")
    _save(qtbot, dialog)
    message = panel.errors.message_for("Sms message")
    assert "unknown merge field {first_name}" in message and "{customer_first_name}" in message
    assert dialog.isVisible() and dialog.tabs.currentWidget() is panel
    assert ui.services.reminders.schedule() == before
    assert ui.services.settings.business() == business_before  # all or nothing


def test_the_whatsapp_template_loads_saves_and_is_refused_at_its_field(
    qtbot: Any, ui: UiContext
) -> None:
    sid = "HX" + "0a" * 16
    stored = DEFAULT_SCHEDULE.template(Channel.WHATSAPP)
    mine = replace(stored, template_id=sid, variables="1={customer_first_name}")
    templates = {**DEFAULT_SCHEDULE.templates, Channel.WHATSAPP: mine}
    ui.services.reminders.save_schedule(replace(DEFAULT_SCHEDULE, templates=templates))
    dialog = SettingsDialog(ui)
    qtbot.addWidget(dialog)
    dialog.show()
    panel = dialog.reminders
    _wait_loaded(qtbot, dialog)
    assert panel.whatsapp.template_id.text() == sid
    assert panel.whatsapp.variables_edit.text() == "1={customer_first_name}"

    panel.whatsapp.variables_edit.setText("1={customer_first_name}; 2={nickname}")
    _save(qtbot, dialog)
    assert "unknown merge field {nickname}" in panel.errors.message_for(VARIABLES_FIELD)
    assert dialog.isVisible() and dialog.tabs.currentWidget() is panel
    assert ui.services.reminders.schedule().template(Channel.WHATSAPP) == mine

    panel.whatsapp.variables_edit.setText("1={customer_first_name}; 2={invoice_number}")
    _save(qtbot, dialog)
    assert not dialog.isVisible()
    saved = ui.services.reminders.schedule().template(Channel.WHATSAPP)
    assert (saved.template_id, saved.variables) == (
        sid,
        "1={customer_first_name}; 2={invoice_number}",
    )


def test_reminders_that_cannot_be_read_are_left_alone_and_said_so(
    qtbot: Any, ui: UiContext, context: Any
) -> None:
    import sqlite3

    with sqlite3.connect(context.paths.database) as db:  # a channel this build does not know
        db.execute(
            "INSERT INTO reminder_settings (id, enabled, steps, templates) "
            """VALUES (1, 1, '[{"days": 3, "channel": "fax"}]', '{}')"""
        )
    dialog = SettingsDialog(ui)
    qtbot.addWidget(dialog)
    dialog.show()
    panel = dialog.reminders
    qtbot.waitUntil(lambda: "could not be read" in panel.message.text(), timeout=WAIT)
    assert not panel.enabled.isEnabled() and not panel.loaded
    qtbot.waitUntil(dialog.save_button.isEnabled, timeout=WAIT)
    dialog.text["company_name"].setText("Renamed Ltd")
    _save(qtbot, dialog)

    assert not dialog.isVisible()  # the rest is saved
    assert ui.services.settings.business().company_name == "Renamed Ltd"
    with sqlite3.connect(context.paths.database) as db:
        (steps,) = db.execute("SELECT steps FROM reminder_settings").fetchone()
    assert '"fax"' in steps  # untouched


def test_business_and_tax_rates_are_saved_together_or_not_at_all(ui: UiContext) -> None:
    from leadcartel_desktop.domain.errors import ValidationError
    from leadcartel_desktop.domain.taxes import TaxRate

    settings = ui.services.settings
    before = settings.business()
    renamed = replace(before, company_name="Renamed Ltd")
    twice = [TaxRate("VAT", Decimal("20")), TaxRate("vat", Decimal("10"))]
    with pytest.raises(ValidationError, match="used twice"):
        settings.save_business_and_tax_rates(renamed, twice)
    assert settings.business() == before


def test_the_steps_rest_while_reminders_are_off_and_the_messages_stay_editable(
    panel: RemindersPanel,
) -> None:
    steps = panel.findChild(QGroupBox, "reminderSteps")
    panel.enabled.setChecked(True)
    assert steps.isEnabled() and panel.add_step.isEnabled()
    panel.enabled.setChecked(False)
    assert not steps.isEnabled() and not panel.add_step.isEnabled()
    assert panel.bodies[Channel.EMAIL].isEnabled()  # "Send reminder now" uses them
    panel.enabled.setChecked(True)
    assert panel.add_step.isEnabled()
