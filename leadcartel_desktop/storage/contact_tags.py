"""Contact tags, and each contact's time zone and do-not-contact switches."""

from __future__ import annotations

import json
from collections.abc import Sequence

from leadcartel_desktop.domain.contact_groups import tag_key
from leadcartel_desktop.domain.errors import NotFoundError
from leadcartel_desktop.domain.outbox import Channel
from leadcartel_desktop.services.campaign_views import ContactReach, TagCount
from leadcartel_desktop.storage.sql import Statements

# The contacts column holding each channel's do-not-contact switch.
SWITCHES = {Channel.SMS: "no_sms", Channel.WHATSAPP: "no_whatsapp", Channel.EMAIL: "no_email"}


def switch_column(channel: Channel) -> str:
    try:
        return SWITCHES[channel]
    except KeyError:
        raise ValueError(f"{channel.value} has no do-not-contact switch") from None


class SqlContactTagRepository:
    def __init__(self, sql: Statements) -> None:
        self._sql = sql

    def existing(self, contact_ids: Sequence[int]) -> set[int]:
        rows = self._sql.tuples(
            "SELECT id FROM contacts WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(list(contact_ids)),),
        )
        return {int(row[0]) for row in rows}

    def tag(self, contact_ids: Sequence[int], tag: str) -> int:
        # A tag already on some contact keeps its spelling: 'élite' added where 'Élite'
        # exists is 'Élite' (tags compare by tag_key, and each key has one spelling).
        key = tag_key(tag)
        spelling = self._sql.scalar(
            "SELECT tag FROM contact_tags WHERE tag_key = ? LIMIT 1", (key,)
        )
        result = self._sql.run(
            "INSERT INTO contact_tags (contact_id, tag_key, tag) "
            "SELECT id, ?, ? FROM contacts WHERE id IN (SELECT value FROM json_each(?)) "
            "ON CONFLICT (contact_id, tag_key) DO NOTHING",
            (key, tag if spelling is None else str(spelling), json.dumps(list(contact_ids))),
        )
        return max(result.rowcount, 0)

    def untag(self, contact_ids: Sequence[int], tag: str) -> int:
        result = self._sql.run(
            "DELETE FROM contact_tags WHERE tag_key = ? "
            "AND contact_id IN (SELECT value FROM json_each(?))",
            (tag_key(tag), json.dumps(list(contact_ids))),
        )
        return max(result.rowcount, 0)

    def tags(self) -> list[TagCount]:
        # One row per key (min() only picks among equal spellings; see tag()).
        rows = self._sql.tuples(
            "SELECT min(tag), count(*) FROM contact_tags GROUP BY tag_key ORDER BY tag_key"
        )
        return [TagCount(str(tag), int(count)) for tag, count in rows]

    def reach(self, contact_id: int) -> ContactReach:
        row = self._sql.run(
            "SELECT time_zone, no_sms, no_whatsapp, no_email FROM contacts WHERE id = ?",
            (contact_id,),
        ).first()
        if row is None:
            raise NotFoundError(f"Contact {contact_id} was not found")
        blocked = frozenset(channel for channel, column in SWITCHES.items() if getattr(row, column))
        tags = self._sql.tuples(
            "SELECT tag FROM contact_tags WHERE contact_id = ? ORDER BY tag_key", (contact_id,)
        )
        return ContactReach(
            contact_id, str(row.time_zone), blocked, tuple(str(tag) for (tag,) in tags)
        )

    def set_do_not_contact(self, contact_id: int, channel: Channel, on: bool) -> None:
        column = switch_column(channel)
        changed = self._sql.run(
            f"UPDATE contacts SET {column} = ? WHERE id = ?", (int(on), contact_id)
        ).rowcount
        if changed != 1:
            raise NotFoundError(f"Contact {contact_id} was not found")

    def set_time_zone(self, contact_id: int, time_zone: str) -> None:
        changed = self._sql.run(
            "UPDATE contacts SET time_zone = ? WHERE id = ?", (time_zone, contact_id)
        ).rowcount
        if changed != 1:
            raise NotFoundError(f"Contact {contact_id} was not found")
