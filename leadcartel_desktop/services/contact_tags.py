"""Contact tags, time zones and do-not-contact switches: what campaigns read about a contact."""

from __future__ import annotations

from collections.abc import Sequence

from leadcartel_desktop.domain.campaigns import CAMPAIGN_CHANNELS
from leadcartel_desktop.domain.contact_groups import clean_tag
from leadcartel_desktop.domain.errors import NotFoundError, ValidationError
from leadcartel_desktop.domain.outbox import Channel
from leadcartel_desktop.domain.send_windows import zone
from leadcartel_desktop.services.campaign_views import ContactReach, TagCount
from leadcartel_desktop.services.ports import UnitOfWork, UnitOfWorkFactory


class ContactTagService:
    def __init__(self, unit_of_work: UnitOfWorkFactory) -> None:
        self._uow = unit_of_work

    def tag(self, contact_ids: Sequence[int], tag: str) -> int:
        """Add `tag` to the contacts (case-blind: 'VIP' and 'vip', 'Élite' and 'élite' are one).

        A tag some contact already has keeps that spelling (tag_key decides what is the same).
        Returns how many contacts gained it; refused when a contact does not exist.
        """
        cleaned = clean_tag(tag)
        with self._uow() as uow:
            self._require(uow, contact_ids)
            added = uow.contact_tags.tag(contact_ids, cleaned)
            uow.commit()
        return added

    def untag(self, contact_ids: Sequence[int], tag: str) -> int:
        """Remove `tag` (any case) from the contacts; returns how many lost it."""
        cleaned = clean_tag(tag)
        with self._uow() as uow:
            removed = uow.contact_tags.untag(contact_ids, cleaned)
            uow.commit()
        return removed

    def tags(self) -> list[TagCount]:
        with self._uow(read_only=True) as uow:
            return uow.contact_tags.tags()

    def reach(self, contact_id: int) -> ContactReach:
        """The contact's tags, time zone and do-not-contact switches."""
        with self._uow(read_only=True) as uow:
            return uow.contact_tags.reach(contact_id)

    def set_do_not_contact(self, contact_id: int, channel: Channel, on: bool) -> None:
        """Campaigns leave the contact out on `channel`; messages already queued are not sent."""
        if channel not in CAMPAIGN_CHANNELS:
            raise ValidationError("Do not contact", f"{channel.value} has no switch")
        with self._uow() as uow:
            uow.contact_tags.set_do_not_contact(contact_id, channel, on)
            uow.commit()

    def set_time_zone(self, contact_id: int, time_zone: str) -> None:
        """The contact's IANA zone for quiet hours; '' uses the business's."""
        name = zone(time_zone).key if time_zone.strip() else ""  # stored as the list names it
        with self._uow() as uow:
            uow.contact_tags.set_time_zone(contact_id, name)
            uow.commit()

    @staticmethod
    def _require(uow: UnitOfWork, contact_ids: Sequence[int]) -> None:
        if not contact_ids:
            raise ValidationError("Contacts", "choose at least one contact")
        missing = set(contact_ids) - uow.contact_tags.existing(contact_ids)
        if missing:
            raise NotFoundError(f"Contact {min(missing)} was not found")
