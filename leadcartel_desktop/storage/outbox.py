"""The outbox table: queue, claim (pending -> sending) and record each message's outcome."""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from datetime import UTC, datetime
from typing import Any

from leadcartel_desktop.domain.errors import NotFoundError
from leadcartel_desktop.domain.outbox import Channel, OutboxMessage, OutboxState
from leadcartel_desktop.services.messaging_ports import NewOutboxItem
from leadcartel_desktop.services.outbox_view import OutboxListRow
from leadcartel_desktop.storage.convert import instant_text, to_instant
from leadcartel_desktop.storage.sql import Statements

_COLUMNS = (
    "id, channel, recipient, payload, extra, idempotency_key, state, attempts, next_attempt_at, "
    "provider_id, last_error_code, last_error, last_error_hint, invoice_id, campaign_id, "
    "created_at, attempt_started_at, claimed_by"
)
# The oldest open message of its recipient on its channel (per-recipient order). A campaign
# message waiting for its turn (pacing, quiet hours, a pause) does not hold back a later message
# to the same recipient that is due sooner (an invoice sent meanwhile).
_HEAD_OF_LINE = """NOT EXISTS (
    SELECT 1 FROM outbox AS earlier
    WHERE earlier.channel = outbox.channel AND earlier.recipient = outbox.recipient
      AND earlier.id < outbox.id AND earlier.state IN ('pending', 'sending', 'unknown')
      AND NOT (earlier.campaign_id IS NOT NULL AND earlier.state = 'pending'
               AND earlier.next_attempt_at > outbox.next_attempt_at))"""


def _due_text(value: datetime) -> str:
    """Due times keep microseconds (UTC, 'Z'), so a row is never due a moment early.

    Every due time and every instant compared with one is written this way, so that they
    compare as text.
    """
    if value.tzinfo is None:
        raise ValueError("instants are stored in UTC and must be timezone-aware")
    return f"{value.astimezone(UTC):%Y-%m-%dT%H:%M:%S.%fZ}"


due_text = _due_text  # campaigns re-time their rows in storage/campaigns.py


# One encoder for every row: json.dumps with options builds a new one per call (campaigns
# queue thousands of rows at once).
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def _json(value: dict[str, Any]) -> str:
    return _ENCODER.encode(value)


_INSERT = (
    "INSERT INTO outbox (channel, recipient, payload, extra, idempotency_key, "
    "next_attempt_at, invoice_id, campaign_id, contact_id, created_at, updated_at) "
    "VALUES (:channel, :recipient, :payload, :extra, :key, :due, :invoice_id, "
    ":campaign_id, :contact_id, :now, :now) "
    "ON CONFLICT (idempotency_key) DO NOTHING"
)


def _item_params(item: NewOutboxItem, now: datetime) -> dict[str, Any]:
    return {
        "channel": item.channel.value,
        "recipient": item.recipient.strip(),
        "payload": _json(item.payload),
        "extra": _json(item.extra),
        "key": item.idempotency_key,
        "due": _due_text(item.not_before or now),
        "invoice_id": item.invoice_id,
        "campaign_id": item.campaign_id,
        "contact_id": item.contact_id,
        "now": instant_text(now),
    }


def _message(row: Any) -> OutboxMessage:
    return OutboxMessage(
        id=row.id,
        channel=Channel(row.channel),
        recipient=row.recipient,
        payload=json.loads(row.payload),
        idempotency_key=row.idempotency_key,
        state=OutboxState(row.state),
        attempts=row.attempts,
        next_attempt_at=to_instant(row.next_attempt_at),
        provider_id=row.provider_id,
        last_error_code=row.last_error_code,
        last_error=row.last_error,
        last_error_hint=row.last_error_hint,
        invoice_id=row.invoice_id,
        campaign_id=row.campaign_id,
        created_at=to_instant(row.created_at),
        extra={str(key): str(value) for key, value in json.loads(row.extra).items()},
        attempt_started_at=to_instant(row.attempt_started_at),
        claimed_by=row.claimed_by,
    )


_RECORD = (
    "UPDATE outbox SET state = :state, attempts = :attempts, next_attempt_at = :due, "
    "provider_id = coalesce(nullif(:provider_id, ''), provider_id), "
    "last_error_code = :code, last_error = :error, last_error_hint = :hint, updated_at = :now, "
    "sent_at = CASE WHEN :state IN ('sent', 'delivered') "
    "THEN coalesce(sent_at, :now) ELSE sent_at END "
    "WHERE id = :id"
)


