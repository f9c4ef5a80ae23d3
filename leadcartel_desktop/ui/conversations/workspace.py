"""What the Conversations pane shows: the Threads and Campaigns tabs, read when first shown."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from leadcartel_desktop.services.outbox_view import BusinessTime
from leadcartel_desktop.ui.context import UiContext
from leadcartel_desktop.ui.conversations.campaigns_tab import CampaignsTab
from leadcartel_desktop.ui.conversations.texts import use_business
from leadcartel_desktop.ui.conversations.threads_tab import ThreadsTab


class ConversationsWorkspace(QWidget):
    message = Signal(str)

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conversationsWorkspace")
        self._context = context
        self.threads = ThreadsTab(context)
        self.campaigns = CampaignsTab(context)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.threads, "Threads")
        self.tabs.addTab(self.campaigns, "Campaigns")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        self.threads.message.connect(self.message)
        self.campaigns.message.connect(self.message)
        # Nothing is read until the pane is first shown: start-up queries only invoices.
        self._stale = {self.threads: True, self.campaigns: True}
        self.tabs.currentChanged.connect(lambda _index: self._refresh_shown())

    def refresh(self) -> None:
        """Re-read both tabs (the shown one now, the other when shown)."""
        self._stale = {self.threads: True, self.campaigns: True}
        if self.isVisible():
            self._refresh_shown()

    def _refresh_shown(self) -> None:
        if any(self._stale.values()):
            # Queued first on the database lane, so the dates of what follows use it.
            settings = self._context.services.settings
            self._context.tasks.run(lambda: BusinessTime.of(settings.business()), use_business)
        shown = self.tabs.currentWidget()
        if shown is self.threads and self._stale[self.threads]:
            self._stale[self.threads] = False
            self.threads.refresh()
        elif shown is self.campaigns and self._stale[self.campaigns]:
            self._stale[self.campaigns] = False
            self.campaigns.refresh()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        self._refresh_shown()
