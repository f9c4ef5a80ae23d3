"""The opt-out register: addresses that asked for no more messages on a channel."""

from __future__ import annotations

from datetime import datetime

from leadcartel_desktop.domain.consent import ConsentChange, reply_consent
from leadcartel_desktop.domain.outbox import Channel
from leadcartel_desktop.storage.convert import instant_text
from leadcartel_desktop.storage.sql import Statements


class SqlOptOutRegister:
    """Addresses compare without case (the column is NOCASE).

    A row keeps the time and reason of the latest opt-out it records (`created_at` moves
    forward, never back): a reply's START is weighed against that time.
    """

    def __init__(self, sql: Statements) -> None:
        self._sql = sql

    def add(self, channel: Channel, address: str, reason: str, now: datetime) -> None:
        self._sql.run(
            "INSERT INTO opt_outs (channel, address, reason, created_at) "
            "VALUES (:channel, :address, :reason, :now) "
            "ON CONFLICT (channel, address) DO UPDATE SET "
            "reason = excluded.reason, created_at = excluded.created_at "
            "WHERE excluded.created_at > opt_outs.created_at",
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

    def apply_reply(
        self, channel: Channel, address: str, change: ConsentChange, at: datetime
    ) -> bool:
        """STOP or START from a reply written at `at`, unless a later consent change is known.

        Known later changes: an opt-out recorded here with a later time (a later STOP, a
        21610 refusal, the operator's unsubscribe), or a later reply from the same address
        on the channel that is itself a keyword (read from the stored replies, where a START
        leaves its trace once its register row is gone). The reply itself is stored before
        this runs; replies at the very same instant are applied in the order given.
        """
        if self._later_change(channel, address.strip(), at):
            return False
        if change.opted_out:
            self.add(channel, address, f"replied {change.keyword}", at)
        else:
            self.remove(channel, address)
        return True

    def _later_change(self, channel: Channel, address: str, at: datetime) -> bool:
        when = instant_text(at)
        params = {"channel": channel.value, "address": address, "at": when}
        opted_out_at = self._sql.scalar(
            "SELECT created_at FROM opt_outs WHERE channel = :channel AND address = :address",
            params,
        )
        if opted_out_at is not None and str(opted_out_at) > when:
            return True
        # ix_messages_inbound (channel, address, at) covers it: a few rows at most.
        later = self._sql.run(
            "SELECT body, subject FROM messages WHERE direction = 'in' "
            "AND channel = :channel AND address = :address AND at > :at",
            params,
        )
        email = channel is Channel.EMAIL
        return any(
            reply_consent(str(body), str(subject), email=email) is not None
            for body, subject in later
        )

    def is_opted_out(self, channel: Channel, address: str) -> bool:
        found = self._sql.scalar(
            "SELECT 1 FROM opt_outs WHERE channel = :channel AND address = :address",
            {"channel": channel.value, "address": address.strip()},
        )
        return found is not None
