"""First start: choose an empty book or demo data, and build the demo with a progress dialog."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from leadcartel_desktop.ui.errors import show_error

if TYPE_CHECKING:
    from leadcartel_desktop.ui.main_window import MainWindow
    from leadcartel_desktop.ui.tasks import Progress, TaskRunner

# build(report(done, total), cancelled()) -> the new book, or None when it was cancelled
DemoBuild = Callable[[Callable[[int, int], None], Callable[[], bool]], object | None]

BUSINESS_NOTE = "Tell us about your business — it appears on every invoice."


class StartChoice(StrEnum):
    EMPTY = "empty"
    DEMO = "demo"


class FirstRunDialog(QDialog):
    """Asks once, when there is no book yet, how the operator wants to begin."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Welcome to Lead Cartel Desktop")
        self.setObjectName("firstRunDialog")
        self.choice = StartChoice.EMPTY
        heading = QLabel("<h2>Welcome!</h2>")
        text = QLabel(
            "This is a new book. Start with an empty one and add your own customers and "
            "invoices, or load demo data to look around first (customers, invoices in three "
            "currencies and payments; you can start over later from a new data folder)."
        )
        text.setWordWrap(True)
        buttons = QDialogButtonBox()
        self.empty_button = QPushButton("Start empty")
        self.empty_button.setObjectName("startEmpty")
        self.demo_button = QPushButton("Load demo data")
        self.demo_button.setObjectName("loadDemo")
        buttons.addButton(self.demo_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.empty_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.empty_button.setDefault(True)
        self.empty_button.clicked.connect(lambda: self._choose(StartChoice.EMPTY))
        self.demo_button.clicked.connect(lambda: self._choose(StartChoice.DEMO))
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(text)
        layout.addSpacing(8)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)

    def _choose(self, choice: StartChoice) -> None:
        self.choice = choice
        self.accept()


def ask_business_details(window: MainWindow) -> None:
    """After "Start empty": Settings on the Business tab, so the first invoice has a seller."""
    window.open_settings(BUSINESS_NOTE)


class DemoLoader(QObject):
    """Builds the demo book in the database lane, with a cancellable progress dialog.

    `build(report, cancelled)` makes the whole book or none (the composition root's
    create_demo_book); `finished` carries what it returned, None when cancelled or failed.
    """

    finished = Signal(object)

    def __init__(self, tasks: TaskRunner, build: DemoBuild, parent: QWidget) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._build = build
        self._parent = parent
        self._progress: Progress | None = None
        self.dialog = QProgressDialog("Loading demo data…", "Cancel", 0, 0, parent)
        self.dialog.setObjectName("demoProgress")
        self.dialog.setWindowTitle("Demo data")
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(0)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.canceled.connect(self.cancel)

    def start(self) -> None:
        build = self._build

        def work(progress: Progress) -> object | None:
            def report(done: int, total: int) -> None:
                progress.report(done, total)

            try:
                return build(report, lambda: progress.cancelled)
            except Exception:
                if progress.cancelled:
                    return None  # however the builder chose to stop, it stopped
                raise

        self.dialog.show()
        self._progress = self._tasks.run_with_progress(
            work, self._done, self._report, self._failed, database=True
        )

    def cancel(self) -> None:
        if self._progress is not None:
            self._progress.cancel()
            self.dialog.setLabelText("Stopping…")

    def _report(self, done: int, total: int, text: str) -> None:
        if total > 0:
            self.dialog.setMaximum(total)
            self.dialog.setValue(min(done, total))
        if not (self._progress and self._progress.cancelled):
            self.dialog.setLabelText(text or f"Loading demo data… {done} of {total}")

    def _close_dialog(self) -> None:
        self._progress = None  # closing the dialog emits canceled(); nothing is left to stop
        self.dialog.close()

    def _done(self, book: object | None) -> None:
        self._close_dialog()
        self.finished.emit(book)

    def _failed(self, error: BaseException) -> None:
        self._close_dialog()
        show_error(self._parent, error, "Demo data")
        self.finished.emit(None)
