"""Which channels a contact can be written on now, and why not (read off the GUI thread)."""

from __future__ import annotations

from dataclasses import dataclass

from leadcartel_desktop.domain.outbox import Channel
from leadcartel_desktop.services.registry import Services
from leadcartel_desktop.services.thread_views import ComposeOption

# The channel picker's short words for ComposeOption.refusal (the full reason is its tooltip).
REFUSALS = {"opted_out": "opted out", "do_not_contact": "do not contact"}


def refusal_words(option: ComposeOption) -> str:
    if option.refusal == "no_address":
        return "no email address" if option.channel is Channel.EMAIL else "no phone number"
    return REFUSALS.get(option.refusal, option.refusal.replace("_", " "))


@dataclass(frozen=True, slots=True)
class ContactReach:
    contact_id: int
    name: str
    options: tuple[ComposeOption, ...]

    def option(self, channel: Channel) -> ComposeOption | None:
        return next((option for option in self.options if option.channel is channel), None)

    @property
    def whatsapp_needs_template(self) -> bool:
        option = self.option(Channel.WHATSAPP)
        return option is not None and option.needs_template


def reach_of(services: Services, contact_id: int, name: str) -> ContactReach:
    """The compose box's channels (the same checks compose makes when it queues)."""
    return ContactReach(contact_id, name, tuple(services.threads.compose_options(contact_id)))
