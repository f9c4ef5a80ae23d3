"""Ports for delivery receipts: what the carrier finally did with a text the provider took."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from leadcartel_desktop.domain.outbox import Channel


@dataclass(frozen=True, slots=True)
class DeliveryReceipt:
    """A final answer for one message: delivered (or read), or failed with the carrier's code."""

    provider_id: str
    delivered: bool
    code: str = ""
    message: str = ""
    hint: str = ""


@dataclass(frozen=True, slots=True)
class AwaitingReceipt:
    """A sent SMS or WhatsApp message whose fate the provider has not told us yet."""

    outbox_id: int
    channel: Channel
    provider_id: str
    sent_at: datetime


class ReceiptSource(Protocol):
    """One provider's record of the messages it took (Twilio's message list)."""

    name: str
    channels: frozenset[Channel]

    def receipts(self, since: datetime, wanted: Collection[str]) -> list[DeliveryReceipt]:
        """Final states of the `wanted` provider ids among messages sent since `since`.

        Messages still on their way are left out; UserFacingError on failure.
        """
        ...


class ReceiptRepository(Protocol):
    def awaiting(self, since: datetime, limit: int) -> list[AwaitingReceipt]:
        """Sent SMS and WhatsApp rows with a provider id, sent at or after `since`, oldest first."""
        ...

    def settle(self, outbox_id: int, receipt: DeliveryReceipt, now: datetime) -> bool:
        """Delivered or failed, only while the row is still "sent"; whether it changed."""
        ...


def no_receipt_sources() -> Sequence[ReceiptSource]:
    return ()
