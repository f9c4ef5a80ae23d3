"""The Opportunities pane; what it shows is built the first time it is shown.

Its modules and widgets cost a good part of a second to import and build, which the window's
first paint (the Payments pane) should not wait for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

if TYPE_CHECKING:
    from leadcartel_desktop.ui.context import UiContext
    from leadcartel_desktop.ui.opportunities.workspace import OpportunitiesWorkspace


class OpportunitiesPane(QWidget):
    message = Signal(str)

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("opportunitiesPane")
        self._context = context
        self._workspace: OpportunitiesWorkspace | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    @property
    def workspace(self) -> OpportunitiesWorkspace:
        """The pipelines, deals and views (built now if the pane was never shown)."""
        if self._workspace is None:
            from leadcartel_desktop.ui.opportunities.workspace import OpportunitiesWorkspace

            self._workspace = OpportunitiesWorkspace(self._context)
            self._workspace.message.connect(self.message)
            self._layout.addWidget(self._workspace)
        return self._workspace

    @property
    def is_built(self) -> bool:
        return self._workspace is not None

    def refresh(self) -> None:
        """Re-read everything (a pane never shown reads it when first shown anyway)."""
        if self._workspace is not None:
            self._workspace.refresh()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        workspace = self.workspace
        super().showEvent(event)
        workspace.show()
