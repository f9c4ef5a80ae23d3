"""View > Sync problems…: what the last periodic run could not do, to read in full and copy.

The status bar shows the first problem once, when the list changes; this window keeps the
whole list of the latest run (each problem names its invoice, contact or job and what to do).
"""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from leadcartel_desktop.ui.widgets.hint_text import hint_label

NONE_NOW = "The last sync found nothing wrong."
NOT_YET = "No sync has finished since the app started (the first runs shortly after start)."
ABOUT = (
    "The app syncs every few minutes (reminders, the cloud's invoices and pipelines, replies, "
    "delivery receipts). A problem stays listed until a sync no longer finds it."
)


class SyncProblemsDialog(QDialog):
    def __init__(self, problems: tuple[str, ...] | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncProblems")
        self.setWindowTitle("Sync problems")
        self.resize(640, 360)
        self.summary = QLabel(objectName="syncProblemsSummary")
        self.text = QPlainTextEdit(objectName="syncProblemsText")
        self.text.setReadOnly(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton("Copy", objectName="copySyncProblems")
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self._copy)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.text, 1)
        self._gap = QWidget()  # takes the text's room when there is no text, under the summary
        layout.addWidget(self._gap, 1)
        layout.addWidget(hint_label(ABOUT))
        layout.addWidget(buttons)
        self.show_problems(problems)

    def show_problems(self, problems: tuple[str, ...] | None) -> None:
        """The latest run's problems; None before a run has finished."""
        listed = problems or ()
        count = len(listed)
        if count:
            self.summary.setText(f"The last sync found {count} problem{'s' * (count > 1)}:")
        else:
            self.summary.setText(NONE_NOW if problems is not None else NOT_YET)
        self.text.setPlainText("\n\n".join(listed))
        self.text.setVisible(bool(count))
        self._gap.setVisible(not count)
        self.copy_button.setEnabled(bool(count))

    def _copy(self) -> None:
        QGuiApplication.clipboard().setText(self.text.toPlainText())