def _outcome(
    state: OutboxState,
    attempts: int,
    *,
    next_attempt_at: datetime | None,
    provider_id: str,
    error_code: str,
    error: str,
    hint: str,
) -> dict[str, Any]:
    return {
        "state": state.value,
        "attempts": attempts,
        "due": _due_text(next_attempt_at) if next_attempt_at else None,
        "provider_id": provider_id,
        "code": error_code,
        "error": error,
        "hint": hint,
    }


class SqlOutboxRepository:
    def __init__(self, sql: Statements) -> None:
        self._sql = sql

    def enqueue(self, item: NewOutboxItem, now: datetime) -> int:
        """A new pending row; a key already queued returns that row's id (a double click)."""
        params = _item_params(item, now)
        created = self._sql.run(f"{_INSERT} RETURNING id", params).first()
        if created is not None:
            return int(created[0])
        return int(self._sql.scalar("SELECT id FROM outbox WHERE idempotency_key = :key", params))

    def enqueue_many(self, items: Sequence[NewOutboxItem], now: datetime) -> None:
        """enqueue() for many rows in one executemany (a campaign's); keys already queued stay."""
        self._sql.many(_INSERT, [_item_params(item, now) for item in items])

    def get(self, message_id: int) -> OutboxMessage:
        row = self._sql.run(
            f"SELECT {_COLUMNS} FROM outbox WHERE id = :id", {"id": message_id}
        ).first()
        if row is None:
            raise NotFoundError(f"Outbox message {message_id} does not exist")
        return _message(row)

    def claim_due(
        self, now: datetime, limit: int, channel: Channel | None = None, worker: str | None = None
    ) -> list[OutboxMessage]:
        if limit <= 0:
            return []
        only_channel = "AND channel = :channel" if channel is not None else ""
        rows = self._sql.run(
            f"UPDATE outbox SET state = 'sending', updated_at = :now, attempt_started_at = :due, "
            f"claimed_by = :worker "
            f"WHERE id IN ("
            f"SELECT id FROM outbox WHERE state = 'pending' {only_channel} "
            f"AND next_attempt_at <= :due AND {_HEAD_OF_LINE} ORDER BY id LIMIT :limit) "
            f"RETURNING {_COLUMNS}",
            {
                "now": instant_text(now),
                "due": _due_text(now),
                "limit": limit,
                "channel": channel.value if channel is not None else None,
                "worker": worker,
            },
        ).all()
        return sorted((_message(row) for row in rows), key=lambda message: message.id)

    def record(
        self,
        message_id: int,
        state: OutboxState,
        *,
        attempts: int,
        next_attempt_at: datetime | None = None,
        provider_id: str = "",
        error_code: str = "",
        error: str = "",
        hint: str = "",
        now: datetime,
    ) -> None:
        """Set the outcome; an empty provider id keeps the one already known."""
        params = _outcome(
            state,
            attempts,
            next_attempt_at=next_attempt_at,
            provider_id=provider_id,
            error_code=error_code,
            error=error,
            hint=hint,
        )
        changed = self._sql.run(_RECORD, {**params, "id": message_id, "now": instant_text(now)})
        if changed.rowcount != 1:
            raise NotFoundError(f"Outbox message {message_id} does not exist")

    def record_claimed(
        self,
        message_id: int,
        worker: str | None,
        state: OutboxState,
        *,
        attempts: int,
        next_attempt_at: datetime | None = None,
        provider_id: str = "",
        error_code: str = "",
        error: str = "",
        hint: str = "",
        now: datetime,
    ) -> bool:
        """record() only while the row is sending under `worker`'s claim (IS: NULL too)."""
        params = _outcome(
            state,
            attempts,
            next_attempt_at=next_attempt_at,
            provider_id=provider_id,
            error_code=error_code,
            error=error,
            hint=hint,
        )
        changed = self._sql.run(
            f"{_RECORD} AND state = 'sending' AND claimed_by IS :worker",
            {**params, "id": message_id, "now": instant_text(now), "worker": worker},
        ).rowcount
        return bool(changed)

    def orphaned(self, limit: int) -> list[OutboxMessage]:
        """Sending rows whose worker has no lease (claimed outside one, or its lease is gone)."""
        rows = self._sql.run(
            f"SELECT {_COLUMNS} FROM outbox WHERE state = 'sending' AND (claimed_by IS NULL "
            "OR NOT EXISTS (SELECT 1 FROM outbox_workers AS w WHERE w.id = outbox.claimed_by)) "
            "ORDER BY id LIMIT :limit",
            {"limit": limit},
        )
        return [_message(row) for row in rows]

    def provider_ids_of_others(self, message: OutboxMessage) -> frozenset[str]:
        """Provider ids recorded on the other rows to this message's recipient and channel."""
        rows = self._sql.tuples(
            "SELECT provider_id FROM outbox WHERE channel = :channel AND recipient = :recipient "
            "AND provider_id != '' AND id != :id",
            {
                "channel": message.channel.value,
                "recipient": message.recipient.strip(),
                "id": message.id,
            },
        )
        return frozenset(str(row[0]) for row in rows)

    def in_state(self, state: OutboxState, limit: int = 1000) -> list[OutboxMessage]:
        rows = self._sql.run(
            f"SELECT {_COLUMNS} FROM outbox WHERE state = :state ORDER BY id LIMIT :limit",
            {"state": state.value, "limit": limit},
        )
        return [_message(row) for row in rows]

    def for_invoice(self, invoice_id: int) -> list[OutboxMessage]:
        rows = self._sql.run(
            f"SELECT {_COLUMNS} FROM outbox WHERE invoice_id = :invoice_id ORDER BY id",
            {"invoice_id": invoice_id},
        )
        return [_message(row) for row in rows]

    def listing(self, states: Sequence[OutboxState], limit: int) -> list[OutboxListRow]:
        """Messages in `states`, newest first, with their invoice's number (no payloads)."""
        rows = self._sql.tuples(
            "SELECT o.id, o.channel, o.recipient, o.state, o.attempts, o.next_attempt_at, "
            "o.last_error_code, o.last_error, o.last_error_hint, o.invoice_id, "
            "coalesce(i.number, ''), o.created_at, "
            "coalesce(nullif(trim(c.first_name || ' ' || c.last_name), ''), c.company, ''), "
            "coalesce(k.name, '') "
            "FROM outbox AS o LEFT JOIN invoices AS i ON i.id = o.invoice_id "
            "LEFT JOIN messages AS m ON m.outbox_id = o.id "
            "LEFT JOIN campaigns AS k ON k.id = o.campaign_id "
            # The contact: the thread's, else the invoice's, else the one a campaign row names.
            "LEFT JOIN contacts AS c ON c.id = coalesce(m.contact_id, i.contact_id, "
            "CAST(json_extract(o.extra, '$.contact_id') AS INTEGER)) "
            "WHERE o.state IN (SELECT value FROM json_each(?)) ORDER BY o.id DESC LIMIT ?",
            (json.dumps([state.value for state in states]), limit),
        )
        return [
            OutboxListRow(
                id=int(row[0]),
                channel=Channel(row[1]),
                recipient=str(row[2]),
                state=OutboxState(row[3]),
                attempts=int(row[4]),
                next_attempt_at=to_instant(row[5]),
                last_error_code=str(row[6]),
                last_error=str(row[7]),
                last_error_hint=str(row[8]),
                invoice_id=row[9],
                invoice_number=str(row[10]),
                created_at=to_instant(row[11]),
                contact_name=str(row[12]),
                campaign_name=str(row[13]),
            )
            for row in rows
        ]

    def counts(self) -> dict[OutboxState, int]:
        counted = dict(self._sql.tuples("SELECT state, count(*) FROM outbox GROUP BY state"))
        return {state: int(counted.get(state.value, 0)) for state in OutboxState}

    def next_due_at(self, skip: Collection[Channel] = ()) -> datetime | None:
        """The earliest of: a claimable pending row's due time, an unknown row's next check.

        A pending row waiting behind an earlier message to its recipient does not count: it
        becomes claimable when that one ends, not at its own time. Rows of the channels in
        `skip` (paused, or without a provider) do not count either.
        """
        skipped = "AND channel NOT IN (SELECT value FROM json_each(:skip))" if skip else ""
        text = self._sql.scalar(
            "SELECT min(due) FROM ("
            "SELECT * FROM (SELECT next_attempt_at AS due FROM outbox "
            f"WHERE state = 'pending' AND {_HEAD_OF_LINE} {skipped} "
            "ORDER BY next_attempt_at LIMIT 1) "
            "UNION ALL "
            f"SELECT min(next_attempt_at) FROM outbox WHERE state = 'unknown' {skipped})",
            {"skip": json.dumps(sorted(channel.value for channel in skip))},
        )
        return to_instant(text)
