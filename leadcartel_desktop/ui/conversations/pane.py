"""The Conversations pane; its tabs are built the first time it is shown.

Their modules cost about 60 ms to import and 15 ms to build: the window's start, and the
sending that begins just after it, should not wait for a pane nobody has opened yet.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from leadcartel_desktop.ui.context import UiContext
    from leadcartel_desktop.ui.conversations.campaigns_tab import CampaignsTab
    from leadcartel_desktop.ui.conversations.threads_tab import ThreadsTab
    from leadcartel_desktop.ui.conversations.workspace import ConversationsWorkspace


class ConversationsPane(QWidget):
    message = Signal(str)

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conversationsPane")
        self._context = context
        self._workspace: ConversationsWorkspace | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    @property
    def workspace(self) -> ConversationsWorkspace:
        """The tabs (built now if the pane was never shown)."""
        if self._workspace is None:
            from leadcartel_desktop.ui.conversations.workspace import ConversationsWorkspace

            self._workspace = ConversationsWorkspace(self._context)
            self._workspace.message.connect(self.message)
            self._layout.addWidget(self._workspace)
        return self._workspace

    @property
    def threads(self) -> ThreadsTab:
        return self.workspace.threads

    @property
    def campaigns(self) -> CampaignsTab:
        return self.workspace.campaigns

    @property
    def tabs(self) -> QTabWidget:
        return self.workspace.tabs

    def refresh(self) -> None:
        """Re-read both tabs (a pane never shown reads them when first shown anyway)."""
        if self._workspace is not None:
            self._workspace.refresh()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        workspace = self.workspace
        super().showEvent(event)
        workspace.show()
