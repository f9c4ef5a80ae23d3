"""The demo book's conversations: tags, two saved groups, and replies customers sent.

Only replies: the demo never queues a message, so setting up a real provider later cannot
send anything to the made-up customers.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import timedelta

from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.domain.contact_groups import GroupDefinition
from leadcartel_desktop.domain.outbox import Channel
from leadcartel_desktop.services.registry import Services
from leadcartel_desktop.services.thread_ports import InboundMessage

REPLIES = (
    (Channel.SMS, "", "Hi! Got the invoice, thanks. I'll pay it on Friday."),
    (Channel.WHATSAPP, "", "Could you send the files as PDF as well? 🙏"),
    (Channel.EMAIL, "Re: Your invoice", "Thank you, the transfer went out this morning."),
    (Channel.SMS, "", "Is the quote still valid for next month?"),
    (Channel.WHATSAPP, "", "Perfect, see you Tuesday at 10."),
    (Channel.EMAIL, "Question about the proposal", "Can we add two more pages to the brochure?"),
    (Channel.SMS, "", "Thanks for the reminder, paid just now."),
)


def load_demo_conversations(
    services: Services, contact_ids: Sequence[int], rng: random.Random
) -> int:
    """Tag the customers, save groups over the tags, store a few replies; returns replies kept."""
    contacts = [services.contacts.get(contact_id) for contact_id in contact_ids]
    tagged = sorted(contact_ids)
    services.contact_tags.tag(rng.sample(tagged, min(6, len(tagged))), "vip")
    services.contact_tags.tag(rng.sample(tagged, min(18, len(tagged))), "newsletter")
    with_company = [c.id for c in contacts if c.company and c.id is not None]
    if with_company:
        services.contact_tags.tag(with_company, "business")
    services.groups.create("VIP customers", GroupDefinition(any_tags=frozenset({"vip"})))
    services.groups.create(
        "Newsletter by email",
        GroupDefinition(any_tags=frozenset({"newsletter"}), has_email=True),
    )
    now = services.clock.now()
    messages: list[InboundMessage] = []
    writers = [c for c in contacts if c.phone and c.email]
    for number, (channel, subject, body) in enumerate(REPLIES):
        if not writers:
            break
        contact = writers[number % len(writers)]
        messages.append(
            InboundMessage(
                channel=channel,
                provider_id=f"demo-reply-{number + 1}",
                address=_address(contact, channel),
                body=body,
                at=now - timedelta(days=rng.randint(0, 6), minutes=rng.randint(5, 600)),
                subject=subject,
            )
        )
    return services.inbound.store(messages).new


def _address(contact: Contact, channel: Channel) -> str:
    return contact.email if channel is Channel.EMAIL else contact.phone
