"""The Opportunities pane; what it shows is built the first time it is shown.

Its modules and widgets cost a good part of a second to import and build, which the window's
first paint (the Payments pane) should not wait for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Signal
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
        self._remembered: tuple[int | None, int] = (None, 0)  # pipeline id, view index
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    @property
    def workspace(self) -> OpportunitiesWorkspace:
        """The pipelines, deals and views (built now if the pane was never shown)."""
        if self._workspace is None:
            from leadcartel_desktop.ui.opportunities.workspace import OpportunitiesWorkspace, View

            self._workspace = OpportunitiesWorkspace(self._context)
            pipeline_id, view = self._remembered
            known = 0 <= view < len(View)
            self._workspace.restore(pipeline_id, View(view) if known else View.BOARD)
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

    def save_state(self, settings: QSettings) -> None:
        if self._workspace is not None:
            pipeline_id = self._workspace.pipeline_id()
            self._remembered = (pipeline_id, int(self._workspace.current_view()))
        pipeline_id, view = self._remembered
        settings.setValue("opportunities/pipeline", pipeline_id if pipeline_id is not None else "")
        settings.setValue("opportunities/view", view)

    def restore_state(self, settings: QSettings) -> None:
        """Kept until the workspace is built (the pane may never be shown this session)."""
        self._remembered = (
            _as_int(settings.value("opportunities/pipeline")),
            _as_int(settings.value("opportunities/view")) or 0,
        )

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        workspace = self.workspace
        super().showEvent(event)
        workspace.show()


def _as_int(value: object) -> int | None:
    """An int from QSettings' ini text ('' or anything else hand-edited: None)."""
    try:
        return int(str(value))
    except ValueError:
        return None
