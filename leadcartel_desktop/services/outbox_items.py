"""A message to queue: its idempotency key is fixed here, once, never per attempt."""

from __future__ import annotations

from datetime import datetime
from uuid import uuid4

from leadcartel_desktop.domain.outbox import Channel
from leadcartel_desktop.services.messaging_ports import NewOutboxItem


def new_item(
    channel: Channel,
    recipient: str,
    payload: dict[str, object],
    *,
    cause: str | None = None,
    invoice_id: int | None = None,
    campaign_id: int | None = None,
    contact_id: int | None = None,
    not_before: datetime | None = None,
    extra: dict[str, str] | None = None,
) -> NewOutboxItem:
    """A message to queue, its idempotency key fixed here, once.

    `cause` (e.g. "invoice:42:email:1") becomes the key, so queueing the same cause twice
    (a double click) makes one row; without a cause the key is random.
    """
    return NewOutboxItem(
        channel=channel,
        recipient=recipient,
        payload=payload,
        idempotency_key=cause or f"uuid:{uuid4()}",
        invoice_id=invoice_id,
        campaign_id=campaign_id,
        contact_id=contact_id,
        not_before=not_before,
        extra=extra or {},
    )
