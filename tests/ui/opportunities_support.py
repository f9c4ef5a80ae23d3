"""The Opportunities pane on a real book, for the pytest-qt tests; and small helpers."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt

from leadcartel_desktop.ui.context import UiContext
from leadcartel_desktop.ui.opportunities.column import StageColumn
from leadcartel_desktop.ui.opportunities.pane import OpportunitiesPane
from leadcartel_desktop.ui.opportunities.workspace import OpportunitiesWorkspace
from leadcartel_desktop.ui.tasks import TaskRunner


class PaneHarness:
    """The pane at 1280×800, shown (and so loaded) by open_board() once the book is made.

    Task errors are collected (and fail the test), not shown.
    """

    def __init__(self, qtbot: Any, app_context: Any) -> None:
        self.qtbot = qtbot
        self.errors: list[BaseException] = []
        self.tasks = TaskRunner(self.errors.append)
        self.context = UiContext(app_context.services, self.tasks, app_context.paths)
        self.outer = OpportunitiesPane(self.context)
        qtbot.addWidget(self.outer)
        self.outer.resize(1280, 800)
        self.resets = 0

    @property
    def pane(self) -> OpportunitiesWorkspace:
        return self.outer.workspace

    def open_board(self) -> None:
        self.outer.show()
        board = self.pane.board
        self.qtbot.waitUntil(lambda: board.has_loaded and self.tasks.is_idle())
        for column in board.columns:
            column.model.modelReset.connect(self._count_reset)

    def _count_reset(self) -> None:
        self.resets += 1

    def column(self, position: int) -> StageColumn:
        return self.pane.board.columns[position]

    def names(self, position: int) -> list[str]:
        return [card.name for card in self.column(position).model.cards]

    def drop(self, deal_id: int, to_position: int, before_row: int) -> None:
        """Drag by the views' own drop handling: the source's mime data, the target's drop."""
        board = self.pane.board
        place = board.place_of(deal_id)
        assert place is not None
        source = board.column_for(place.stage_id)
        assert source is not None
        mime = source.model.mimeData([source.model.index(place.row, 0)])
        target = self.column(to_position).model
        assert target.canDropMimeData(mime, Qt.DropAction.MoveAction, before_row, 0, QModelIndex())
        with self.qtbot.waitSignal(board.moved, timeout=10_000):
            assert target.dropMimeData(mime, Qt.DropAction.MoveAction, before_row, 0, QModelIndex())

    def idle(self) -> None:
        self.qtbot.waitUntil(self.tasks.is_idle)

    def close(self) -> None:
        self.outer.close()
        self.tasks.wait_for_done()
        assert not self.errors, self.errors
