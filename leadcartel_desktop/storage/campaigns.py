"""Campaigns, their recipients, and the campaign-wide moves on their outbox rows."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, time
from typing import Any

from leadcartel_desktop.domain.campaigns import (
    AudienceSpec,
    Campaign,
    CampaignDraft,
    CampaignStatus,
)
from leadcartel_desktop.domain.contact_groups import GroupDefinition
from leadcartel_desktop.domain.errors import NotFoundError
from leadcartel_desktop.domain.outbox import Channel, OutboxState
from leadcartel_desktop.services.campaign_ports import (
    AudienceRow,
    ContactNow,
    PendingRow,
    RecipientRow,
)
from leadcartel_desktop.services.campaign_views import CampaignProgress, RecipientStatus
from leadcartel_desktop.storage.contact_tags import switch_column
from leadcartel_desktop.storage.convert import instant_text, to_instant
from leadcartel_desktop.storage.group_sql import group_condition, tag_keys, tags_condition
from leadcartel_desktop.storage.outbox import _HEAD_OF_LINE, due_text
from leadcartel_desktop.storage.sql import Statements

_COLUMNS = (
    "id, name, channel, body, subject, whatsapp_template_id, whatsapp_variables, audience, "
    "status, scheduled_for, per_minute, weekdays, window_start, window_end, created_at, "
    "launched_at"
)
_OPEN = ("pending", "sending", "unknown")


def _ids(values: Sequence[int]) -> str:
    return json.dumps([int(value) for value in values])


def _params(draft: CampaignDraft) -> dict[str, Any]:
    audience = draft.audience
    return {
        "name": draft.name.strip(),
        "channel": draft.channel.value,
        "body": draft.body,
        "subject": draft.subject,
        "template": draft.whatsapp_template_id.strip(),
        "variables": json.dumps(dict(draft.whatsapp_variables), ensure_ascii=False),
        "audience": json.dumps(
            {
                "group_ids": list(audience.group_ids),
                "tags": list(audience.tags),
                "contact_ids": list(audience.contact_ids),
            },
            ensure_ascii=False,
        ),
        "per_minute": draft.per_minute,
        "weekdays": "".join(str(day) for day in sorted(draft.weekdays)),
        "start": f"{draft.hours[0]:%H:%M}",
        "end": f"{draft.hours[1]:%H:%M}",
    }


def _campaign(row: Any) -> Campaign:
    audience = json.loads(row[7])
    draft = CampaignDraft(
        name=row[1],
        channel=Channel(row[2]),
        body=row[3],
        subject=row[4],
        whatsapp_template_id=row[5],
        whatsapp_variables={str(k): str(v) for k, v in json.loads(row[6]).items()},
        audience=AudienceSpec(
            tuple(int(i) for i in audience.get("group_ids", ())),
            tuple(str(tag) for tag in audience.get("tags", ())),
            tuple(int(i) for i in audience.get("contact_ids", ())),
        ),
        per_minute=int(row[10]),
        weekdays=frozenset(int(day) for day in row[11]),
        hours=(time.fromisoformat(row[12]), time.fromisoformat(row[13])),
    )
    return Campaign(
        id=int(row[0]),
        draft=draft,
        status=CampaignStatus(row[8]),
        scheduled_for=to_instant(row[9]),
        created_at=to_instant(row[14]),
        launched_at=to_instant(row[15]),
    )


class SqlCampaignRepository:
    def __init__(self, sql: Statements) -> None:
        self._sql = sql

    # The campaign itself ------------------------------------------------------------------

    def add(self, draft: CampaignDraft, now: datetime) -> int:
        params = {**_params(draft), "now": instant_text(now)}
        return int(
            self._sql.scalar(
                "INSERT INTO campaigns (name, channel, body, subject, whatsapp_template_id, "
                "whatsapp_variables, audience, per_minute, weekdays, window_start, window_end, "
                "created_at, updated_at) VALUES (:name, :channel, :body, :subject, :template, "
                ":variables, :audience, :per_minute, :weekdays, :start, :end, :now, :now) "
                "RETURNING id",
                params,
            )
        )

    def update_draft(self, campaign_id: int, draft: CampaignDraft, now: datetime) -> None:
        params = {**_params(draft), "now": instant_text(now), "id": campaign_id}
        changed = self._sql.run(
            "UPDATE campaigns SET name = :name, channel = :channel, body = :body, "
            "subject = :subject, whatsapp_template_id = :template, "
            "whatsapp_variables = :variables, audience = :audience, per_minute = :per_minute, "
            "weekdays = :weekdays, window_start = :start, window_end = :end, updated_at = :now "
            "WHERE id = :id AND status = 'draft'",
            params,
        ).rowcount
        if changed != 1:
            raise NotFoundError(f"Draft campaign {campaign_id} was not found")

    def get(self, campaign_id: int) -> Campaign:
        rows = self._sql.tuples(f"SELECT {_COLUMNS} FROM campaigns WHERE id = ?", (campaign_id,))
        if not rows:
            raise NotFoundError(f"Campaign {campaign_id} was not found")
        return _campaign(rows[0])

    def all(self) -> list[Campaign]:
        rows = self._sql.tuples(f"SELECT {_COLUMNS} FROM campaigns ORDER BY id DESC")
        return [_campaign(row) for row in rows]

    def gate(self, campaign_ids: Sequence[int]) -> dict[int, Campaign]:
        rows = self._sql.tuples(
            f"SELECT {_COLUMNS} FROM campaigns WHERE id IN (SELECT value FROM json_each(?))",
            (_ids(campaign_ids),),
        )
        return {int(row[0]): _campaign(row) for row in rows}

    def delete(self, campaign_id: int) -> None:
        self._sql.run("DELETE FROM campaigns WHERE id = ? AND status = 'draft'", (campaign_id,))

    def set_status(
        self,
        campaign_id: int,
        status: CampaignStatus,
        now: datetime,
        *,
        scheduled_for: datetime | None = None,
        launched: bool = False,
    ) -> None:
        stamp = instant_text(now)
        self._sql.run(
            "UPDATE campaigns SET status = :status, updated_at = :now, "
            "scheduled_for = coalesce(:scheduled, scheduled_for), "
            "launched_at = CASE WHEN :launched THEN :now ELSE launched_at END WHERE id = :id",
            {
                "status": status.value,
                "now": stamp,
                "scheduled": instant_text(scheduled_for) if scheduled_for else None,
                "launched": int(launched),
                "id": campaign_id,
            },
        )

    # Recipients ---------------------------------------------------------------------------

    def audience(
        self,
        channel: Channel,
        definitions: Sequence[GroupDefinition],
        tags: Sequence[str],
        contact_ids: Sequence[int],
    ) -> list[AudienceRow]:
        """One query: every contact named, tagged or in a group, with its consent facts."""
        params: dict[str, Any] = {"channel": channel.value}
        conditions: list[str] = []
        if contact_ids:
            params["ids"] = _ids(contact_ids)
            conditions.append("c.id IN (SELECT value FROM json_each(:ids))")
        if tags:
            params["tags"] = json.dumps(tag_keys(tags))
            conditions.append(tags_condition("tags"))
        for position, definition in enumerate(definitions):
            condition, extra = group_condition(definition, f"g{position}")
            conditions.append(f"({condition})")
            params.update(extra)
        if not conditions:
            return []
        address = "c.email" if channel is Channel.EMAIL else "c.phone"
        rows = self._sql.tuples(
            "SELECT c.id, c.display_name, c.first_name, c.last_name, c.company, c.email, "
            f"c.phone, c.time_zone, c.{switch_column(channel)}, "
            "EXISTS (SELECT 1 FROM opt_outs AS o WHERE o.channel = :channel "
            f"AND o.address = {address}) "
            f"FROM contacts AS c WHERE {' OR '.join(conditions)} ORDER BY c.id",
            params,
        )
        return [
            AudienceRow(
                int(row[0]), *(str(value) for value in row[1:8]), bool(row[8]), bool(row[9])
            )
            for row in rows
        ]

    def add_recipients(self, campaign_id: int, rows: Sequence[RecipientRow]) -> None:
        self._sql.many(
            "INSERT INTO campaign_recipients "
            "(campaign_id, contact_id, position, name, address, left_out_reason) "
            "VALUES (:campaign, :contact, :position, :name, :address, :reason)",
            [
                {
                    "campaign": campaign_id,
                    "contact": row.contact_id,
                    "position": row.position,
                    "name": row.name,
                    "address": row.address,
                    "reason": row.left_out_reason,
                }
                for row in rows
            ],
        )
        self._sql.run(
            "UPDATE campaign_recipients SET outbox_id = o.id FROM outbox AS o "
            "WHERE campaign_recipients.campaign_id = :campaign "
            "AND campaign_recipients.left_out_reason = '' "
            "AND o.campaign_id = :campaign AND o.contact_id = campaign_recipients.contact_id",
            {"campaign": campaign_id},
        )

    def outbox_ids(self, campaign_id: int) -> dict[int, int]:
        rows = self._sql.tuples(
            "SELECT contact_id, outbox_id FROM campaign_recipients "
            "WHERE campaign_id = ? AND outbox_id IS NOT NULL",
            (campaign_id,),
        )
        return {int(contact_id): int(outbox_id) for contact_id, outbox_id in rows}

    def recipients(self, campaign_id: int, limit: int) -> list[RecipientStatus]:
        rows = self._sql.tuples(
            "SELECT r.contact_id, r.name, r.address, o.state, r.left_out_reason, "
            "coalesce(o.last_error_code, ''), coalesce(o.last_error, ''), "
            "coalesce(o.last_error_hint, ''), o.next_attempt_at, r.outbox_id "
            "FROM campaign_recipients AS r LEFT JOIN outbox AS o ON o.id = r.outbox_id "
            "WHERE r.campaign_id = ? ORDER BY r.position LIMIT ?",
            (campaign_id, limit),
        )
        return [
            RecipientStatus(
                contact_id=int(row[0]),
                name=str(row[1]),
                address=str(row[2]),
                state=OutboxState(row[3]) if row[3] else None,
                left_out_reason=str(row[4]),
                error_code=str(row[5]),
                error=str(row[6]),
                hint=str(row[7]),
                due_at=to_instant(row[8]) if row[3] == "pending" else None,
                outbox_id=row[9],
            )
            for row in rows
        ]

    def progress(self, campaign_ids: Sequence[int]) -> dict[int, CampaignProgress]:
        counts: dict[int, dict[str, int]] = {int(i): {} for i in campaign_ids}
        for campaign_id, state, count in self._sql.tuples(
            "SELECT campaign_id, state, count(*) FROM outbox "
            "WHERE campaign_id IN (SELECT value FROM json_each(?)) GROUP BY campaign_id, state",
            (_ids(campaign_ids),),
        ):
            counts[int(campaign_id)][str(state)] = int(count)
        for campaign_id, count in self._sql.tuples(
            "SELECT campaign_id, count(*) FROM campaign_recipients "
            "WHERE campaign_id IN (SELECT value FROM json_each(?)) AND left_out_reason != '' "
            "GROUP BY campaign_id",
            (_ids(campaign_ids),),
        ):
            counts[int(campaign_id)]["left_out"] = int(count)
        return {
            campaign_id: CampaignProgress(
                queued=sum(found.get(state, 0) for state in _OPEN),
                sent=found.get("sent", 0),
                delivered=found.get("delivered", 0),
                failed=found.get("failed", 0),
                left_out=found.get("left_out", 0),
                cancelled=found.get("cancelled", 0),
                unknown=found.get("unknown", 0),
            )
            for campaign_id, found in counts.items()
        }

    def open_rows(self, campaign_ids: Sequence[int]) -> dict[int, int]:
        found = dict.fromkeys((int(i) for i in campaign_ids), 0)
        for campaign_id, count in self._sql.tuples(
            "SELECT campaign_id, count(*) FROM outbox "
            "WHERE campaign_id IN (SELECT value FROM json_each(?)) "
            "AND state IN ('pending', 'sending', 'unknown') GROUP BY campaign_id",
            (_ids(campaign_ids),),
        ):
            found[int(campaign_id)] = int(count)
        return found

    def do_not_contact(self, contact_ids: Sequence[int], channel: Channel) -> set[int]:
        rows = self._sql.tuples(
            f"SELECT id FROM contacts WHERE {switch_column(channel)} = 1 "
            "AND id IN (SELECT value FROM json_each(?))",
            (_ids(contact_ids),),
        )
        return {int(row[0]) for row in rows}

    def contacts_now(self, contact_ids: Sequence[int]) -> dict[int, ContactNow]:
        rows = self._sql.tuples(
            "SELECT id, time_zone, phone, email FROM contacts "
            "WHERE id IN (SELECT value FROM json_each(?))",
            (_ids(contact_ids),),
        )
        return {
            int(row[0]): ContactNow(str(row[1] or ""), str(row[2] or ""), str(row[3] or ""))
            for row in rows
        }

    # A claimed row taking its contact's new address (services/campaign_gate.py) ----------

    def shares_address(self, campaign_id: int, outbox_id: int, recipient: str) -> bool:
        """Another row of the campaign goes, went or may have gone to `recipient` (any case).

        Cancelled and failed rows do not count: they reached nobody. Nor does a row that will
        itself move when claimed (never attempted, its contact's address now another): two
        contacts whose numbers were swapped each get the campaign at their new number. Such a
        row is pending, or sending in this row's own claim and not judged yet (a judged one
        has its contact's address, or was written back); a sending row of another claim may
        be at the provider and counts. Case is compared as the build compares it (casefold,
        non-ASCII letters included).
        """
        wanted = recipient.strip()
        rows = self._sql.tuples(
            "SELECT other.recipient FROM outbox AS other JOIN outbox AS this "
            "ON this.id = :id AND other.channel = this.channel "
            "LEFT JOIN contacts AS c ON c.id = other.contact_id "
            "WHERE other.campaign_id = :campaign AND other.id != :id "
            "AND other.state NOT IN ('cancelled', 'failed') "
            # SQLite's lower() folds ASCII only: a non-ASCII address is compared below.
            "AND (lower(other.recipient) = lower(:recipient) OR :wide "
            "OR length(other.recipient) != length(CAST(other.recipient AS BLOB))) "
            "AND NOT ((other.state = 'pending' OR (other.state = 'sending' "
            "AND other.attempt_started_at IS this.attempt_started_at "
            "AND other.claimed_by IS this.claimed_by)) AND other.attempts = 0 "
            "AND other.provider_id = '' AND c.id IS NOT NULL "
            "AND trim(coalesce(CASE other.channel WHEN 'email' THEN c.email ELSE c.phone END, ''))"
            " != CASE WHEN other.recipient LIKE 'whatsapp:%' "
            "THEN substr(other.recipient, 10) ELSE other.recipient END)",
            {
                "campaign": campaign_id,
                "id": outbox_id,
                "recipient": wanted,
                "wide": int(not wanted.isascii()),
            },
        )
        folded = wanted.casefold()
        return any(str(row[0]).strip().casefold() == folded for row in rows)

    def readdress(
        self, outbox_id: int, recipient: str, payload: dict[str, object], now: datetime
    ) -> None:
        """Send the row to `recipient` with `payload`; its recipient list and thread rows follow."""
        recipient = recipient.strip()
        self._sql.run(
            "UPDATE outbox SET recipient = :recipient, payload = :payload, updated_at = :now "
            "WHERE id = :id",
            {
                "recipient": recipient,
                "payload": json.dumps(
                    payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True
                ),
                "now": instant_text(now),
                "id": outbox_id,
            },
        )
        address = recipient.removeprefix("whatsapp:")  # as the thread and the list show it
        params = {"address": address, "id": outbox_id}
        self._sql.run(
            "UPDATE campaign_recipients SET address = :address WHERE outbox_id = :id", params
        )
        self._sql.run("UPDATE messages SET address = :address WHERE outbox_id = :id", params)

    def waits_in_line(self, outbox_id: int) -> bool:
        """An earlier open message to the row's recipient goes first (the claim's own rule)."""
        found = self._sql.scalar(
            f"SELECT NOT {_HEAD_OF_LINE} FROM outbox WHERE id = :id", {"id": outbox_id}
        )
        return bool(found)

    # The campaign's outbox rows (only pending ones move: sent stays sent) -----------------

    def pending(self, campaign_id: int) -> list[PendingRow]:
        rows = self._sql.tuples(
            "SELECT id, coalesce(json_extract(extra, '$.time_zone'), '') FROM outbox "
            "WHERE campaign_id = ? AND state = 'pending' ORDER BY id",
            (campaign_id,),
        )
        return [PendingRow(int(row[0]), str(row[1])) for row in rows]

    def reschedule(
        self, due: Sequence[tuple[int, datetime]], now: datetime, hint: str = ""
    ) -> None:
        stamp = instant_text(now)
        self._sql.many(
            "UPDATE outbox SET next_attempt_at = :due, updated_at = :now, last_error_hint = :hint "
            "WHERE id = :id AND state = 'pending'",
            [
                {"id": outbox_id, "due": due_text(when), "now": stamp, "hint": hint}
                for outbox_id, when in due
            ],
        )

    def hold_due(self, campaign_id: int, now: datetime, until: datetime, hint: str) -> int:
        """Move the campaign's pending rows due by `now` to `until` in one write."""
        result = self._sql.run(
            "UPDATE outbox SET next_attempt_at = :until, updated_at = :now, "
            "last_error_hint = :hint WHERE campaign_id = :campaign AND state = 'pending' "
            "AND next_attempt_at <= :due",
            {
                "until": due_text(until),
                "now": instant_text(now),
                "hint": hint,
                "campaign": campaign_id,
                "due": due_text(now),
            },
        )
        return max(result.rowcount, 0)

    def cancel_pending(self, campaign_id: int, now: datetime) -> int:
        result = self._sql.run(
            "UPDATE outbox SET state = 'cancelled', updated_at = :now, "
            "last_error_code = 'campaign_cancelled', "
            "last_error = 'The campaign was cancelled before this message was sent', "
            "last_error_hint = '' WHERE campaign_id = :campaign AND state = 'pending'",
            {"now": instant_text(now), "campaign": campaign_id},
        )
        return max(result.rowcount, 0)
