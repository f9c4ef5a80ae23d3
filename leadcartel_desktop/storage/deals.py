"""Deals in SQLite: the write side (add, edit, place in a column, status, stage history)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from leadcartel_desktop.domain.card_order import position_after
from leadcartel_desktop.domain.deals import DealDraft, DealStatus
from leadcartel_desktop.domain.errors import NotFoundError
from leadcartel_desktop.domain.pipelines import Stage
from leadcartel_desktop.services.deal_ports import ColumnSlot
from leadcartel_desktop.services.deal_views import DealCard, DealDetail, DealFilter, StageChange
from leadcartel_desktop.storage.convert import instant_text, to_instant
from leadcartel_desktop.storage.deal_queries import (
    FROM_BOARD,
    FROM_DEALS,
    card_sql,
    filter_sql,
    to_card,
)
from leadcartel_desktop.storage.sql import Statements

_DETAIL = (
    "SELECT d.id, d.name, d.contact_id, coalesce(c.display_name, ''), d.value_minor, d.currency, "
    "d.expected_close, d.pipeline_id, p.name, d.stage_id, s.name, s.probability, d.source, "
    "d.notes, d.status, d.lost_reason, d.invoice_id, d.stage_entered_at, d.created_at, "
    f"d.updated_at, d.remote_id {FROM_DEALS} JOIN pipelines AS p ON p.id = d.pipeline_id "
    "JOIN pipeline_stages AS s ON s.id = d.stage_id WHERE d.id = ?"
)
_INSERT = (
    "INSERT INTO deals (id, pipeline_id, stage_id, position, name, contact_id, value_minor, "
    "currency, expected_close, source, notes, stage_entered_at, created_at, updated_at) "
    "VALUES (:id, :pipeline_id, :stage_id, :position, :name, :contact_id, :value_minor, "
    ":currency, :expected_close, :source, :notes, :now, :now, :now)"
)
# A deal id is never handed out twice, even after the newest deal is deleted (SQLite would
# reuse it): the cloud push keys its create by the id (deal:<id>:create), so a reused id
# would adopt the deleted deal's opportunity. The high-water mark is a row of number_counters
# (invoice series always contain "{SEQ", so this name cannot clash with one).
_NEXT_ID = (
    "INSERT INTO number_counters (series, next_value) "
    "VALUES ('deals.id', (SELECT coalesce(max(id), 0) + 2 FROM deals)) "
    "ON CONFLICT (series) DO UPDATE SET "
    "next_value = max(next_value, (SELECT coalesce(max(id), 0) + 1 FROM deals)) + 1 "
    "RETURNING next_value - 1"
)


def _content(draft: DealDraft) -> dict[str, Any]:
    close = draft.expected_close
    return {
        "name": draft.name,
        "contact_id": draft.contact_id,
        "value_minor": draft.value_minor,
        "currency": draft.currency,
        "expected_close": None if close is None else close.isoformat(),
        "source": draft.source,
        "notes": draft.notes,
    }


def _instant(text: str) -> datetime:
    instant = to_instant(text)
    assert instant is not None
    return instant


class SqlDealRepository:
    def __init__(self, sql: Statements) -> None:
        self._sql = sql

    def add(self, draft: DealDraft, position: int, now: datetime) -> int:
        params = {
            **_content(draft),
            "pipeline_id": draft.pipeline_id,
            "stage_id": draft.stage_id,
            "position": position,
            "now": instant_text(now),
            "id": int(self._sql.scalar(_NEXT_ID)),
        }
        return int(self._sql.scalar(f"{_INSERT} RETURNING id", params))

    def add_many(self, drafts: Sequence[DealDraft], now: datetime) -> list[int]:
        ids = []
        ends: dict[tuple[int, int], int | None] = {}
        for draft in drafts:
            column = (draft.pipeline_id, draft.stage_id)
            if column not in ends:
                ends[column] = self.last_position(*column)
            ends[column] = position_after(ends[column])
            position = ends[column]
            assert position is not None
            ids.append(self.add(draft, position, now))
        return ids

    def update(self, deal_id: int, draft: DealDraft, now: datetime) -> None:
        params = _content(draft)
        assignments = ", ".join(f"{name} = :{name}" for name in params)
        result = self._sql.run(
            f"UPDATE deals SET {assignments}, updated_at = :now WHERE id = :id",
            {**params, "now": instant_text(now), "id": deal_id},
        )
        if result.rowcount == 0:
            raise NotFoundError(f"Deal {deal_id} was not found")

    def get(self, deal_id: int) -> DealDetail:
        rows = self._sql.tuples(_DETAIL, (deal_id,))
        if not rows:
            raise NotFoundError(f"Deal {deal_id} was not found")
        (deal_id, name, contact_id, contact, value, currency, close, pipeline_id, pipeline,
         stage_id, stage, probability, source, notes, status, reason, invoice_id, entered,
         created, updated, remote_id) = rows[0]  # fmt: skip
        return DealDetail(
            id=deal_id,
            name=name,
            contact_id=contact_id,
            contact_name=contact,
            value_minor=value,
            currency=currency,
            expected_close=None if close is None else date.fromisoformat(close),
            pipeline_id=pipeline_id,
            pipeline_name=pipeline,
            stage_id=stage_id,
            stage_name=stage,
            probability=probability,
            source=source,
            notes=notes,
            status=DealStatus(status),
            lost_reason=reason,
            invoice_id=invoice_id,
            stage_entered_at=_instant(entered),
            created_at=_instant(created),
            updated_at=_instant(updated),
            remote_id=remote_id,
        )

    def card(self, deal_id: int) -> DealCard:
        rows = self._sql.tuples(f"{card_sql()} WHERE d.id = ?", (deal_id,))
        if not rows:
            raise NotFoundError(f"Deal {deal_id} was not found")
        return to_card(rows[0])

    def last_position(self, pipeline_id: int, stage_id: int) -> int | None:
        found = self._sql.scalar(
            "SELECT max(position) FROM deals WHERE pipeline_id = ? AND stage_id = ?",
            (pipeline_id, stage_id),
        )
        return None if found is None else int(found)

    def column(
        self, pipeline_id: int, stage_id: int, exclude_id: int, filters: DealFilter
    ) -> list[ColumnSlot]:
        where, params = filter_sql(filters)
        rows = self._sql.tuples(
            f"SELECT d.id, d.position, ({where}) {FROM_BOARD} "
            "WHERE d.pipeline_id = :pipeline AND d.stage_id = :stage AND d.id != :exclude "
            "ORDER BY d.position",
            {**params, "pipeline": pipeline_id, "stage": stage_id, "exclude": exclude_id},
        )
        return [ColumnSlot(deal_id, position, bool(visible)) for deal_id, position, visible in rows]

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
        params = {
            "id": deal_id,
            "pipeline": pipeline_id,
            "stage": stage_id,
            "position": position,
            "now": instant_text(now),
            "entered": None if entered_at is None else instant_text(entered_at),
        }
        result = self._sql.run(
            "UPDATE deals SET pipeline_id = :pipeline, stage_id = :stage, position = :position, "
            "stage_entered_at = coalesce(:entered, stage_entered_at), updated_at = :now "
            "WHERE id = :id",
            params,
        )
        if result.rowcount == 0:
            raise NotFoundError(f"Deal {deal_id} was not found")

    def set_positions(self, positions: Sequence[tuple[int, int]]) -> None:
        self._sql.many(
            "UPDATE deals SET position = :position WHERE id = :id",
            [{"id": deal_id, "position": position} for deal_id, position in positions],
        )

    def add_history(
        self, deal_id: int, from_stage: Stage | None, to_stage: Stage, at: datetime
    ) -> None:
        self._sql.run(
            "INSERT INTO deal_stage_history (deal_id, from_stage_id, from_stage_name, "
            "to_stage_id, to_stage_name, changed_at) VALUES (?, ?, ?, ?, ?, ?)",
            (
                deal_id,
                None if from_stage is None else from_stage.id,
                None if from_stage is None else from_stage.name,
                to_stage.id,
                to_stage.name,
                instant_text(at),
            ),
        )

    def history(self, deal_id: int) -> list[StageChange]:
        # A stage renamed since shows its name at the time of the move.
        rows = self._sql.tuples(
            "SELECT from_stage_name, to_stage_name, changed_at FROM deal_stage_history "
            "WHERE deal_id = ? ORDER BY id",
            (deal_id,),
        )
        return [StageChange(source, target, _instant(at)) for source, target, at in rows]

    def set_status(self, deal_id: int, status: DealStatus, lost_reason: str, now: datetime) -> None:
        result = self._sql.run(
            "UPDATE deals SET status = ?, lost_reason = ?, updated_at = ? WHERE id = ?",
            (status.value, lost_reason, instant_text(now), deal_id),
        )
        if result.rowcount == 0:
            raise NotFoundError(f"Deal {deal_id} was not found")

    def set_invoice(self, deal_id: int, invoice_id: int, now: datetime) -> None:
        self._sql.run(
            "UPDATE deals SET invoice_id = ?, updated_at = ? WHERE id = ?",
            (invoice_id, instant_text(now), deal_id),
        )

    def set_remote_id(self, deal_id: int, remote_id: str) -> None:
        self._sql.run("UPDATE deals SET remote_id = ? WHERE id = ?", (remote_id, deal_id))

    def delete(self, deal_id: int) -> None:
        result = self._sql.run("DELETE FROM deals WHERE id = ?", (deal_id,))
        if result.rowcount == 0:
            raise NotFoundError(f"Deal {deal_id} was not found")
