"""Ports the Opportunities services need: pipelines, deals (write side) and board queries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from leadcartel_desktop.domain.deals import DealDraft, DealStatus
from leadcartel_desktop.domain.forecast import ForecastItem
from leadcartel_desktop.domain.outbox import OutboxState
from leadcartel_desktop.domain.pipelines import Pipeline, Stage
from leadcartel_desktop.services.deal_views import (
    DealCard,
    DealDetail,
    DealFilter,
    DealRow,
    StageChange,
)


@dataclass(frozen=True, slots=True)
class StageRef:
    pipeline_id: int
    stage: Stage


@dataclass(frozen=True, slots=True)
class ColumnSlot:
    """A card of a column, in order: its id, stored position and whether the filter shows it."""

    id: int
    position: int
    visible: bool


class PipelineRepository(Protocol):
    def all(self) -> list[Pipeline]:
        """Every pipeline (by name), stages in order."""
        ...

    def get(self, pipeline_id: int) -> Pipeline:
        """Raises NotFoundError."""
        ...

    def add(self, name: str, remote_id: str | None = None) -> int: ...

    def rename(self, pipeline_id: int, name: str) -> None: ...

    def delete(self, pipeline_id: int) -> None: ...

    def stage(self, stage_id: int) -> StageRef:
        """Raises NotFoundError."""
        ...

    def add_stage(
        self,
        pipeline_id: int,
        name: str,
        probability: int,
        position: int,
        remote_id: str | None = None,
    ) -> int: ...

    def update_stage(self, stage_id: int, name: str, probability: int) -> None: ...

    def set_stage_positions(self, positions: Sequence[tuple[int, int]]) -> None:
        """(stage id, position) pairs."""
        ...

    def delete_stage(self, stage_id: int) -> None: ...

    def deal_count(self, *, pipeline_id: int | None = None, stage_id: int | None = None) -> int: ...

    def by_remote_id(self, remote_id: str) -> Pipeline | None: ...

    def stage_by_remote_id(self, remote_id: str) -> StageRef | None: ...

    def set_stage_remote_id(self, stage_id: int, remote_id: str) -> None: ...

    def stage_remote_id(self, stage_id: int) -> str | None: ...


class DealRepository(Protocol):
    def add(self, draft: DealDraft, position: int, now: datetime) -> int:
        """A new open deal at `position` in its column (entered its stage `now`)."""
        ...

    def update(self, deal_id: int, draft: DealDraft, now: datetime) -> None:
        """Name, contact, value, currency, close date, source and notes (not the place)."""
        ...

    def get(self, deal_id: int) -> DealDetail:
        """Raises NotFoundError."""
        ...

    def card(self, deal_id: int) -> DealCard: ...

    def last_position(self, pipeline_id: int, stage_id: int) -> int | None: ...

    def column(
        self, pipeline_id: int, stage_id: int, exclude_id: int, filters: DealFilter
    ) -> list[ColumnSlot]:
        """The column's other cards in order, each marked visible or not under `filters`."""
        ...

    def place(
        self,
        deal_id: int,
        pipeline_id: int,
        stage_id: int,
        position: int,
        *,
        entered_at: datetime | None,
        now: datetime,
    ) -> None:
        """Put the deal at `position`; a new `entered_at` when it changes stage."""
        ...

    def set_positions(self, positions: Sequence[tuple[int, int]]) -> None:
        """(deal id, position) pairs."""
        ...

    def add_history(
        self,
        deal_id: int,
        from_stage: Stage | None,
        to_stage: Stage,
        at: datetime,
    ) -> None: ...

    def history(self, deal_id: int) -> list[StageChange]:
        """Oldest first."""
        ...

    def set_status(
        self, deal_id: int, status: DealStatus, lost_reason: str, now: datetime
    ) -> None: ...

    def set_invoice(self, deal_id: int, invoice_id: int, now: datetime) -> None: ...

    def set_remote_id(self, deal_id: int, remote_id: str) -> None: ...

    def delete(self, deal_id: int) -> None: ...

    def add_many(self, drafts: Sequence[DealDraft], now: datetime) -> list[int]:
        """Bulk insert at the ends of their columns (demo data, bench set-up)."""
        ...


class DealQueries(Protocol):
    """Read side of the board, the list and the forecast: one query each, plain tuples."""

    def board_cards(self, pipeline_id: int, filters: DealFilter) -> list[tuple[int, DealCard]]:
        """(stage id, card) for every matching deal, column by column, in kept order."""
        ...

    def column_totals(
        self, pipeline_id: int, stage_ids: Sequence[int], filters: DealFilter
    ) -> dict[int, dict[str, int]]: ...

    def rows(self, pipeline_id: int | None, filters: DealFilter) -> list[DealRow]: ...

    def forecast_items(
        self, pipeline_id: int | None, filters: DealFilter
    ) -> list[ForecastItem]: ...


# Cloud sync ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RemoteStage:
    id: str
    name: str
    position: int
    probability: int | None = None  # HighLevel stages carry none; the sandbox may


@dataclass(frozen=True, slots=True)
class RemotePipeline:
    id: str
    name: str
    stages: tuple[RemoteStage, ...]


class CloudPipelineReader(Protocol):
    def pipelines(self) -> list[RemotePipeline]:
        """The location's pipelines (GET /opportunities/pipelines); UserFacingError if unread."""
        ...


@dataclass(frozen=True, slots=True)
class DealPushFacts:
    """What a push of one deal needs: its place in the cloud and its contact."""

    deal: DealDetail
    pipeline_remote_id: str | None
    stage_remote_id: str | None
    push_state: int
    contact: dict[str, str]


class DealSyncRepository(Protocol):
    def facts(self, deal_id: int) -> DealPushFacts: ...

    def created_remote_id(self, create_key: str) -> str | None:
        """The opportunity id the cloud gave the create row `create_key`, once it answered."""
        ...

    def create_queued(self, create_key: str) -> bool: ...

    def waiting_create(self, create_key: str) -> tuple[int, int] | None:
        """(outbox id, attempts) of the create while it still waits to be sent, else None."""
        ...

    def create_attempts(self, create_key: str) -> list[tuple[str, OutboxState, str]]:
        """(key, state, opportunity id once answered) of the deal's create rows, oldest first.

        `create_key` is the first attempt's key; later attempts are `<create_key>:<n>`.
        """
        ...

    def supersede_create(self, create_key: str, by_key: str, now: datetime) -> None:
        """A failed or cancelled create replaced by `by_key`: cancelled, and inert if retried."""
        ...

    def drop_held(self, held_prefix: str, now: datetime) -> None:
        """Cancel the deal's held pushes (keys `<held_prefix>:<stage>`): its state goes up now."""
        ...

    def waiting(self) -> list[tuple[int, int]]:
        """(deal id, push state) of the deals waiting for their create's answer."""
        ...

    def set_push_state(self, deal_id: int, state: int) -> None: ...

    def held_deletes(self, held: datetime) -> list[tuple[int, str]]:
        """(outbox id, its create's key) of deletes waiting for their create's answer."""
        ...

    def create_outcome(self, create_key: str) -> tuple[OutboxState | None, str]:
        """The create's state (None: no such row) and the opportunity id it got, if any."""
        ...

    def release_delete(self, outbox_id: int, opportunity_id: str, now: datetime) -> None: ...

    def drop_delete(self, outbox_id: int, now: datetime) -> None: ...

    def cloud_configured(self) -> bool: ...
