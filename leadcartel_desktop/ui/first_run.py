"""First start: choose an empty book or demo data, and load the demo with a progress dialog."""

from __future__ import annotations

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
    from leadcartel_desktop.ui.context import UiContext
    from leadcartel_desktop.ui.tasks import Progress


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


class DemoLoader(QObject):
    """Fills the book with demo data in the database lane, with a cancellable progress dialog."""

    finished = Signal(bool)  # True when it ran to the end, False when cancelled or failed

    def __init__(self, context: UiContext, parent: QWidget) -> None:
        super().__init__(parent)
        self._context = context
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
        from leadcartel_desktop.services.demo import load_demo

        services = self._context.services

        def work(progress: Progress) -> bool:
            def report(done: int, total: int, text: str = "") -> None:
                progress.report(done, total, text)

            try:
                summary = load_demo(services, report, lambda: progress.cancelled)
            except Exception:
                if progress.cancelled:
                    return False  # however the loader chose to stop, it stopped
                raise
            return not summary.cancelled

        self.dialog.show()
        self._progress = self._context.tasks.run_with_progress(
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

    def _done(self, completed: bool) -> None:
        self._close_dialog()
        self.finished.emit(bool(completed))

    def _failed(self, error: BaseException) -> None:
        self._close_dialog()
        show_error(self._parent, error, "Demo data")
        self.finished.emit(False)
