"""A table's stretching column that never shrinks to an ellipsis in a narrow window."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QHeaderView, QTableView


class ReadableStretch(QObject):
    """Keeps `column` stretching to fill the table, but never narrower than `minimum` pixels.

    Qt shrinks a stretching section to almost nothing once the fixed columns fill the view
    (a deal's or customer's name then reads '…'); narrower than that, the column keeps
    `minimum` and the table scrolls sideways instead.
    """

    def __init__(self, table: QTableView, column: int, minimum: int) -> None:
        super().__init__(table)
        self._table = table
        self._column = column
        self.minimum = minimum
        table.viewport().installEventFilter(self)
        table.horizontalHeader().sectionResized.connect(self._resized)
        self.update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Resize:
            self.update()
        return False

    def _resized(self, section: int, _old: int, _new: int) -> None:
        if section != self._column:  # another column was widened or narrowed
            self.update()

    def update(self) -> None:
        header = self._table.horizontalHeader()
        if self._column >= header.count():
            return
        others = sum(
            header.sectionSize(section)
            for section in range(header.count())
            if section != self._column and not header.isSectionHidden(section)
        )
        room = self._table.viewport().width() - others
        stretch = room >= self.minimum
        mode = QHeaderView.ResizeMode.Stretch if stretch else QHeaderView.ResizeMode.Interactive
        switched = header.sectionResizeMode(self._column) != mode
        if switched:
            header.setSectionResizeMode(self._column, mode)
        if stretch:
            return
        # Leaving Stretch keeps the stretched width (a window un-maximised at once would push
        # the other columns out of sight): take it down to what fits, or the minimum.
        narrow = max(self.minimum, room)
        if (switched and header.sectionSize(self._column) > narrow) or (
            header.sectionSize(self._column) < self.minimum
        ):
            header.resizeSection(self._column, narrow)
