"""What pushing a deal to the cloud reads and keeps: remote ids, the create's answer, waits."""

from __future__ import annotations

from datetime import datetime

from leadcartel_desktop.domain.outbox import OutboxState
from leadcartel_desktop.services.deal_ports import DealPushFacts
from leadcartel_desktop.storage.convert import instant_text
from leadcartel_desktop.storage.deals import SqlDealRepository
from leadcartel_desktop.storage.outbox import due_text
from leadcartel_desktop.storage.provider_settings import SqlProviderSettingsRepository
from leadcartel_desktop.storage.sql import Statements

_ANSWERED = (OutboxState.SENT.value, OutboxState.DELIVERED.value)


def _under(prefix: str) -> tuple[str, str]:
    """Bounds of the keys `prefix:<anything>` as a range the unique key index can scan."""
    return f"{prefix}:", f"{prefix};"  # ';' follows ':' in every collation SQLite uses


class SqlDealSyncRepository:
    def __init__(self, sql: Statements) -> None:
        self._sql = sql

    def facts(self, deal_id: int) -> DealPushFacts:
        deal = SqlDealRepository(self._sql).get(deal_id)
        rows = self._sql.tuples(
            "SELECT p.remote_id, s.remote_id, d.push_state, coalesce(c.first_name, ''), "
            "coalesce(c.last_name, ''), coalesce(c.email, ''), coalesce(c.phone, ''), "
            "coalesce(c.company, '') FROM deals AS d JOIN pipelines AS p ON p.id = d.pipeline_id "
            "JOIN pipeline_stages AS s ON s.id = d.stage_id "
            "LEFT JOIN contacts AS c ON c.id = d.contact_id WHERE d.id = ?",
            (deal_id,),
        )
        pipeline, stage, state, first, last, email, phone, company = rows[0]
        contact = {
            "first_name": first,
            "last_name": last,
            "email": email,
            "phone": phone,
            "company": company,
        }
        return DealPushFacts(deal, pipeline, stage, state, contact if deal.contact_id else {})

    def created_remote_id(self, create_key: str) -> str | None:
        found = self._sql.scalar(
            "SELECT provider_id FROM outbox WHERE idempotency_key = ? AND state IN (?, ?) "
            "AND provider_id != ''",
            (create_key, *_ANSWERED),
        )
        return None if found is None else str(found)

    def waiting_create(self, create_key: str) -> tuple[int, int] | None:
        """(outbox id, attempts) of the create while it still waits to be sent, else None."""
        rows = self._sql.tuples(
            "SELECT id, attempts FROM outbox WHERE idempotency_key = ? AND state = ?",
            (create_key, OutboxState.PENDING.value),
        )
        return None if not rows else (int(rows[0][0]), int(rows[0][1]))

    def create_queued(self, create_key: str) -> bool:
        found = self._sql.scalar("SELECT 1 FROM outbox WHERE idempotency_key = ?", (create_key,))
        return found is not None

    def create_attempts(self, create_key: str) -> list[tuple[str, OutboxState, str]]:
        """(key, state, opportunity id once answered) of every create row of one deal.

        `create_key` is the first attempt's key; later attempts are `<create_key>:<n>`.
        Oldest first, so the last one is the deal's current create.
        """
        low, high = _under(create_key)
        rows = self._sql.tuples(
            "SELECT idempotency_key, state, provider_id FROM outbox "
            "WHERE idempotency_key = ? OR (idempotency_key >= ? AND idempotency_key < ?) "
            "ORDER BY id",
            (create_key, low, high),
        )
        return [
            (str(key), OutboxState(state), str(provider_id) if state in _ANSWERED else "")
            for key, state, provider_id in rows
        ]

    def supersede_create(self, create_key: str, by_key: str, now: datetime) -> None:
        """A failed or cancelled create replaced by `by_key`: cancelled, and inert if retried."""
        self._sql.run(
            "UPDATE outbox SET payload = json_set(payload, '$.superseded_by', ?), "
            "state = 'cancelled', next_attempt_at = NULL, updated_at = ?, "
            "last_error_code = 'superseded', "
            "last_error = 'Replaced by a new create carrying the deal''s current details' "
            "WHERE idempotency_key = ? AND state IN ('failed', 'cancelled')",
            (by_key, instant_text(now), create_key),
        )

    def drop_held(self, held_prefix: str, now: datetime) -> None:
        """Held pushes (`<held_prefix>:<stage>`) made moot: the deal's state goes up now."""
        low, high = _under(held_prefix)
        self._sql.run(
            "UPDATE outbox SET state = 'cancelled', next_attempt_at = NULL, updated_at = ?, "
            "last_error_code = 'superseded', "
            "last_error = 'The deal left the removed stage; its current details went up instead' "
            "WHERE idempotency_key >= ? AND idempotency_key < ? AND state IN ('failed', 'pending')",
            (instant_text(now), low, high),
        )

    def waiting(self) -> list[tuple[int, int]]:
        rows = self._sql.tuples(
            "SELECT id, push_state FROM deals INDEXED BY ix_deals_push_waiting "
            "WHERE push_state > 0 ORDER BY id"
        )
        return [(int(deal_id), int(state)) for deal_id, state in rows]

    def set_push_state(self, deal_id: int, state: int) -> None:
        self._sql.run("UPDATE deals SET push_state = ? WHERE id = ?", (state, deal_id))

    def held_deletes(self, held: datetime) -> list[tuple[int, str]]:
        """(outbox id, its create's key) of deletes waiting for their create's answer."""
        rows = self._sql.tuples(
            "SELECT id, json_extract(payload, '$.after') FROM outbox INDEXED BY ix_outbox_due "
            "WHERE state = 'pending' AND next_attempt_at = ? AND channel = 'cloud'",
            (due_text(held),),
        )
        return [(int(outbox_id), str(create)) for outbox_id, create in rows if create]

    def create_outcome(self, create_key: str) -> tuple[OutboxState | None, str]:
        """The create's state (None: no such row) and the opportunity id it got, if any."""
        rows = self._sql.tuples(
            "SELECT state, provider_id FROM outbox WHERE idempotency_key = ?", (create_key,)
        )
        if not rows:
            return None, ""
        state, provider_id = rows[0]
        answered = state in _ANSWERED
        return OutboxState(state), str(provider_id) if answered else ""

    def release_delete(self, outbox_id: int, opportunity_id: str, now: datetime) -> None:
        self._sql.run(
            "UPDATE outbox SET payload = json_set(payload, '$.opportunity_id', ?), "
            "next_attempt_at = ?, updated_at = ? WHERE id = ? AND state = 'pending'",
            (opportunity_id, due_text(now), instant_text(now), outbox_id),
        )

    def drop_delete(self, outbox_id: int, now: datetime) -> None:
        self._sql.run(
            "UPDATE outbox SET state = 'cancelled', next_attempt_at = NULL, updated_at = ?, "
            "last_error_code = 'cancelled', "
            "last_error = 'The deal never reached the cloud: nothing to delete there' "
            "WHERE id = ? AND state = 'pending'",
            (instant_text(now), outbox_id),
        )

    def cloud_configured(self) -> bool:
        # The cloud calls need the location id (the token is checked when the row is sent).
        return bool(SqlProviderSettingsRepository(self._sql).providers().cloud.location_id)
