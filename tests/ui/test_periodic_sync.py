"""The periodic job queues due reminders off the GUI thread, only with a provider set up."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pytestqt.qtbot import QtBot

from leadcartel_desktop.domain.business import BusinessSettings
from leadcartel_desktop.domain.providers import ProviderKind, ProviderSettings
from leadcartel_desktop.domain.reminders import ReminderSchedule, ReminderStep
from leadcartel_desktop.ui.periodic_sync import PeriodicRun, PeriodicSync
from leadcartel_desktop.ui.tasks import TaskRunner
from tests.integration.test_reminders import issue, keys

Context = Any  # leadcartel_desktop.app.AppContext
LATER = datetime(2026, 3, 16, 12, 0, tzinfo=UTC)  # 14 days after the due date


def _job(context: Context, errors: list[BaseException]) -> PeriodicSync:
    services = context.services
    services.settings.save_business(BusinessSettings(company_name="Acme"))
    services.reminders.save_schedule(ReminderSchedule(steps=(ReminderStep(3), ReminderStep(14))))
    return PeriodicSync(services, TaskRunner(errors.append), now=lambda: LATER)


def _run(qtbot: QtBot, job: PeriodicSync) -> PeriodicRun:
    with qtbot.waitSignal(job.ran, timeout=10_000) as signal:
        job.run_now()
    run: PeriodicRun = signal.args[0]
    return run


def test_due_reminders_are_queued_by_the_injected_clock(qtbot: QtBot, context: Context) -> None:
    errors: list[BaseException] = []
    job = _job(context, errors)
    context.services.providers.save(ProviderSettings(email=ProviderKind.SMTP))
    invoice_id = issue(context)
    assert _run(qtbot, job).reminders == 1  # the latest step due; 3 is skipped
    assert keys(context, invoice_id) == [f"reminder:{invoice_id}:14"]
    assert _run(qtbot, job).reminders == 0  # each step once
    assert errors == []


def test_nothing_is_queued_without_a_provider(qtbot: QtBot, context: Context) -> None:
    errors: list[BaseException] = []
    job = _job(context, errors)
    invoice_id = issue(context)
    assert _run(qtbot, job) == PeriodicRun()
    assert keys(context, invoice_id) == []
    assert errors == []


def test_a_problem_is_told_once_until_it_changes(qtbot: QtBot, context: Context) -> None:
    errors: list[BaseException] = []
    job = _job(context, errors)
    told: list[str] = []
    job.problems_changed.connect(told.append)
    context.services.providers.save(ProviderSettings(sms=ProviderKind.TWILIO))  # no token saved

    first = _run(qtbot, job)
    _run(qtbot, job)
    context.services.providers.save(ProviderSettings())
    _run(qtbot, job)

    assert first.problems and told[0] == f"Sync: {first.problems[0]}"
    assert told == [told[0], ""]  # the same problem again says nothing; its end clears it
    assert errors == []


def test_problems_read_as_one_line() -> None:
    from leadcartel_desktop.ui.periodic_sync import problems_text

    assert problems_text(()) == ""
    assert problems_text(("No network",)) == "Sync: No network"
    assert problems_text(("A", "B", "C")) == "Sync: A (and 2 more: View > Sync problems)"


def test_view_sync_problems_lists_the_latest_run_in_full(qtbot: QtBot, context: Context) -> None:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QMainWindow

    from leadcartel_desktop.ui.sending_session import _offer_problems
    from leadcartel_desktop.ui.sync_problems import NONE_NOW, SyncProblemsDialog

    window = QMainWindow()
    qtbot.addWidget(window)
    window.sync_problems_action = QAction("Sync problems…", window)  # type: ignore[attr-defined]
    job = _job(context, [])
    _offer_problems(window, job)
    context.services.providers.save(ProviderSettings(sms=ProviderKind.TWILIO))  # no token saved
    first = _run(qtbot, job)
    window.sync_problems_action.trigger()  # type: ignore[attr-defined]
    dialog = window.findChild(SyncProblemsDialog)
    assert dialog is not None and dialog.isVisible()
    assert dialog.text.toPlainText() == "\n\n".join(first.problems)
    context.services.providers.save(ProviderSettings())
    _run(qtbot, job)  # the problem ends: the open window says so
    assert dialog.summary.text() == NONE_NOW and not dialog.text.isVisible()
