"""A table model over an ordered list of ids whose rows are fetched by id, a page at a time."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import QAbstractItemView

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
AFTER_PAINT_MS = 30  # background work waits this long so the first paint goes first


class LazyTableModel(QAbstractTableModel):
    """Holds only the ids in display order; rows come from the database in pages, on demand.

    Rows are fetched by id (`WHERE id IN (...)`), never by OFFSET, so a jump to any scroll
    position costs one small query. A row's cells are formatted the first time it is shown
    (a screenful is ~30 rows, a page 100) and kept, so later paints only look strings up.
    At most MAX_PAGES pages stay loaded (the oldest loaded go first).
    Subclasses say how to query ids and rows and how to show a row.

    A subclass that can fetch the first page on its own (`_first_page_job`: the row count
    and the first PAGE_SIZE rows, by a LIMIT query) gets it painted first: the full id list
    (a scan of every matching row) then loads in the background, and rows below the first
    page wait for it (placeholders) before their pages are fetched by id.
    """

    PAGE_SIZE = 100
    MAX_PAGES = 100
    HEADERS: tuple[str, ...] = ()
    RIGHT_ALIGNED: frozenset[int] = frozenset()

    loaded = Signal()  # (re)queried and reset: the row count is known, the first page shown
    ids_loaded = Signal()  # the whole id list is known (scrolling anywhere fetches by id)
    page_loaded = Signal(int)

    def __init__(self, tasks: TaskRunner, parent: Any = None) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._ids: list[int] = []
        self._rows: list[Any | None] = []
        self._cells: list[tuple[str, ...] | None] = []
        self._pages: OrderedDict[int, None] = OrderedDict()  # loaded pages, oldest first
        self._pending: set[int] = set()  # pages asked for (loaded or on their way)
        self._wanted: set[int] = set()  # pages shown before their ids were known
        self._ids_complete = True
        self._generation = 0
        self._asked = 0  # bumped by refresh(): answers to an older request are dropped
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

    def _first_page_job(self) -> Callable[[], Any] | None:
        """Work whose result `_accept_first_page` turns into (row count, first rows), or None.

        None (the default) means the id list comes first, then the rows by page.
        """
        return None

    def _accept_first_page(self, result: Any) -> tuple[int, Sequence[Any]]:
        raise NotImplementedError

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
        """Re-query (filter, search or order changed, or the data did)."""
        self._asked += 1
        asked = self._asked
        first_page = self._first_page_job()
        if first_page is None:
            self._tasks.run(self._ids_job(), lambda result: self._apply_ids(asked, result))
        else:
            self._tasks.run(first_page, lambda result: self._apply_first_page(asked, result))

    def _current(self, asked: int) -> bool:
        """Whether an answer is for the latest request (and this model still exists).

        A tab closed while its query ran is deleted before the answer comes back.
        """
        return shiboken6.isValid(self) and asked == self._asked

    def _apply_ids(self, asked: int, result: Any) -> None:
        if not self._current(asked):
            return  # a newer query is on its way
        ids = self._accept_ids(result)
        self._reset(ids, self._first_rows(result), len(ids))

    def _apply_first_page(self, asked: int, result: Any) -> None:
        if not self._current(asked):
            return
        count, rows = self._accept_first_page(result)
        self._reset([row.id for row in rows], rows, count)
        if not self._ids_complete:
            # A moment after the paint the reset asked for (Qt posts paints at low priority:
            # even a zero timer would run first), so the scan does not compete with it.
            QTimer.singleShot(AFTER_PAINT_MS, self, lambda: self._load_all_ids(asked))

    def _load_all_ids(self, asked: int) -> None:
        if not self._current(asked):
            return
        # Beside the database lane (WAL readers do not block): the next filter's first page
        # must not queue behind this scan.
        job = self._ids_job()
        self._tasks.run(job, lambda result: self._apply_later_ids(asked, result), database=False)

    def _apply_later_ids(self, asked: int, result: Any) -> None:
        if not self._current(asked):
            return
        ids = self._accept_ids(result)
        first = self._ids
        if len(ids) != len(self._rows) or ids[: len(first)] != first:
            # The book changed between the two reads: start over from this list.
            self._reset(ids, None, len(ids))
            return
        self._ids = ids
        self._ids_complete = True
        wanted, self._wanted = sorted(self._wanted), set()
        for page in wanted:
            self._request_page(page)
        self.ids_loaded.emit()

    def _reset(self, ids: list[int], first_rows: Sequence[Any] | None, count: int) -> None:
        """Show `count` rows of which `ids` (in order) are known; `first_rows` are page 0's."""
        self.beginResetModel()
        self._ids = ids
        self._ids_complete = len(ids) >= count
        self._rows = [None] * count
        self._cells = [None] * count
        self._pages.clear()
        self._pending.clear()
        self._wanted.clear()
        self._generation += 1  # pages asked for before the reset are stale now
        if first_rows is not None and ids:
            self._pending.add(0)
            self._store_page(0, ids[: self.PAGE_SIZE], first_rows)
        self.endResetModel()
        self._has_loaded = True
        self.loaded.emit()
        if self._ids_complete:
            self.ids_loaded.emit()

    def prefetch(self, first_row: int, last_row: int) -> bool:
        """Ask for the pages of these rows now (a jump), before a paint asks for them.

        True when some of the rows are not loaded yet.
        """
        last_row = min(last_row, len(self._rows) - 1)
        if first_row < 0 or last_row < first_row:
            return False
        for page in range(first_row // self.PAGE_SIZE, last_row // self.PAGE_SIZE + 1):
            self._want(page)
        return not self.rows_loaded(first_row, last_row)

    def rows_loaded(self, first_row: int, last_row: int) -> bool:
        return all(row is not None for row in self._rows[max(first_row, 0) : last_row + 1])

    def _want(self, page: int) -> None:
        if page * self.PAGE_SIZE >= len(self._rows) or page in self._pages:
            return
        if (page + 1) * self.PAGE_SIZE <= len(self._ids) or self._ids_complete:
            self._request_page(page)
        else:
            self._wanted.add(page)  # its ids are not known yet

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
        if not shiboken6.isValid(self) or generation != self._generation:
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
        last = min(first + self.PAGE_SIZE, len(self._rows))
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
        """The id at a position, or None while the id list has not reached it."""
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def position_of(self, row_id: int) -> int | None:
        """Where an id is shown (None when it is not, or its part of the list is not known)."""
        try:
            return self._ids.index(row_id)
        except ValueError:
            return None

    def is_id_list_complete(self) -> bool:
        return self._ids_complete

    def is_fully_loaded(self) -> bool:
        return all(row is not None for row in self._rows)

    # QAbstractTableModel --------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._rows)

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
        if not 0 <= position < len(self._rows):
            return None
        if role == DISPLAY:
            cells = self._cells[position]
            if cells is None:
                row = self._rows[position]
                if row is None:
                    self._want(position // self.PAGE_SIZE)
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
            return self.id_at(position)
        if role == SORT_ROLE:
            row = self._rows[position]
            if row is None:
                self._want(position // self.PAGE_SIZE)
                return None
            return self._sort_value(row, index.column())
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        return ROW_FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags


class FetchAhead(QObject):
    """Makes a jump in a lazy table paint once, with its rows, instead of placeholders first.

    When a scroll lands on rows not loaded yet, their pages are asked for at once (before
    the paint would ask) and the viewport's paint is held back until they arrive, for at most
    GRACE_MS; a page by id takes a few milliseconds, a paint of placeholders about as long
    as the paint that follows it.
    """

    GRACE_MS = 40

    def __init__(self, view: QAbstractItemView, model: LazyTableModel) -> None:
        super().__init__(view)
        self._view = view
        self._model = model
        self._holding = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(self.GRACE_MS)
        self._timer.timeout.connect(self._release)
        view.verticalScrollBar().valueChanged.connect(lambda _value: self._scrolled())
        model.page_loaded.connect(lambda _page: self._arrived())
        model.modelReset.connect(self._release)

    @property
    def holding(self) -> bool:
        return self._holding

    def _visible(self) -> tuple[int, int]:
        top = self._view.rowAt(0)
        bottom = self._view.rowAt(self._view.viewport().height() - 1)
        return top, bottom if bottom >= 0 else self._model.rowCount() - 1

    def _scrolled(self) -> None:
        top, bottom = self._visible()
        if top < 0:
            return
        if self._model.prefetch(top, bottom) and not self._holding:
            self._holding = True
            self._view.viewport().setUpdatesEnabled(False)
            self._timer.start()

    def _arrived(self) -> None:
        if self._holding and self._model.rows_loaded(*self._visible()):
            self._release(now=True)

    def _release(self, now: bool = False) -> None:
        if not self._holding:
            return
        self._holding = False
        self._timer.stop()
        viewport = self._view.viewport()
        viewport.setUpdatesEnabled(True)
        if now:
            viewport.repaint()  # the rows are in: paint them without another trip round the loop
        else:
            viewport.update()
