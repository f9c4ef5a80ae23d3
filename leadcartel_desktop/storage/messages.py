"""The messages table: outbound rows beside their outbox rows, inbound replies, threads, marks."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from leadcartel_desktop.domain.outbox import Channel, OutboxState
from leadcartel_desktop.services.thread_ports import InboundMessage, OutboundRow
from leadcartel_desktop.services.thread_views import (
    Direction,
    MessageStatus,
    ThreadMessage,
    ThreadSummary,
)
from leadcartel_desktop.storage.convert import instant_text, to_instant
from leadcartel_desktop.storage.sql import Statements

_PREVIEW = 120
_THREAD = (
    "SELECT m.id, m.channel, m.direction, m.body, m.subject, m.at, o.state, "
    "coalesce(o.last_error_code, ''), coalesce(o.last_error_hint, ''), "
    "coalesce(o.last_error, ''), m.outbox_id, m.campaign_id "
    "FROM messages AS m LEFT JOIN outbox AS o ON o.id = m.outbox_id "
)
_STATUS = {state.value: MessageStatus.of(state) for state in OutboxState}
_CHANNELS = {channel.value: channel for channel in Channel}
_DIRECTIONS = {direction.value: direction for direction in Direction}


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def _nocase(address: str) -> str:
    """The form SQLite's NOCASE compares: ASCII letters lowered, everything else as it is."""
    return address.translate(_ASCII_LOWER)


def _instant(text: str) -> datetime:
    """Stored instants are UTC with 'Z', which fromisoformat reads as UTC already."""
    return datetime.fromisoformat(text)


def _thread_message(row: tuple[Any, ...]) -> ThreadMessage:
    failed = row[6] in ("failed", "cancelled", "unknown")
    return ThreadMessage(
        id=row[0],
        channel=_CHANNELS[row[1]],
        direction=_DIRECTIONS[row[2]],
        body=row[3],
        subject=row[4],
        at=_instant(row[5]),
        status=_STATUS[row[6]] if row[6] is not None else MessageStatus.RECEIVED,
        error_code=row[7] if failed else "",
        hint=row[8] if failed else "",
        error=row[9] if failed else "",
        outbox_id=row[10],
        campaign_id=row[11],
    )


