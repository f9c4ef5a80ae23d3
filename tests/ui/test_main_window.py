"""The main window: navigation, placeholders, busy state and remembered window state."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QSize, Qt

from leadcartel_desktop.ui.main_window import PANES, MainWindow
from leadcartel_desktop.ui.placeholders import PlaceholderPane
from tests.ui.payments_book import WindowHarness, make_book


@pytest.fixture
def harness(qtbot: Any, context: Any) -> Iterator[WindowHarness]:
    make_book(context.services)
    harness = WindowHarness(qtbot, context)
    yield harness
    harness.close()


def test_opens_on_payments_with_rows(qtbot: Any, harness: WindowHarness) -> None:
    window = harness.window
    assert window.current_pane == "Payments"
    assert window.payments is not None
    model = window.payments.invoices.model
    qtbot.waitUntil(lambda: model.has_loaded and model.rowCount() == 7)
    qtbot.waitUntil(model.is_fully_loaded)
    assert window.payments.invoices.stack.currentWidget() is window.payments.invoices.table


@pytest.mark.parametrize("name", PANES[3:])
def test_placeholder_panes_show_their_empty_state(
    qtbot: Any, harness: WindowHarness, name: str
) -> None:
    window = harness.window
    button = window.nav_group.button(PANES.index(name))
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    pane = window.stack.currentWidget()
    assert isinstance(pane, PlaceholderPane)
    assert window.current_pane == name
    assert pane.empty_state.title_label.text() == f"{name} is not yet available"
    assert pane.empty_state.isVisible()


def test_status_bar_shows_busy_while_work_runs(qtbot: Any, harness: WindowHarness) -> None:
    window = harness.window
    qtbot.waitUntil(harness.tasks.is_idle)
    assert not window.is_busy_shown
    release = threading.Event()
    harness.tasks.run(lambda: release.wait(10), database=False)
    qtbot.waitUntil(lambda: window.is_busy_shown)
    release.set()
    qtbot.waitUntil(lambda: not window.is_busy_shown)


def test_window_state_is_remembered(qtbot: Any, harness: WindowHarness) -> None:
    first = harness.window
    first.resize(QSize(720, 480))
    first.show_pane(PANES.index("Conversations"))
    assert first.payments is not None
    first.payments.tabs.setCurrentIndex(1)
    qtbot.waitUntil(harness.tasks.is_idle)
    first.close()
    assert harness.context.paths.settings_file.exists()

    second = MainWindow(harness.context.paths, harness.tasks)
    qtbot.addWidget(second)
    second.attach(harness.context)
    second.show()
    assert second.size() == QSize(720, 480)
    assert second.current_pane == "Conversations"
    assert second.payments is not None
    assert second.payments.tabs.currentIndex() == 1
    qtbot.waitUntil(harness.tasks.is_idle)
    second.close()


def test_settings_action_waits_for_the_book(qtbot: Any, context: Any) -> None:
    from leadcartel_desktop.ui.tasks import TaskRunner

    tasks = TaskRunner(lambda error: None)
    window = MainWindow(context.paths, tasks)
    qtbot.addWidget(window)
    assert not window.settings_action.isEnabled()
    assert window.loading.title_label.text() == "Opening your book…"


def test_file_settings_opens_the_settings_dialog(qtbot: Any, harness: WindowHarness) -> None:
    from leadcartel_desktop.ui.settings.dialog import SettingsDialog

    window = harness.window
    assert window.settings_action.isEnabled()
    window.settings_action.trigger()
    dialog = window.findChild(SettingsDialog)
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(harness.tasks.is_idle)
    dialog.reject()
