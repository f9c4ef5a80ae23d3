"""Delivery receipts in the outbox table: which sent texts await one, and settling them."""

from __future__ import annotations

from datetime import datetime

from leadcartel_desktop.domain.outbox import Channel
from leadcartel_desktop.services.receipt_ports import AwaitingReceipt, DeliveryReceipt
from leadcartel_desktop.storage.convert import instant_text, to_instant
from leadcartel_desktop.storage.sql import Statements

_AWAITING = (
    "SELECT id, channel, provider_id, sent_at FROM outbox "
    "INDEXED BY ix_outbox_awaiting_receipt "
    "WHERE state = 'sent' AND channel IN ('sms', 'whatsapp') AND provider_id != '' "
    "AND sent_at >= ? ORDER BY sent_at LIMIT ?"
)
# Only a row still "sent" moves: a receipt never undoes what the operator or a newer answer did.
_SETTLE = (
    "UPDATE outbox SET state = :state, last_error_code = :code, last_error = :error, "
    "last_error_hint = :hint, updated_at = :now WHERE id = :id AND state = 'sent'"
)


class SqlReceiptRepository:
    def __init__(self, sql: Statements) -> None:
        self._sql = sql

    def awaiting(self, since: datetime, limit: int) -> list[AwaitingReceipt]:
        rows = self._sql.tuples(_AWAITING, (instant_text(since), limit))
        return [
            AwaitingReceipt(
                int(outbox_id), Channel(channel), str(provider_id), to_instant(sent) or since
            )
            for outbox_id, channel, provider_id, sent in rows
        ]

    def settle(self, outbox_id: int, receipt: DeliveryReceipt, now: datetime) -> bool:
        params = {
            "state": "delivered" if receipt.delivered else "failed",
            "code": "" if receipt.delivered else receipt.code,
            "error": "" if receipt.delivered else receipt.message,
            "hint": "" if receipt.delivered else receipt.hint,
            "now": instant_text(now),
            "id": outbox_id,
        }
        return self._sql.run(_SETTLE, params).rowcount == 1
