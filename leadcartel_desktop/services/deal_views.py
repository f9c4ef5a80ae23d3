"""Frozen rows the Opportunities pane gets: board cards and columns, deal details, list rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from leadcartel_desktop.domain.deals import DealDraft, DealStatus
from leadcartel_desktop.domain.forecast import ForecastRow
from leadcartel_desktop.domain.pipelines import Pipeline, Stage

__all__ = [
    "ROW_SORT_KEYS",
    "Board",
    "BoardColumn",
    "DealCard",
    "DealDetail",
    "DealDraft",
    "DealFilter",
    "DealRow",
    "ForecastRow",
    "MoveResult",
    "StageChange",
]

OPEN_ONLY: frozenset[DealStatus] = frozenset({DealStatus.OPEN})


@dataclass(frozen=True, slots=True)
class DealFilter:
    """What the board, the list and the forecast show.

    `statuses` empty means every status. A close-date range leaves out deals without a date.
    `search` matches the deal's or the contact's name, case-insensitively (ASCII letters;
    SQLite's LIKE folds no other case).
    """

    statuses: frozenset[DealStatus] = OPEN_ONLY
    close_from: date | None = None
    close_to: date | None = None
    search: str = ""


@dataclass(frozen=True, slots=True)
class DealCard:
    id: int
    name: str
    contact_name: str
    value_minor: int
    currency: str
    expected_close: date | None
    stage_entered_at: datetime
    status: DealStatus


@dataclass(frozen=True, slots=True)
class BoardColumn:
    """One stage's cards in their kept order; `totals` is currency -> minor units (never mixed)."""

    stage: Stage
    cards: list[DealCard]
    totals: dict[str, int]

    @property
    def count(self) -> int:
        return len(self.cards)


@dataclass(frozen=True, slots=True)
class Board:
    pipeline: Pipeline
    columns: tuple[BoardColumn, ...]


@dataclass(frozen=True, slots=True)
class MoveResult:
    """What a move changed: the card, where it is now, and the new totals of both columns.

    `index` is the card's place among the cards the filter shows in its new column; `totals`
    holds the (filtered) totals of the source and target columns, keyed by stage id.
    """

    card: DealCard
    from_stage_id: int
    to_stage_id: int
    index: int
    totals: dict[int, dict[str, int]]


@dataclass(frozen=True, slots=True)
class DealDetail:
    id: int
    name: str
    contact_id: int | None
    contact_name: str
    value_minor: int
    currency: str
    expected_close: date | None
    pipeline_id: int
    pipeline_name: str
    stage_id: int
    stage_name: str
    probability: int
    source: str
    notes: str
    status: DealStatus
    lost_reason: str
    invoice_id: int | None
    stage_entered_at: datetime
    created_at: datetime
    updated_at: datetime
    remote_id: str | None = None

    def draft(self) -> DealDraft:
        """The deal as the edit form starts from."""
        return DealDraft(
            name=self.name,
            contact_id=self.contact_id,
            value_minor=self.value_minor,
            currency=self.currency,
            expected_close=self.expected_close,
            pipeline_id=self.pipeline_id,
            stage_id=self.stage_id,
            source=self.source,
            notes=self.notes,
        )


@dataclass(frozen=True, slots=True)
class StageChange:
    """One entry of a deal's stage history; the first (creation) has no `from_stage`."""

    from_stage: str | None
    to_stage: str
    changed_at: datetime


@dataclass(frozen=True, slots=True)
class DealRow:
    """A line of the list view; sort by these raw values (money as ints, dates as dates)."""

    id: int
    name: str
    contact_name: str
    value_minor: int
    currency: str
    expected_close: date | None
    stage_id: int
    stage: str
    stage_position: int
    pipeline_id: int
    pipeline: str
    status: DealStatus
    probability: int


# The sort keys rows() accepts (the list view's columns).
ROW_SORT_KEYS: tuple[str, ...] = (
    "name",
    "contact",
    "value",
    "currency",
    "close",
    "stage",
    "pipeline",
    "status",
    "probability",
)
