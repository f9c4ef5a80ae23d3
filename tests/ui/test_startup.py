"""Start-up: first-run choice, demo loading with progress, and what loads before the window."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from leadcartel_desktop.app import create_demo_book, demo_partial_path
from leadcartel_desktop.paths import resolve_paths
from leadcartel_desktop.ui.first_run import DemoLoader, FirstRunDialog, StartChoice
from leadcartel_desktop.ui.tasks import TaskRunner
from tests.conftest import FixedClock

HEAVY = ("fpdf", "sqlalchemy.orm", "requests", "keyring")


def test_first_run_dialog_offers_both_starts(qtbot: Any) -> None:
    dialog = FirstRunDialog()
    qtbot.addWidget(dialog)
    dialog.open()
    assert dialog.empty_button.text() == "Start empty"
    qtbot.mouseClick(dialog.demo_button, Qt.MouseButton.LeftButton)
    assert dialog.choice is StartChoice.DEMO
    assert dialog.result() == FirstRunDialog.DialogCode.Accepted

    again = FirstRunDialog()
    qtbot.addWidget(again)
    again.open()
    qtbot.mouseClick(again.empty_button, Qt.MouseButton.LeftButton)
    assert again.choice is StartChoice.EMPTY


@pytest.fixture
def tasks() -> Any:
    errors: list[BaseException] = []
    runner = TaskRunner(errors.append)
    yield runner
    runner.wait_for_done()
    assert not errors, errors


def _demo_build(home: Path) -> Any:
    def build(report: Any, cancelled: Any) -> Any:
        book = create_demo_book(home, FixedClock(), report, cancelled)
        return None if book is None else book.context

    return build


def test_demo_loader_cancelled_at_once_leaves_no_book(
    qtbot: Any, tasks: TaskRunner, home: Path
) -> None:
    from PySide6.QtWidgets import QWidget

    parent = QWidget()
    qtbot.addWidget(parent)
    loader = DemoLoader(tasks, _demo_build(home), parent)
    with qtbot.waitSignal(loader.finished, timeout=60_000) as finished:
        loader.start()
        loader.cancel()
    assert finished.args == [None]
    assert not loader.dialog.isVisible()
    assert not resolve_paths(home).database.exists()
    assert not demo_partial_path(home).exists()


@pytest.mark.slow
def test_demo_loader_builds_the_whole_book(qtbot: Any, tasks: TaskRunner, home: Path) -> None:
    from PySide6.QtWidgets import QWidget

    parent = QWidget()
    qtbot.addWidget(parent)
    loader = DemoLoader(tasks, _demo_build(home), parent)
    with qtbot.waitSignal(loader.finished, timeout=120_000) as finished:
        loader.start()
    context = finished.args[0]
    try:
        assert context.services.invoice_list.invoice_count() >= 150
    finally:
        context.close()
    assert not demo_partial_path(home).exists()


PROBE = textwrap.dedent(
    """
    import sys
    import leadcartel_desktop.__main__ as entry

    def probe(self):
        heavy = [name for name in {heavy!r} if name in sys.modules]
        sys.stdout.write(f"heavy at first paint: {{heavy}}\\n")
        self._app.quit()

    entry.Startup.start = probe
    sys.exit(entry.main(["--home", {home!r}]))
    """
)


def run(arguments: list[str], home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "LEADCARTEL_HOME": str(home)}
    return subprocess.run(
        [sys.executable, *arguments], check=False, env=env, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip


def test_window_paints_before_heavy_imports(tmp_path: Path) -> None:
    home = tmp_path / "home"
    result = run(["-c", PROBE.format(heavy=HEAVY, home=str(home))], home)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "heavy at first paint: []" in result.stdout


@pytest.mark.slow
def test_make_run_starts_with_demo_data(tmp_path: Path) -> None:
    home = tmp_path / "home"
    arguments = ["-m", "leadcartel_desktop", "--home", str(home), "--demo-if-empty"]
    result = run([*arguments, "--quit-when-ready"], home)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.startswith("ready")
    assert (home / "data" / "leadcartel.sqlite3").exists()
    log = (home / "logs" / "leadcartel.log").read_text(encoding="utf-8")
    assert "First rows" in log
    assert (home / "settings.ini").exists()

    # The second start opens the book that is there, demo or not, without asking.
    again = run([*arguments, "--quit-when-ready"], home)
    assert again.returncode == 0, again.stderr[-2000:]
    assert again.stdout.startswith("ready")
