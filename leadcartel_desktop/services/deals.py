"""Deals: create and edit them, drive them across the board, win or lose them, list and forecast."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from leadcartel_desktop.domain.card_order import position_after, position_between, renumbered
from leadcartel_desktop.domain.deals import DealDraft, DealStatus, check_lost_reason
from leadcartel_desktop.domain.errors import NotFoundError, ValidationError
from leadcartel_desktop.domain.forecast import ForecastRow, forecast
from leadcartel_desktop.domain.pipelines import Stage
from leadcartel_desktop.services.deal_list import sorted_rows
from leadcartel_desktop.services.deal_ports import ColumnSlot, StageRef
from leadcartel_desktop.services.deal_views import (
    Board,
    BoardColumn,
    DealCard,
    DealDetail,
    DealFilter,
    DealRow,
    MoveResult,
    StageChange,
)
from leadcartel_desktop.services.ports import Clock, UnitOfWork, UnitOfWorkFactory

if TYPE_CHECKING:
    from leadcartel_desktop.services.invoices import InvoiceService

__all__ = ["DealDraft", "DealFilter", "DealPushes", "DealService"]

OPEN_BOARD = DealFilter()


class DealPushes(Protocol):
    """Queues deal changes for the cloud in the caller's transaction (services/deal_sync.py)."""

    def queue_in(self, uow: UnitOfWork, deal_id: int, change: str) -> bool:
        """`change` is "create", "update" or "status"; returns whether a row was queued."""
        ...

    def notify(self) -> None:
        """After the commit: wake the outbox worker."""
        ...

    def forget_in(self, uow: UnitOfWork, deal_id: int, now: datetime) -> bool:
        """In the delete's transaction, before the deal goes: cancel or delete it in the cloud.

        Returns whether a row was queued (call notify() after the commit).
        """
        ...


