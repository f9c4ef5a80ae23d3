"""A table model over an ordered list of ids whose rows are fetched by id, a page at a time."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from leadcartel_desktop.ui.tasks import TaskRunner

# Roles arrive as plain ints; comparing ints keeps data(), called ~1,500 times a paint, cheap.
DISPLAY = int(Qt.ItemDataRole.DisplayRole)
ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
ID_ROLE = int(Qt.ItemDataRole.UserRole)
SORT_ROLE = ID_ROLE + 1
PLACEHOLDER = "…"
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
ROW_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

AnyIndex = QModelIndex | QPersistentModelIndex


class LazyTableModel(QAbstractTableModel):
    """Holds only the ids in display order; rows come from the database in pages, on demand.

    Rows are fetched by id (`WHERE id IN (...)`), never by OFFSET, so a jump to any scroll
    position costs one small query. A row's cells are formatted the first time it is shown
    (a screenful is ~30 rows, a page 100) and kept, so later paints only look strings up.
    At most MAX_PAGES pages stay loaded (the oldest loaded go first).
    Subclasses say how to query ids and rows and how to show a row.
    """

    PAGE_SIZE = 100
    MAX_PAGES = 100
    HEADERS: tuple[str, ...] = ()
    RIGHT_ALIGNED: frozenset[int] = frozenset()

    loaded = Signal()  # the id list was (re)queried and the model reset
    page_loaded = Signal(int)

    def __init__(self, tasks: TaskRunner, parent: Any = None) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._ids: list[int] = []
        self._rows: list[Any | None] = []
        self._cells: list[tuple[str, ...] | None] = []
        self._pages: OrderedDict[int, None] = OrderedDict()  # loaded pages, oldest first
        self._pending: set[int] = set()  # pages asked for (loaded or on their way)
        self._generation = 0
        self._has_loaded = False
        self._alignments = tuple(
            RIGHT if column in self.RIGHT_ALIGNED else LEFT for column in range(len(self.HEADERS))
        )

    # Subclass hooks -------------------------------------------------------------------------
    def _ids_job(self) -> Callable[[], Any]:
        """Work (run off the GUI thread) whose result `_accept_ids` turns into the id list."""
        raise NotImplementedError

    def _accept_ids(self, result: Any) -> list[int]:
        return list(result)

    def _first_rows(self, result: Any) -> Sequence[Any] | None:
        """The first page's rows, if the ids job fetched them along with the ids.

        That saves a round trip, and a paint of placeholders, after every new filter, search
        or order.
        """
        return None

    def _rows_job(self, ids: list[int]) -> Callable[[], Sequence[Any]]:
        raise NotImplementedError

    def _display(self, row: Any, column: int) -> str:
        raise NotImplementedError

    def _sort_value(self, row: Any, column: int) -> object:
        return self._display(row, column)

    def _foreground(self, row: Any, column: int) -> Any:
        return None

    # Loading --------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Re-query the ids (filter, search or order changed, or the data did)."""
        self._generation += 1
        generation = self._generation
        self._tasks.run(self._ids_job(), lambda result: self._apply_ids(generation, result))

    def _apply_ids(self, generation: int, result: Any) -> None:
        if generation != self._generation:
            return  # a newer query is on its way
        ids = self._accept_ids(result)
        first_rows = self._first_rows(result)
        self.beginResetModel()
        self._ids = ids
        self._rows = [None] * len(ids)
        self._cells = [None] * len(ids)
        self._pages.clear()
        self._pending.clear()
        self._generation += 1  # pages asked for before the reset are stale now
        if first_rows is not None and ids:
            self._pending.add(0)
            self._store_page(0, ids[: self.PAGE_SIZE], first_rows)
        self.endResetModel()
        self._has_loaded = True
        self.loaded.emit()

    def _request_page(self, page: int) -> None:
        if page in self._pending:
            return
        self._pending.add(page)
        generation = self._generation
        first = page * self.PAGE_SIZE
        ids = self._ids[first : first + self.PAGE_SIZE]
        self._tasks.run(
            self._rows_job(ids), lambda rows: self._apply_page(generation, page, ids, rows)
        )

    def _apply_page(self, generation: int, page: int, ids: list[int], rows: Sequence[Any]) -> None:
        if generation != self._generation:
            return
        self._store_page(page, ids, rows)
        first = page * self.PAGE_SIZE
        if ids:
            last = first + len(ids) - 1
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(self.HEADERS) - 1))
        self.page_loaded.emit(page)

    def _store_page(self, page: int, ids: list[int], rows: Sequence[Any]) -> None:
        first = page * self.PAGE_SIZE
        by_id = {row.id: row for row in rows}
        for offset, row_id in enumerate(ids):
            # A row deleted meanwhile stays a placeholder until the next refresh.
            self._rows[first + offset] = by_id.get(row_id)
        self._pages[page] = None
        while len(self._pages) > self.MAX_PAGES:
            self._forget(self._pages.popitem(last=False)[0])

    def _forget(self, page: int) -> None:
        self._pending.discard(page)  # so it is fetched again when it is shown again
        first = page * self.PAGE_SIZE
        last = min(first + self.PAGE_SIZE, len(self._ids))
        self._rows[first:last] = [None] * (last - first)
        self._cells[first:last] = [None] * (last - first)

    # Queries the views and the pane use ------------------------------------------------------
    @property
    def has_loaded(self) -> bool:
        return self._has_loaded

    def row_at(self, row: int) -> Any | None:
        """The loaded row at a position, or None (does not start a fetch)."""
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def id_at(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def position_of(self, row_id: int) -> int | None:
        try:
            return self._ids.index(row_id)
        except ValueError:
            return None

    def is_fully_loaded(self) -> bool:
        return all(row is not None for row in self._rows)

    # QAbstractTableModel --------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = DISPLAY
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.HEADERS):
            return None
        if role == DISPLAY:
            return self.HEADERS[section]
        if role == ALIGNMENT:
            return self._alignments[section]
        return None

    def data(self, index: AnyIndex, role: int = DISPLAY) -> Any:
        position = index.row()  # -1 for an invalid index
        if not 0 <= position < len(self._ids):
            return None
        if role == DISPLAY:
            cells = self._cells[position]
            if cells is None:
                row = self._rows[position]
                if row is None:
                    self._request_page(position // self.PAGE_SIZE)
                    return PLACEHOLDER if index.column() == 0 else ""
                cells = tuple(self._display(row, column) for column in range(len(self.HEADERS)))
                self._cells[position] = cells
            return cells[index.column()]
        if role == ALIGNMENT:
            return self._alignments[index.column()]
        if role == FOREGROUND:
            row = self._rows[position]
            return None if row is None else self._foreground(row, index.column())
        if role == ID_ROLE:
            return self._ids[position]
        if role == SORT_ROLE:
            row = self._rows[position]
            if row is None:
                self._request_page(position // self.PAGE_SIZE)
                return None
            return self._sort_value(row, index.column())
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        return ROW_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags
