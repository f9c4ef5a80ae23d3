"""Messages that say where to look: an unexpected error's log file, the Test result line, and
what sending does to an issued invoice."""

from __future__ import annotations

import logging
import logging.handlers
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from leadcartel_desktop.domain.errors import UserFacingError
from leadcartel_desktop.domain.outbox import Channel
from leadcartel_desktop.sandbox import Sandbox
from leadcartel_desktop.ui.context import UiContext
from leadcartel_desktop.ui.errors import error_text, show_error
from leadcartel_desktop.ui.invoices.send_dialog import SendInvoiceDialog
from leadcartel_desktop.ui.settings.dialog import SettingsDialog
from tests.conftest import FixedClock
from tests.integration.send_support import draft_for_ada, gc_on_main_thread, sandbox_app
from tests.ui.invoice_support import make_ui

LOGGED = "Something went wrong. The details are logged."


# error_text --------------------------------------------------------------------------------
@contextmanager
def log_files(*handlers: logging.Handler) -> Iterator[None]:
    """The root logger with these handlers instead of its file handlers (pytest adds one).

    Done inside the test, so pytest's own per-phase handlers are left as they are.
    """
    root = logging.getLogger()
    removed = [h for h in root.handlers if isinstance(h, logging.FileHandler)]
    for handler in removed:
        root.removeHandler(handler)
    for handler in handlers:
        root.addHandler(handler)
    try:
        yield
    finally:
        for handler in handlers:
            root.removeHandler(handler)
            handler.close()
        for handler in removed:
            root.addHandler(handler)


@pytest.mark.parametrize("rotating", [False, True], ids=["file", "rotating"])
def test_an_unexpected_error_names_the_log_file(tmp_path: Path, rotating: bool) -> None:
    path = tmp_path / "logs" / "leadcartel.log"
    path.parent.mkdir()
    handler: logging.FileHandler = (
        logging.handlers.RotatingFileHandler(path, maxBytes=2_000_000, encoding="utf-8")
        if rotating  # as __main__.setup_logging installs it
        else logging.FileHandler(path, encoding="utf-8")
    )
    with log_files(handler):
        text = error_text(RuntimeError("boom"))
    assert text.startswith("Something went wrong.")
    assert str(path) in text
    assert "The details are logged." not in text


def test_without_a_log_file_an_unexpected_error_says_the_details_are_logged() -> None:
    with log_files(logging.StreamHandler()):  # not a file: nothing to point at
        assert error_text(RuntimeError("boom")) == LOGGED
    with log_files():
        assert error_text(KeyError("x")) == LOGGED


def test_the_operators_own_mistake_is_shown_as_it_is(tmp_path: Path) -> None:
    with log_files(logging.FileHandler(tmp_path / "leadcartel.log", encoding="utf-8")):
        assert error_text(UserFacingError("No network")) == "No network"


def test_the_error_dialog_points_at_the_file_that_holds_the_traceback(
    qtbot: Any, tmp_path: Path
) -> None:
    path = tmp_path / "leadcartel.log"
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    with log_files(logging.FileHandler(path, encoding="utf-8")):
        try:
            raise ValueError("an unexpected failure")
        except ValueError as error:
            show_error(parent, error)
        box = parent.findChild(QMessageBox, "errorDialog")
        assert box is not None and box.isVisible()
        assert str(path) in box.text()
    assert "ValueError: an unexpected failure" in path.read_text(encoding="utf-8")


# Settings > Providers: the Test result line -------------------------------------------------
@pytest.fixture
def sandboxed(
    qtbot: Any, home: Path, clock: FixedClock, tmp_path: Path
) -> Iterator[tuple[UiContext, Sandbox]]:
    with (
        gc_on_main_thread(),
        sandbox_app(home, clock, tmp_path / "sandbox") as (context, sandbox, _keys),
    ):
        for ui in make_ui(qtbot, context):
            yield ui, sandbox


def test_the_test_result_line_is_hidden_until_test_has_run(qtbot: Any, sandboxed: Any) -> None:
    ui, _sandbox = sandboxed
    dialog = SettingsDialog(ui)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(
        lambda: dialog.save_button.isEnabled() and dialog.providers.ready, timeout=10_000
    )
    dialog.tabs.setCurrentWidget(dialog.providers)
    panel = dialog.providers
    assert panel.isVisible()
    for channel, result in panel.results.items():
        assert result.text() == "", channel
        assert not result.isVisible(), channel
        assert panel.test_buttons[channel].isVisible(), channel

    with qtbot.waitSignal(panel.tested, timeout=15_000) as signal:
        qtbot.mouseClick(panel.test_buttons[Channel.SMS], Qt.MouseButton.LeftButton)
    shown = panel.results[Channel.SMS]
    assert shown.isVisible()
    assert shown.text() == str(signal.args[1]) != ""
    # Only the channel that was tested shows a line.
    assert not any(
        result.isVisible() for channel, result in panel.results.items() if channel != Channel.SMS
    )


# The Send dialog's summary -------------------------------------------------------------------
def open_send_dialog(qtbot: Any, ui: UiContext, invoice_id: int) -> SendInvoiceDialog:
    dialog = SendInvoiceDialog(ui, invoice_id)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        dialog.show()
    return dialog


def test_an_issued_invoice_reads_that_sending_does_not_change_it(
    qtbot: Any, sandboxed: Any
) -> None:
    ui, _sandbox = sandboxed
    invoice_id = draft_for_ada(ui.services)
    ui.services.invoices.issue(invoice_id)
    number = ui.services.invoices.get(invoice_id).number
    dialog = open_send_dialog(qtbot, ui, invoice_id)
    summary = dialog.summary.text()
    assert number and number in summary
    assert summary.endswith("<br>Already issued: sending does not change it")
    assert "Draft: sending issues it" not in summary


def test_a_draft_still_reads_that_sending_issues_it(qtbot: Any, sandboxed: Any) -> None:
    ui, _sandbox = sandboxed
    dialog = open_send_dialog(qtbot, ui, draft_for_ada(ui.services))
    summary = dialog.summary.text()
    assert summary.endswith("<br>Draft: sending issues it (number, lock)")
    assert "Already issued" not in summary


def test_a_test_that_fails_unexpectedly_says_so_plainly_and_logs_it(
    qtbot: Any, sandboxed: Any, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    ui, _sandbox = sandboxed

    def broken(*_args: object, **_kwargs: object) -> str:
        raise RuntimeError("adapter bug <0x7f>")  # a bug in an adapter, not the operator's fault

    monkeypatch.setattr(ui.services.provider_settings, "test", broken)
    dialog = SettingsDialog(ui)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(
        lambda: dialog.save_button.isEnabled() and dialog.providers.ready, timeout=10_000
    )
    dialog.tabs.setCurrentWidget(dialog.providers)
    panel = dialog.providers
    with log_files(), qtbot.waitSignal(panel.tested, timeout=15_000):
        qtbot.mouseClick(panel.test_buttons[Channel.SMS], Qt.MouseButton.LeftButton)
    assert panel.results[Channel.SMS].text() == LOGGED  # not Python's repr of the error
    assert "adapter bug" in caplog.text  # the traceback is in the log
