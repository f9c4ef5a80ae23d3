"""One board column: the cards of one stage, in board order, and the drag and drop they allow."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from leadcartel_desktop.domain.pipelines import Stage
from leadcartel_desktop.services.deal_views import DealCard
from leadcartel_desktop.ui.opportunities.card_lines import CardLines
from leadcartel_desktop.ui.opportunities.texts import header_text

AnyIndex = QModelIndex | QPersistentModelIndex
# Roles arrive as plain ints; comparing ints keeps data() cheap (it runs per card per paint).
DISPLAY = int(Qt.ItemDataRole.DisplayRole)
TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
ACCESSIBLE = int(Qt.ItemDataRole.AccessibleTextRole)
DEAL_ID_ROLE = int(Qt.ItemDataRole.UserRole)
CARD_ROLE = DEAL_ID_ROLE + 1
LINES_ROLE = DEAL_ID_ROLE + 2  # CardLines: the card's texts, formatted once
DEAL_MIME = "application/x-leadcartel-deal"
CARD_FLAGS = (
    Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled
)


def encode_deal(deal_id: int, stage_id: int) -> QByteArray:
    return QByteArray(f"{deal_id}:{stage_id}".encode())


def decode_deal(data: QMimeData) -> tuple[int, int] | None:
    """(deal id, the stage it was dragged from), or None for anything that is not one of ours."""
    if not data.hasFormat(DEAL_MIME):
        return None
    raw = bytes(data.data(DEAL_MIME).data()).decode(errors="replace")
    deal, _, stage = raw.partition(":")
    if not (deal.isdigit() and stage.isdigit()):
        return None
    return int(deal), int(stage)


class StageColumnModel(QAbstractListModel):
    """The cards of one stage, in board order.

    A drop only asks for the move (`drop_requested`): the board commits it through the
    service and moves the card with take()/insert()/move_card(), so only the two columns
    involved change and nothing is reset.
    """

    drop_requested = Signal(int, int, int)  # deal id, this column's stage id, row dropped before
    header_changed = Signal()  # count, totals or the stage's name or probability

    def __init__(
        self, stage: Stage, locale: str, now: datetime, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._stage = stage
        self._locale = locale
        self._now = now
        self._cards: list[DealCard] = []
        self._lines: dict[int, CardLines] = {}  # by deal id, filled as cards are painted
        self._totals: dict[str, int] | None = None

    # The column --------------------------------------------------------------------------------
    @property
    def stage(self) -> Stage:
        return self._stage

    @property
    def cards(self) -> Sequence[DealCard]:
        return self._cards

    def set_stage(self, stage: Stage) -> None:
        if stage != self._stage:
            self._stage = stage
            self.header_changed.emit()

    def set_cards(self, cards: Sequence[DealCard], now: datetime, locale: str) -> None:
        """A new board (the only reset: a move changes rows one at a time)."""
        self.beginResetModel()
        self._cards = list(cards)
        self._lines.clear()
        self._now = now
        self._locale = locale
        self._totals = None
        self.endResetModel()
        self.header_changed.emit()

    def set_totals(self, totals: dict[str, int]) -> None:
        """The service's totals for this column (until the next change recomputes them)."""
        if totals != self._totals:
            self._totals = dict(totals)
            self.header_changed.emit()

    def totals(self) -> dict[str, int]:
        """Value per currency of the cards shown (kept apart: never added across currencies)."""
        if self._totals is None:
            totals: dict[str, int] = {}
            for card in self._cards:
                totals[card.currency] = totals.get(card.currency, 0) + card.value_minor
            self._totals = totals
        return dict(self._totals)

    def header(self) -> str:
        stage = self._stage
        return header_text(
            stage.name, stage.probability, len(self._cards), self.totals(), self._locale
        )

    def row_of(self, deal_id: int) -> int | None:
        for row, card in enumerate(self._cards):
            if card.id == deal_id:
                return row
        return None

    def card_at(self, row: int) -> DealCard | None:
        return self._cards[row] if 0 <= row < len(self._cards) else None

    # Changes made by the board (one card at a time) --------------------------------------------
    def take(self, row: int) -> DealCard:
        self.beginRemoveRows(QModelIndex(), row, row)
        card = self._cards.pop(row)
        self._lines.pop(card.id, None)
        self.endRemoveRows()
        self._changed_totals()
        return card

    def insert(self, row: int, card: DealCard) -> int:
        """Insert at `row` (clamped to the column); returns the row it landed on."""
        row = max(0, min(row, len(self._cards)))
        self.beginInsertRows(QModelIndex(), row, row)
        self._cards.insert(row, card)
        self.endInsertRows()
        self._changed_totals()
        return row

    def move_card(self, row: int, to_row: int) -> int:
        """Move a card within the column so it ends at `to_row` (clamped); returns that row."""
        to_row = max(0, min(to_row, len(self._cards) - 1))
        if to_row == row:
            return row
        # beginMoveRows wants the row the card goes before, counted before it is taken out.
        destination = to_row + 1 if to_row > row else to_row
        self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), destination)
        self._cards.insert(to_row, self._cards.pop(row))
        self.endMoveRows()
        return to_row

    def replace(self, row: int, card: DealCard) -> None:
        self._cards[row] = card
        self._lines.pop(card.id, None)
        index = self.index(row, 0)
        self.dataChanged.emit(index, index)
        self._changed_totals()

    def _changed_totals(self) -> None:
        self._totals = None
        self.header_changed.emit()

    # Qt model ----------------------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._cards)

    def data(self, index: AnyIndex, role: int = DISPLAY) -> Any:
        row = index.row()  # -1 for an invalid index
        if not 0 <= row < len(self._cards):
            return None
        card = self._cards[row]
        if role == DISPLAY:
            return card.name
        if role == LINES_ROLE:
            return self._lines_for(card)
        if role == DEAL_ID_ROLE:
            return card.id
        if role == CARD_ROLE:
            return card
        if role in (TOOLTIP, ACCESSIBLE):
            return self._lines_for(card).text()
        return None

    def _lines_for(self, card: DealCard) -> CardLines:
        lines = self._lines.get(card.id)
        if lines is None:
            lines = self._lines[card.id] = CardLines(card, self._locale, self._now)
        return lines

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled  # drops land between cards, never on one
        return CARD_FLAGS

    def supportedDropActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:  # noqa: N802
        return [DEAL_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:  # noqa: N802
        data = QMimeData()
        rows = [index.row() for index in indexes if index.isValid()]
        if rows:
            card = self._cards[rows[0]]
            data.setData(DEAL_MIME, encode_deal(card.id, self._stage.id))
            data.setText(card.name)
        return data

    def canDropMimeData(  # noqa: N802
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: AnyIndex
    ) -> bool:
        return action == Qt.DropAction.MoveAction and decode_deal(data) is not None

    def dropMimeData(  # noqa: N802
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: AnyIndex
    ) -> bool:
        """Ask the board to move the deal before `row` (-1: at the end).

        The card is moved by the board, not by Qt: the view's own clean-up after a move drop
        calls removeRows() on the source column, which this model does not implement, so the
        card stays until the board has moved it.
        """
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        decoded = decode_deal(data)
        assert decoded is not None
        if parent.isValid():  # dropped onto a card: before it
            row = parent.row()
        if row < 0 or row > len(self._cards):
            row = len(self._cards)
        self.drop_requested.emit(decoded[0], self._stage.id, row)
        return True
