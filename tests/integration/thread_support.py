"""Helpers for the conversations tests: contacts, inbound messages written as a pull would."""

from __future__ import annotations

from datetime import datetime
from itertools import count

from leadcartel_desktop.app import AppContext
from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.domain.outbox import Channel
from leadcartel_desktop.services.thread_ports import InboundMessage

_ids = count(1)


def ada(context: AppContext, phone: str = "+6591234567", email: str = "ada@example.com") -> int:
    made = context.services.contacts.create(Contact("Ada", "Lovelace", email, phone=phone))
    assert made.id is not None
    return made.id


def store_inbound(
    context: AppContext,
    address: str,
    body: str,
    at: datetime,
    channel: Channel = Channel.SMS,
) -> int | None:
    """An inbound message stored as the pull stores it (matched to its contact by address)."""
    message = InboundMessage(channel, f"SM{next(_ids):032d}", address, body, at)
    with context.database.unit_of_work() as uow:
        contact_id = uow.messages.contact_for(channel, address)
        stored = uow.messages.add_inbound(message, contact_id)
        uow.commit()
    return stored