class SqlMessageRepository:
    def __init__(self, sql: Statements) -> None:
        self._sql = sql

    def add_outbound(self, rows: Sequence[OutboundRow]) -> None:
        # The time and the address are the outbox row's: queued then, to that recipient.
        self._sql.many(
            "INSERT INTO messages (contact_id, channel, direction, address, body, subject, at, "
            "outbox_id, campaign_id) SELECT :contact_id, :channel, 'out', "
            "iif(o.recipient LIKE 'whatsapp:%', substr(o.recipient, 10), o.recipient), "
            ":body, :subject, o.created_at, o.id, :campaign_id "
            "FROM outbox AS o WHERE o.id = :outbox_id "
            "ON CONFLICT (outbox_id) WHERE outbox_id IS NOT NULL DO NOTHING",
            [
                {
                    "contact_id": row.contact_id,
                    "channel": row.channel.value,
                    "body": row.body,
                    "subject": row.subject,
                    "outbox_id": row.outbox_id,
                    "campaign_id": row.campaign_id,
                }
                for row in rows
            ],
        )

    def for_outbox(self, outbox_id: int) -> int | None:
        found = self._sql.scalar("SELECT id FROM messages WHERE outbox_id = ?", (outbox_id,))
        return int(found) if found is not None else None

    def add_inbound(self, message: InboundMessage, contact_id: int | None) -> int | None:
        created = self._sql.run(
            "INSERT INTO messages (contact_id, channel, direction, address, body, subject, at, "
            "provider_id, unread) VALUES (:contact_id, :channel, 'in', :address, :body, "
            ":subject, :at, :provider_id, 1) "
            "ON CONFLICT (channel, provider_id) WHERE provider_id IS NOT NULL DO NOTHING "
            "RETURNING id",
            {
                "contact_id": contact_id,
                "channel": message.channel.value,
                "address": message.address,
                "body": message.body,
                "subject": message.subject,
                "at": instant_text(message.at),
                "provider_id": message.provider_id,
            },
        ).first()
        return int(created[0]) if created is not None else None

    def thread(
        self, contact_id: int | None, address: str, limit: int | None, before: int | None
    ) -> list[ThreadMessage]:
        who = (
            "m.contact_id = ?"
            if contact_id is not None
            else "m.contact_id IS NULL AND m.address = ?"
        )
        params: list[Any] = [contact_id if contact_id is not None else address]
        older = ""
        if before is not None:
            older = "AND (m.at, m.id) < (SELECT at, id FROM messages WHERE id = ?) "
            params.append(before)
        params.append(-1 if limit is None else limit)
        rows = self._sql.tuples(
            f"{_THREAD}WHERE {who} {older}ORDER BY m.at DESC, m.id DESC LIMIT ?", params
        )
        rows.reverse()
        return [_thread_message(row) for row in rows]

    def summaries(self, limit: int) -> list[ThreadSummary]:
        # SQLite's bare column beside max(): `id` is the row holding the latest `at` (the
        # (contact_id, at) index covers it, rowid included), so each thread costs one lookup.
        latest = self._sql.tuples(
            "SELECT * FROM ("
            " SELECT contact_id, '', max(at) AS last, id FROM messages"
            " WHERE contact_id IS NOT NULL GROUP BY contact_id"
            " UNION ALL"
            " SELECT NULL, address, max(at) AS last, id FROM messages"
            " WHERE contact_id IS NULL GROUP BY address) ORDER BY last DESC LIMIT ?",
            (limit,),
        )
        if not latest:
            return []
        unread: dict[object, int] = dict(
            self._sql.tuples(
                "SELECT contact_id, count(*) FROM messages WHERE unread = 1 "
                "AND contact_id IS NOT NULL GROUP BY contact_id"
            )
        )
        # `address` is NOCASE: SQLite groups 'Bob@x' with 'bob@x' but names the group by
        # whichever spelling it met, so both sides are looked up by the NOCASE form.
        unread.update(
            (_nocase(str(address)), count)
            for address, count in self._sql.tuples(
                "SELECT address, count(*) FROM messages WHERE unread = 1 "
                "AND contact_id IS NULL GROUP BY address"
            )
        )
        rows = self._sql.tuples(
            "SELECT m.id, coalesce(c.display_name, m.address), "
            " coalesce(nullif(c.phone, ''), nullif(c.email, ''), m.address), m.channel, "
            " m.direction, m.body, m.subject "
            "FROM messages AS m LEFT JOIN contacts AS c ON c.id = m.contact_id "
            "WHERE m.id IN (SELECT value FROM json_each(?))",
            (json.dumps([row[3] for row in latest]),),
        )
        found = {row[0]: row for row in rows}
        summaries = []
        for contact_id, address, last, message_id in latest:
            row = found[message_id]
            summaries.append(
                ThreadSummary(
                    contact_id=contact_id,
                    name=str(row[1]),
                    address=str(row[2]),
                    channel=_CHANNELS[row[3]],
                    direction=_DIRECTIONS[row[4]],
                    preview=_preview(str(row[6]), str(row[5])),
                    last_at=_instant(last),
                    unread=int(
                        unread.get(contact_id if contact_id is not None else _nocase(address), 0)
                    ),
                )
            )
        return summaries

    def mark_read(self, contact_id: int | None, address: str) -> int:
        if contact_id is not None:
            return self._sql.run(
                "UPDATE messages SET unread = 0 WHERE unread = 1 AND contact_id = ?", (contact_id,)
            ).rowcount
        return self._sql.run(
            "UPDATE messages SET unread = 0 WHERE unread = 1 AND contact_id IS NULL "
            "AND address = ?",
            (address,),
        ).rowcount

    def last_inbound_at(
        self, channel: Channel, *, contact_id: int | None = None, address: str = ""
    ) -> datetime | None:
        if contact_id is not None:
            text = self._sql.scalar(
                "SELECT max(at) FROM messages WHERE contact_id = ? AND direction = 'in' "
                "AND channel = ?",
                (contact_id, channel.value),
            )
        else:
            text = self._sql.scalar(
                "SELECT max(at) FROM messages WHERE direction = 'in' AND channel = ? "
                "AND address = ?",
                (channel.value, address.strip().removeprefix("whatsapp:")),
            )
        return to_instant(text)

    def contact_for(self, channel: Channel, address: str) -> int | None:
        if not address:
            return None
        column = "email" if channel is Channel.EMAIL else "phone"
        found = self._sql.scalar(
            f"SELECT id FROM contacts WHERE {column} = ? COLLATE NOCASE ORDER BY id LIMIT 1",
            (address,),
        )
        return int(found) if found is not None else None

    def adopt_unmatched(self) -> int:
        return self._sql.run(
            "UPDATE messages SET contact_id = (SELECT c.id FROM contacts AS c WHERE "
            " CASE WHEN messages.channel = 'email' THEN c.email = messages.address COLLATE NOCASE"
            " ELSE c.phone = messages.address END ORDER BY c.id LIMIT 1) "
            "WHERE contact_id IS NULL AND address != '' AND EXISTS (SELECT 1 FROM contacts AS c "
            " WHERE CASE WHEN messages.channel = 'email' "
            " THEN c.email = messages.address COLLATE NOCASE ELSE c.phone = messages.address END)"
        ).rowcount

    def mark(self, source: str) -> str | None:
        found = self._sql.scalar("SELECT mark FROM inbound_marks WHERE source = ?", (source,))
        return str(found) if found is not None else None

    def set_mark(self, source: str, mark: str, now: datetime) -> None:
        self._sql.run(
            "INSERT INTO inbound_marks (source, mark, updated_at) VALUES (:source, :mark, :now) "
            "ON CONFLICT (source) DO UPDATE SET mark = excluded.mark, "
            "updated_at = excluded.updated_at",
            {"source": source, "mark": mark, "now": instant_text(now)},
        )


def _preview(subject: str, body: str) -> str:
    text = " ".join(body.split())
    if subject:
        text = f"{subject}: {text}" if text else subject
    return text if len(text) <= _PREVIEW else text[: _PREVIEW - 1] + "\u2026"
