"""Delivery receipts through the Lead Cartel cloud: each sent text's message, asked for by id.

The cloud has no list of one's own outbound messages across conversations, so each text is
one GET; a pull asks about at most MAX_PER_PULL of them, drawn at random when there are more,
so texts that never get a final status (or were deleted there) cannot hold the others back.
"""

from __future__ import annotations

import random
from collections.abc import Collection
from datetime import datetime

from leadcartel_desktop.domain.outbox import Channel
from leadcartel_desktop.providers.cloud import CloudClient, CloudError
from leadcartel_desktop.services.receipt_ports import DeliveryReceipt

MAX_PER_PULL = 200
DELIVERED = frozenset({"delivered", "read", "opened"})
FAILED = frozenset({"failed", "undelivered"})


class CloudReceipts:
    """Receipts for the texting channels the cloud account carries."""

    name = "Lead Cartel"

    def __init__(self, client: CloudClient, channels: Collection[Channel]) -> None:
        self.client = client
        self.channels = frozenset(channels)

    def receipts(self, since: datetime, wanted: Collection[str]) -> list[DeliveryReceipt]:
        found: list[DeliveryReceipt] = []
        asked = list(wanted)
        if len(asked) > MAX_PER_PULL:
            asked = random.sample(asked, MAX_PER_PULL)
        for message_id in asked:
            try:
                message = self.client.get_message(message_id)
            except CloudError as error:
                if error.outcome.code == "404":
                    continue  # deleted in the cloud: nothing will ever be known
                if found:
                    break  # keep what came back; the next pull asks again
                raise
            status = str(message.get("status") or "").lower()
            if status in DELIVERED:
                found.append(DeliveryReceipt(message_id, delivered=True))
            elif status in FAILED:
                said = str(message.get("error") or "").strip()
                text = f"The carrier did not deliver it (Lead Cartel: {status})"
                found.append(
                    DeliveryReceipt(
                        message_id,
                        delivered=False,
                        code=status,
                        message=f"{text}: {said}" if said else f"{text}.",
                        hint="Check the number with the customer, then send again.",
                    )
                )
        return found