class DealService:
    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory,
        clock: Clock,
        invoices: Callable[[], InvoiceService],
        pushes: Callable[[], DealPushes | None] = lambda: None,
    ) -> None:
        self._uow = unit_of_work
        self._clock = clock
        self._invoices = invoices
        self._pushes = pushes

    # Writing -----------------------------------------------------------------------------

    def create(self, draft: DealDraft) -> int:
        """A new open deal at the end of its column; its creation is its first history entry."""
        cleaned = draft.cleaned()
        pushes = self._pushes()
        with self._uow() as uow:
            stage = self._check(uow, cleaned)
            now = self._clock.now()
            last = uow.deals.last_position(cleaned.pipeline_id, cleaned.stage_id)
            deal_id = uow.deals.add(cleaned, position_after(last), now)
            uow.deals.add_history(deal_id, None, stage, now)
            queued = pushes is not None and pushes.queue_in(uow, deal_id, "create")
            uow.commit()
        if queued and pushes is not None:
            pushes.notify()
        return deal_id

    def update(self, deal_id: int, draft: DealDraft) -> None:
        """Edit the deal; a new pipeline or stage puts it at the end of that column."""
        cleaned = draft.cleaned()
        pushes = self._pushes()
        with self._uow() as uow:
            current = uow.deals.get(deal_id)
            stage = self._check(uow, cleaned)
            now = self._clock.now()
            uow.deals.update(deal_id, cleaned, now)
            if stage.id != current.stage_id:
                last = uow.deals.last_position(cleaned.pipeline_id, stage.id)
                position = position_after(last)
                uow.deals.place(
                    deal_id, cleaned.pipeline_id, stage.id, position, entered_at=now, now=now
                )
                uow.deals.add_history(deal_id, _stage_of(current), stage, now)
            queued = pushes is not None and pushes.queue_in(uow, deal_id, "update")
            uow.commit()
        if queued and pushes is not None:
            pushes.notify()

    def move(
        self, deal_id: int, to_stage_id: int, index: int, filters: DealFilter = OPEN_BOARD
    ) -> MoveResult:
        """Put the card at `index` among the cards `filters` shows in the target column.

        One short transaction: the card's new place (renumbering only the target column when
        no gap is left), a history row and a fresh stage_entered_at when the stage changes.
        Returns the card and both columns' totals, so the board redraws two columns only.
        """
        pushes = self._pushes()
        with self._uow() as uow:
            current = uow.deals.get(deal_id)
            target = uow.pipelines.stage(to_stage_id)
            if target.pipeline_id != current.pipeline_id:
                raise ValidationError(
                    "Stage", "belongs to another pipeline; change the deal's pipeline in its form"
                )
            slots = uow.deals.column(target.pipeline_id, to_stage_id, deal_id, filters)
            index, position = _place(uow, deal_id, slots, index)
            changed = to_stage_id != current.stage_id
            now = self._clock.now()
            entered_at = now if changed else None
            uow.deals.place(
                deal_id, target.pipeline_id, to_stage_id, position, entered_at=entered_at, now=now
            )
            queued = False
            if changed:
                uow.deals.add_history(deal_id, _stage_of(current), target.stage, now)
                queued = pushes is not None and pushes.queue_in(uow, deal_id, "update")
            card = uow.deals.card(deal_id)
            stages = list(dict.fromkeys((current.stage_id, to_stage_id)))
            totals = uow.deal_queries.column_totals(target.pipeline_id, stages, filters)
            uow.commit()
        if queued and pushes is not None:
            pushes.notify()
        return MoveResult(card, current.stage_id, to_stage_id, index, totals)

    def set_status(self, deal_id: int, status: DealStatus, lost_reason: str = "") -> None:
        """Open, Won, Lost or Abandoned; a lost reason is optional, kept for Lost/Abandoned."""
        status = DealStatus(status)
        reason = check_lost_reason(status, lost_reason)
        pushes = self._pushes()
        with self._uow() as uow:
            uow.deals.get(deal_id)
            uow.deals.set_status(deal_id, status, reason, self._clock.now())
            queued = pushes is not None and pushes.queue_in(uow, deal_id, "status")
            uow.commit()
        if queued and pushes is not None:
            pushes.notify()

    def delete(self, deal_id: int) -> None:
        """The deal and its history; in the cloud, its create is cancelled or it is deleted."""
        pushes = self._pushes()
        with self._uow() as uow:
            uow.deals.get(deal_id)  # NotFound for a deal already gone
            queued = pushes is not None and pushes.forget_in(uow, deal_id, self._clock.now())
            uow.deals.delete(deal_id)
            uow.commit()
        if queued and pushes is not None:
            pushes.notify()

    def create_invoice(self, deal_id: int) -> int:
        """The won deal's draft invoice, made the first time and returned ever after."""
        from leadcartel_desktop.services.deal_invoice import invoice_for_deal

        return invoice_for_deal(self._uow, self._clock, self._invoices(), deal_id)

    # Reading -----------------------------------------------------------------------------

    def get(self, deal_id: int) -> DealDetail:
        with self._uow(read_only=True) as uow:
            return uow.deals.get(deal_id)

    def history(self, deal_id: int) -> list[StageChange]:
        """Oldest first; the first entry is the deal's creation (no from-stage)."""
        with self._uow(read_only=True) as uow:
            uow.deals.get(deal_id)
            return uow.deals.history(deal_id)

    def board(self, pipeline_id: int, filters: DealFilter = OPEN_BOARD) -> Board:
        """Every column of the pipeline with its matching cards in kept order and its totals."""
        with self._uow(read_only=True) as uow:
            pipeline = uow.pipelines.get(pipeline_id)
            found = uow.deal_queries.board_cards(pipeline_id, filters)
        cards: dict[int, list[DealCard]] = {stage.id: [] for stage in pipeline.stages}
        totals: dict[int, dict[str, int]] = {stage.id: {} for stage in pipeline.stages}
        for stage_id, card in found:
            cards[stage_id].append(card)
            column = totals[stage_id]
            column[card.currency] = column.get(card.currency, 0) + card.value_minor
        columns = tuple(
            BoardColumn(stage, cards[stage.id], totals[stage.id]) for stage in pipeline.stages
        )
        return Board(pipeline, columns)

    def rows(
        self,
        pipeline_id: int | None,
        filters: DealFilter = OPEN_BOARD,
        sort_key: str = "name",
        descending: bool = False,
    ) -> list[DealRow]:
        """The list view: every matching deal (of one pipeline, or all), sorted by raw value."""
        with self._uow(read_only=True) as uow:
            found = uow.deal_queries.rows(pipeline_id, filters)
        return sorted_rows(found, sort_key, descending)

    def forecast(
        self, pipeline_id: int | None, filters: DealFilter = OPEN_BOARD
    ) -> list[ForecastRow]:
        """Value x stage probability (half-up per deal, then summed) by close month and currency."""
        with self._uow(read_only=True) as uow:
            items = uow.deal_queries.forecast_items(pipeline_id, filters)
        return forecast(items)

    # Helpers -----------------------------------------------------------------------------

    def _check(self, uow: UnitOfWork, draft: DealDraft) -> Stage:
        """The draft's stage, once its pipeline, stage and contact are known to exist."""
        try:
            ref: StageRef = uow.pipelines.stage(draft.stage_id)
        except NotFoundError:
            raise ValidationError("Stage", "was not found; choose another") from None
        if ref.pipeline_id != draft.pipeline_id:
            raise ValidationError("Stage", f"'{ref.stage.name}' is not in the chosen pipeline")
        if draft.contact_id is not None:
            try:
                uow.contacts.get(draft.contact_id)
            except NotFoundError:
                raise ValidationError("Contact", "was not found; choose another") from None
        return ref.stage


def _stage_of(deal: DealDetail) -> Stage:
    return Stage(deal.stage_id, deal.stage_name, deal.probability, 0)


def _place(uow: UnitOfWork, deal_id: int, slots: list[ColumnSlot], index: int) -> tuple[int, int]:
    """(index among the visible cards, stored position) for the card going to `index`.

    Hidden cards (filtered out) keep their places: the card goes just after the visible card
    it is dropped below, or just before the first visible card when dropped at the top.
    """
    visible = [at for at, slot in enumerate(slots) if slot.visible]
    index = max(0, min(index, len(visible)))
    first = visible[0] if visible else len(slots)
    insert_at = visible[index - 1] + 1 if index > 0 else first
    before = slots[insert_at - 1].position if insert_at > 0 else None
    after = slots[insert_at].position if insert_at < len(slots) else None
    position = position_between(before, after)
    if position is None:  # no gap left here: lay the column out again, this card included
        order = [slot.id for slot in slots]
        order.insert(insert_at, deal_id)
        laid_out = renumbered(order)
        uow.deals.set_positions([pair for pair in laid_out if pair[0] != deal_id])
        position = laid_out[insert_at][1]
    return index, position
