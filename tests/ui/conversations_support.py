"""The Conversations pane on a real book, for the pytest-qt tests."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.ui.context import UiContext
from leadcartel_desktop.ui.conversations.pane import ConversationsPane
from leadcartel_desktop.ui.tasks import TaskRunner


class ConversationsHarness:
    """The pane at 1280×800; task errors are collected (and fail the test), not shown."""

    def __init__(self, qtbot: Any, app_context: Any) -> None:
        self.qtbot = qtbot
        self.errors: list[BaseException] = []
        self.tasks = TaskRunner(self.errors.append)
        self.services = app_context.services
        self.context = UiContext(app_context.services, self.tasks, app_context.paths)
        self.pane = ConversationsPane(self.context)
        qtbot.addWidget(self.pane)
        self.pane.resize(1280, 800)

    def show(self) -> None:
        self.pane.show()
        self.idle()

    def idle(self) -> None:
        self.qtbot.waitUntil(self.tasks.is_idle)
        assert not self.errors, self.errors

    def contact(self, first: str, phone: str = "", email: str = "", last: str = "") -> int:
        made = self.services.contacts.create(Contact(first, last, email, phone))
        assert made.id is not None
        return int(made.id)


def answer_confirm(qtbot: Any) -> None:
    """Press the yes button of the open confirmation (forms.confirm)."""

    def box() -> QMessageBox | None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QMessageBox) and widget.isVisible():
                return widget
        return None

    qtbot.waitUntil(lambda: box() is not None)
    found = box()
    assert found is not None
    yes = found.findChild(QPushButton, "confirmYes")
    assert yes is not None
    yes.click()
