"""View > Sync problems before the first periodic run has finished."""

from __future__ import annotations

from typing import Any

from pytestqt.qtbot import QtBot

from leadcartel_desktop.ui.periodic_sync import PeriodicSync
from leadcartel_desktop.ui.tasks import TaskRunner


def test_before_any_sync_the_window_does_not_claim_a_sync_found_nothing(
    qtbot: QtBot, context: Any
) -> None:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QMainWindow

    from leadcartel_desktop.ui.sending_session import _offer_problems
    from leadcartel_desktop.ui.sync_problems import SyncProblemsDialog

    window = QMainWindow()
    qtbot.addWidget(window)
    window.sync_problems_action = QAction("Sync problems…", window)  # type: ignore[attr-defined]
    job = PeriodicSync(context.services, TaskRunner(lambda error: None))
    _offer_problems(window, job)  # the app's first run comes 15 s after the window opens
    assert window.sync_problems_action.isEnabled()  # type: ignore[attr-defined]
    window.sync_problems_action.trigger()  # type: ignore[attr-defined]
    dialog = window.findChild(SyncProblemsDialog)
    assert dialog is not None
    assert "last sync found nothing wrong" not in dialog.summary.text().lower(), (
        dialog.summary.text()
    )
