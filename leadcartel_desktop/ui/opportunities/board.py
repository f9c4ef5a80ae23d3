"""The board: one column per stage; cards move by drag and drop or Ctrl+arrows, one at a time."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QPoint, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QScrollArea, QWidget

from leadcartel_desktop.domain.deals import DealStatus
from leadcartel_desktop.domain.errors import UserFacingError
from leadcartel_desktop.services.clock import shown_zone
from leadcartel_desktop.services.deal_views import Board, DealCard, DealFilter, MoveResult
from leadcartel_desktop.ui.errors import show_error
from leadcartel_desktop.ui.opportunities.column import StageColumn
from leadcartel_desktop.ui.opportunities.column_model import StageColumnModel

if TYPE_CHECKING:
    from leadcartel_desktop.ui.context import UiContext


@dataclasses.dataclass(frozen=True, slots=True)
class BoardLoad:
    board: Board
    locale: str
    now: datetime


@dataclasses.dataclass(frozen=True, slots=True)
class _Place:
    stage_id: int
    row: int


class BoardView(QScrollArea):
    """Columns side by side, scrolled sideways when they do not fit.

    A move is shown at once (the card moves between the two column models, nothing is
    reset), committed through the service off the GUI thread, and undone if it is refused.
    """

    loaded = Signal()
    moved = Signal(int)  # deal id: the service committed the move and both columns show it
    move_failed = Signal(int)
    open_requested = Signal(int)
    menu_requested = Signal(int, QPoint)

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dealBoard")
        self._context = context
        self._asked = 0
        self._pipeline_id: int | None = None
        self._filters = DealFilter()
        self._locale = "en_US"
        self._now: datetime | None = None
        self._pending: dict[int, int] = {}  # deal id -> moves not yet answered
        self._moves = 0  # moves shown so far: a load asked before the latest one is out of date
        self.is_loading = False
        self.columns: list[StageColumn] = []
        self.has_loaded = False
        self.strip = QWidget()
        self.strip.setObjectName("boardStrip")
        self._row = QHBoxLayout(self.strip)
        self._row.setContentsMargins(4, 4, 4, 4)
        self._row.setSpacing(8)
        self._row.addStretch(1)
        self.setWidget(self.strip)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        # Each column scrolls its own cards; the board only scrolls sideways.
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    # Loading ---------------------------------------------------------------------------------
    def refresh(self, pipeline_id: int, filters: DealFilter) -> None:
        self._asked += 1
        asked = self._asked
        moves = self._moves
        self.is_loading = True
        self._pipeline_id = pipeline_id
        self._filters = filters
        services = self._context.services

        def work() -> BoardLoad:
            board = services.deals.board(pipeline_id, filters)
            business = services.settings.business()
            # In the business's zone: its date says which close dates have passed.
            now = services.clock.now().astimezone(shown_zone(business.time_zone))
            return BoardLoad(board, business.locale, now)

        self._context.tasks.run(work, lambda load: self._apply(asked, moves, load))

    def _apply(self, asked: int, moves: int, load: BoardLoad) -> None:
        if not shiboken6.isValid(self) or asked != self._asked:
            return  # a newer board is on its way
        if moves != self._moves:
            # A card moved after this load was asked: it was read without that move. Ask
            # again; the serial database lane reads it after the move is committed.
            self.refresh(load.board.pipeline.id, self._filters)
            return
        self.is_loading = False
        self._locale = load.locale
        self._now = load.now
        stages = [column.stage for column in load.board.columns]
        if [column.model.stage.id for column in self.columns] != [stage.id for stage in stages]:
            self._build_columns(load)
        for widget, column in zip(self.columns, load.board.columns, strict=True):
            widget.model.set_stage(column.stage)
            widget.model.set_cards(column.cards, load.now, load.locale)
            widget.model.set_totals(column.totals)
        self.has_loaded = True
        self.loaded.emit()

    def _build_columns(self, load: BoardLoad) -> None:
        for widget in self.columns:
            self._row.removeWidget(widget)
            widget.deleteLater()
        self.columns = []
        for position, column in enumerate(load.board.columns):
            model = StageColumnModel(column.stage, load.locale, load.now, self)
            model.drop_requested.connect(self._dropped)
            widget = StageColumn(model)
            widget.view.move_requested.connect(self._key_move)
            widget.view.open_requested.connect(self.open_requested)
            widget.view.menu_requested.connect(self.menu_requested)
            self._row.insertWidget(position, widget)
            self.columns.append(widget)
        # Lay the new columns out now, not on a later pass: the first paint shows them in place.
        QCoreApplication.sendPostedEvents(self.strip, QEvent.Type.LayoutRequest)
        QCoreApplication.sendPostedEvents(self, QEvent.Type.LayoutRequest)

    @property
    def pipeline_id(self) -> int | None:
        return self._pipeline_id

    @property
    def filters(self) -> DealFilter:
        return self._filters

    # Finding cards -----------------------------------------------------------------------------
    def column_for(self, stage_id: int) -> StageColumn | None:
        return next((c for c in self.columns if c.model.stage.id == stage_id), None)

    def place_of(self, deal_id: int) -> _Place | None:
        for column in self.columns:
            row = column.model.row_of(deal_id)
            if row is not None:
                return _Place(column.model.stage.id, row)
        return None

    def card(self, deal_id: int) -> DealCard | None:
        place = self.place_of(deal_id)
        if place is None:
            return None
        column = self.column_for(place.stage_id)
        assert column is not None
        return column.model.card_at(place.row)

    def current_deal_id(self) -> int | None:
        for column in self.columns:
            if column.view.hasFocus():
                return column.view.current_deal_id()
        return None

    def select(self, deal_id: int) -> bool:
        """Select the card and give its column the keyboard focus (focus follows the card)."""
        place = self.place_of(deal_id)
        if place is None:
            return False
        column = self.column_for(place.stage_id)
        assert column is not None
        for other in self.columns:
            if other is not column:
                other.view.clearSelection()
        column.view.select_row(place.row)
        column.view.setFocus(Qt.FocusReason.OtherFocusReason)
        self.ensureWidgetVisible(column, 0, 0)
        return True

    # Moving ------------------------------------------------------------------------------------
    def _dropped(self, deal_id: int, stage_id: int, before_row: int) -> None:
        place = self.place_of(deal_id)
        if place is None:
            return
        index = before_row
        if place.stage_id == stage_id and place.row < before_row:
            index -= 1  # the card leaves its old row first
        self.move_deal(deal_id, stage_id, index)

    def _key_move(self, deal_id: int, stage_step: int, row_step: int) -> None:
        place = self.place_of(deal_id)
        if place is None:
            return
        position = next(i for i, c in enumerate(self.columns) if c.model.stage.id == place.stage_id)
        if stage_step:
            target = position + stage_step
            if 0 <= target < len(self.columns):
                # The same row in the next column (or its end): the card stays in sight.
                self.move_deal(deal_id, self.columns[target].model.stage.id, place.row)
        else:
            row = place.row + row_step
            if 0 <= row < self.columns[position].model.rowCount():
                self.move_deal(deal_id, place.stage_id, row)

    def move_deal(self, deal_id: int, to_stage_id: int, index: int) -> None:
        """Show the move now, commit it through the service, undo it if refused."""
        origin = self.place_of(deal_id)
        target = self.column_for(to_stage_id)
        if origin is None or target is None:
            return
        same = origin.stage_id == to_stage_id
        # Where the card lands: the row is clamped the way the column models clamp it.
        row = max(0, min(index, target.model.rowCount() - (1 if same else 0)))
        if same and row == origin.row:
            self.select(deal_id)
            return
        self._pending[deal_id] = self._pending.get(deal_id, 0) + 1
        self._moves += 1
        deals = self._context.services.deals
        filters = self._filters
        # Asked first, shown second: the database works while the columns redraw.
        self._context.tasks.run(
            lambda: deals.move(deal_id, to_stage_id, row, filters),
            lambda result: self._committed(deal_id, result),
            lambda error: self._refused(deal_id, origin, error),
        )
        landed = self._relocate(deal_id, origin, to_stage_id, row)
        assert landed.row == row
        self.select(deal_id)

    def _relocate(self, deal_id: int, origin: _Place, to_stage_id: int, index: int) -> _Place:
        source = self.column_for(origin.stage_id)
        target = self.column_for(to_stage_id)
        assert source is not None and target is not None
        if source is target:
            return _Place(to_stage_id, source.model.move_card(origin.row, index))
        card = source.model.take(origin.row)
        return _Place(to_stage_id, target.model.insert(index, card))

    def _settle(self, deal_id: int) -> bool:
        """Count an answered move; True when it was the card's last one in flight."""
        left = self._pending.get(deal_id, 1) - 1
        if left:
            self._pending[deal_id] = left
        else:
            self._pending.pop(deal_id, None)
        return not left

    def _committed(self, deal_id: int, result: MoveResult) -> None:
        if not shiboken6.isValid(self):
            return
        self._settle(deal_id)
        place = self.place_of(deal_id)
        column = None if place is None else self.column_for(place.stage_id)
        if place is not None and column is not None:
            shown = column.model.card_at(place.row)
            assert shown is not None
            if not self._shows(result.card):
                # Changed elsewhere (marked Lost, say) since the board was read: the filter no
                # longer shows it, so it leaves the board as deal_status_changed() takes it off.
                column.model.take(place.row)
            elif self._filters.search.strip() and _renamed(shown, result.card):
                # Renamed elsewhere under a search: whether it still matches is the
                # database's to say (it folds case and accents); read the board again.
                self._reload()
            elif place.stage_id == result.to_stage_id:
                column.model.replace(place.row, result.card)  # a new stage_entered_at
                # The service's index was counted among the cards as the database had them
                # when this move committed; a later move still on its way (the lane commits
                # them in order) may have shifted this column since, so only when none is
                # left do the two describe the same column.
                if not self._pending and place.row != result.index:
                    column.model.move_card(place.row, result.index)
        if not self._pending:
            # The service's figures for the two columns; while other moves are on their way
            # they would not count those yet, so the totals of the cards shown stand.
            for stage_id, totals in result.totals.items():
                target = self.column_for(stage_id)
                if target is not None:
                    target.model.set_totals(totals)
        self.moved.emit(deal_id)

    def _shows(self, card: DealCard) -> bool:
        """Whether the board's status and close-date filters let the card (as stored) show."""
        filters = self._filters
        if filters.statuses and card.status not in filters.statuses:
            return False
        if filters.close_from is None and filters.close_to is None:
            return True
        close = card.expected_close
        if close is None:
            return False  # a close-date range leaves out deals without a date
        if filters.close_from is not None and close < filters.close_from:
            return False
        return filters.close_to is None or close <= filters.close_to

    def _refused(self, deal_id: int, origin: _Place, error: BaseException) -> None:
        if not shiboken6.isValid(self):
            return
        if self._settle(deal_id):
            place = self.place_of(deal_id)
            if place is not None and place != origin:
                self._relocate(deal_id, place, origin.stage_id, origin.row)
                self.select(deal_id)
        show_error(self, error, "The deal was not moved")
        self.move_failed.emit(deal_id)
        if isinstance(error, UserFacingError):
            # Refused by the service (the deal or its stage gone, the deal now in another
            # pipeline, a conflict): what the board shows is out of date, so read it again.
            self._reload()

    def _reload(self) -> None:
        if self._pipeline_id is not None:
            self.refresh(self._pipeline_id, self._filters)

    # Changes made elsewhere (status, delete) ---------------------------------------------------
    def deal_status_changed(self, deal_id: int, status: DealStatus) -> None:
        """Keep the card if the filter still shows its new status, else take it off the board."""
        place = self.place_of(deal_id)
        if place is None:
            return
        column = self.column_for(place.stage_id)
        assert column is not None
        card = column.model.card_at(place.row)
        assert card is not None
        statuses = self._filters.statuses
        if statuses and status not in statuses:
            column.model.take(place.row)
        else:
            column.model.replace(place.row, dataclasses.replace(card, status=status))

    def remove_card(self, deal_id: int) -> None:
        place = self.place_of(deal_id)
        if place is not None:
            column = self.column_for(place.stage_id)
            assert column is not None
            column.model.take(place.row)


def _renamed(shown: DealCard, stored: DealCard) -> bool:
    return (shown.name, shown.contact_name) != (stored.name, stored.contact_name)
