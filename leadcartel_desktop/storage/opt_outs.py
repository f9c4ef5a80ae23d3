"""The opt-out register: addresses that asked for no more messages on a channel."""

from __future__ import annotations

from datetime import datetime

from leadcartel_desktop.domain.outbox import Channel
from leadcartel_desktop.storage.convert import instant_text
from leadcartel_desktop.storage.sql import Statements


class SqlOptOutRegister:
    """Addresses compare without case (the column is NOCASE); the first reason is kept."""

    def __init__(self, sql: Statements) -> None:
        self._sql = sql

    def add(self, channel: Channel, address: str, reason: str, now: datetime) -> None:
        self._sql.run(
            "INSERT INTO opt_outs (channel, address, reason, created_at) "
            "VALUES (:channel, :address, :reason, :now) "
            "ON CONFLICT (channel, address) DO NOTHING",
            {
                "channel": channel.value,
                "address": address.strip(),
                "reason": reason,
                "now": instant_text(now),
            },
        )

    def remove(self, channel: Channel, address: str) -> None:
        self._sql.run(
            "DELETE FROM opt_outs WHERE channel = :channel AND address = :address",
            {"channel": channel.value, "address": address.strip()},
        )

    def is_opted_out(self, channel: Channel, address: str) -> bool:
        found = self._sql.scalar(
            "SELECT 1 FROM opt_outs WHERE channel = :channel AND address = :address",
            {"channel": channel.value, "address": address.strip()},
        )
        return found is not None
