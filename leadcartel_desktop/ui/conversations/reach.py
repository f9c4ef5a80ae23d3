"""Which channels a contact can be written on now, and why not (read off the GUI thread)."""

from __future__ import annotations

from dataclasses import dataclass

from leadcartel_desktop.domain.outbox import Channel
from leadcartel_desktop.services.registry import Services
from leadcartel_desktop.ui.conversations.texts import channel_name

COMPOSE_CHANNELS = (Channel.SMS, Channel.WHATSAPP, Channel.EMAIL)


@dataclass(frozen=True, slots=True)
class ChannelOption:
    channel: Channel
    address: str
    reason: str = ""  # why it cannot be used; '' when it can

    @property
    def usable(self) -> bool:
        return not self.reason


@dataclass(frozen=True, slots=True)
class ContactReach:
    contact_id: int
    name: str
    options: tuple[ChannelOption, ...]
    whatsapp_needs_template: bool

    def option(self, channel: Channel) -> ChannelOption | None:
        return next((option for option in self.options if option.channel is channel), None)


def reach_of(services: Services, contact_id: int) -> ContactReach:
    """A contact's channels: an address, not opted out, not marked do not contact.

    Runs in a worker: four small reads. The compose service checks all of it again when the
    message is queued, and the outbox when it is sent; this is only what the picker shows.
    """
    contact = services.contacts.get(contact_id)
    blocked = services.contact_tags.reach(contact_id).do_not_contact
    options: list[ChannelOption] = []
    for channel in COMPOSE_CHANNELS:
        address = contact.email if channel is Channel.EMAIL else contact.phone
        name = channel_name(channel)
        reason = ""
        if not address:
            reason = "no email address" if channel is Channel.EMAIL else "no mobile number"
        elif services.threads.is_opted_out(channel, address):
            reason = f"opted out of {name} (they can reply START to opt back in)"
        elif channel in blocked:
            reason = f"marked do not contact for {name}"
        options.append(ChannelOption(channel, address, reason))
    needs_template = services.threads.needs_whatsapp_template(contact_id)
    return ContactReach(contact_id, contact.display_name, tuple(options), needs_template)
