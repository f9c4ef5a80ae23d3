"""Conversations: each contact's thread of messages in and out, one-to-one compose, consent."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from leadcartel_desktop.domain.campaigns import TEXT_LIMIT
from leadcartel_desktop.domain.contact import Contact, is_e164
from leadcartel_desktop.domain.errors import UserFacingError, ValidationError
from leadcartel_desktop.domain.outbox import Channel
from leadcartel_desktop.domain.providers import ProviderKind
from leadcartel_desktop.domain.whatsapp import (
    TEMPLATE_FIELD,
    TEMPLATE_ID_KEY,
    TEMPLATE_VARIABLES_KEY,
    VARIABLES_FIELD,
    check_template_id,
    needs_template,
)
from leadcartel_desktop.services.campaign_build import CONTACT_KEY
from leadcartel_desktop.services.outbox import OutboxService
from leadcartel_desktop.services.outbox_items import new_item
from leadcartel_desktop.services.outbox_recorder import register_address
from leadcartel_desktop.services.ports import Clock, UnitOfWork, UnitOfWorkFactory
from leadcartel_desktop.services.thread_ports import OutboundRow
from leadcartel_desktop.services.thread_views import (
    ComposeOption,
    ThreadMessage,
    ThreadSummary,
    WhatsAppTemplate,
)

MESSAGE_CHANNELS = (Channel.SMS, Channel.WHATSAPP, Channel.EMAIL)
SUMMARY_LIMIT = 500
CHANNEL_NAMES = {Channel.SMS: "SMS", Channel.WHATSAPP: "WhatsApp", Channel.EMAIL: "email"}
OUTSIDE_WINDOW = (
    "More than 24 hours have passed since this contact's last WhatsApp message (or they never "
    "wrote): WhatsApp allows only an approved template now; choose one (its id and variables)."
)
# Whether a contact is marked do-not-contact on a channel; called in the compose transaction.
DoNotContact = Callable[[UnitOfWork, int, Channel], bool]


class ComposeRefusedError(UserFacingError):
    """A one-to-one message that may not be queued; `reason` is a short code for the UI."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def stored_do_not_contact(uow: UnitOfWork, contact_id: int, channel: Channel) -> bool:
    """The contact's do-not-contact switch for `channel` (the same one campaigns honour)."""
    return contact_id in uow.campaigns.do_not_contact([contact_id], channel)


def record_outbound_in(
    uow: UnitOfWork,
    contact_id: int | None,
    channel: Channel,
    outbox_id: int,
    body: str,
    *,
    subject: str = "",
    campaign_id: int | None = None,
) -> None:
    """Write the thread's row for a message just queued, in the caller's transaction.

    Its time and address are the outbox row's; recording one outbox row twice keeps one.
    """
    uow.messages.add_outbound([OutboundRow(contact_id, channel, outbox_id, body, subject,
                                           campaign_id)])  # fmt: skip


def record_outbound_many_in(uow: UnitOfWork, rows: Sequence[OutboundRow]) -> None:
    """record_outbound_in for many rows in one executemany (a campaign's build)."""
    uow.messages.add_outbound(rows)


def _address(contact: Contact, channel: Channel) -> str:
    return contact.email if channel is Channel.EMAIL else contact.phone


def _last_whatsapp_inbound(uow: UnitOfWork, contact: Contact) -> datetime | None:
    """When the contact's number, as stored now, last wrote on WhatsApp (None: never).

    By address, not contact id: WhatsApp opens the window for the number that wrote, so a
    window opened by a contact's old number does not open it for the new one (as campaigns
    and the send-time check judge it).
    """
    if not contact.phone.strip():
        return None
    address = register_address(contact.phone)
    return uow.messages.last_inbound_at(Channel.WHATSAPP, address=address)


class StoredInboundMessages:
    """whatsapp_sending.InboundMessages from the messages table (the Send dialog's window)."""

    def __init__(self, unit_of_work: UnitOfWorkFactory) -> None:
        self._uow = unit_of_work

    def last_inbound_at(self, channel: Channel, address: str) -> datetime | None:
        with self._uow(read_only=True) as uow:
            return uow.messages.last_inbound_at(channel, address=register_address(address))


class ThreadService:
    """Threads per contact, newest last, each outbound message's status read from the outbox."""

    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory,
        clock: Clock,
        outbox: OutboxService,
        do_not_contact: DoNotContact = stored_do_not_contact,
    ) -> None:
        self._uow = unit_of_work
        self._clock = clock
        self._outbox = outbox
        self._do_not_contact = do_not_contact

    # Reading ------------------------------------------------------------------------------
    def thread(
        self, contact_id: int, limit: int | None = None, before: int | None = None
    ) -> list[ThreadMessage]:
        """The contact's messages, newest last.

        The latest `limit` (all when None), older than message `before` when given (paging).
        """
        with self._uow(read_only=True) as uow:
            return uow.messages.thread(contact_id, "", limit, before)

    def unmatched_thread(
        self, address: str, limit: int | None = None, before: int | None = None
    ) -> list[ThreadMessage]:
        """Messages from a sender no contact matches (a ThreadSummary with contact_id None)."""
        with self._uow(read_only=True) as uow:
            return uow.messages.thread(None, address, limit, before)

    def threads(self, limit: int = SUMMARY_LIMIT) -> list[ThreadSummary]:
        """The conversations list: one row per contact (or unmatched sender), recent first."""
        with self._uow(read_only=True) as uow:
            return uow.messages.summaries(limit)

    def mark_read(self, contact_id: int) -> int:
        """The contact's inbound messages are read; returns how many were unread."""
        return self._mark_read(contact_id, "")

    def mark_unmatched_read(self, address: str) -> int:
        return self._mark_read(None, address)

    def _mark_read(self, contact_id: int | None, address: str) -> int:
        with self._uow() as uow:
            count = uow.messages.mark_read(contact_id, address)
            uow.commit()
        return count

    def last_inbound_at(
        self, contact_id: int, channel: Channel = Channel.WHATSAPP
    ) -> datetime | None:
        """When the contact's current address on `channel` last wrote (None: never).

        Judged by the address a message would go to now, not by the contact's thread: a
        reply from a number the contact no longer has does not count.
        """
        with self._uow(read_only=True) as uow:
            contact = uow.contacts.get(contact_id)
            address = _address(contact, channel)
            if not address.strip():
                return None
            return uow.messages.last_inbound_at(channel, address=register_address(address))

    def needs_whatsapp_template(self, contact_id: int) -> bool:
        """True when a WhatsApp message to the contact must be an approved template now."""
        with self._uow(read_only=True) as uow:
            last = _last_whatsapp_inbound(uow, uow.contacts.get(contact_id))
        return needs_template(last, self._clock.now())

    # Consent ------------------------------------------------------------------------------
    def is_opted_out(self, channel: Channel, address: str) -> bool:
        return self._outbox.is_opted_out(channel, address)

    def unsubscribe(self, channel: Channel, address: str, reason: str = "unsubscribed") -> None:
        """Put `address` on the opt-out register for `channel` (an unsubscribe link, the UI).

        Queued messages to it are cancelled when their turn comes.
        """
        if not address.strip():
            raise ValidationError("Address", "enter the address to unsubscribe")
        with self._uow() as uow:
            uow.opt_outs.add(channel, register_address(address), reason, self._clock.now())
            uow.commit()
        self._outbox.changed()

    def resubscribe(self, channel: Channel, address: str) -> None:
        """Take `address` off the register (only when the person asked to receive again)."""
        with self._uow() as uow:
            uow.opt_outs.remove(channel, register_address(address))
            uow.commit()

    # Compose ------------------------------------------------------------------------------
    def compose(
        self,
        contact_id: int,
        channel: Channel,
        body: str,
        subject: str = "",
        whatsapp_template: WhatsAppTemplate | None = None,
        *,
        draft_key: str | None = None,
    ) -> int:
        """Queue a one-to-one message; returns its thread message id.

        Refused (ComposeRefusedError, ValidationError) when the contact has no phone or email,
        a phone number not in E.164 form, opted out, is marked do-not-contact, or WhatsApp's
        24-hour window is closed and no template is given. `draft_key` (one per compose box)
        makes a double click one message. The row names the contact (CONTACT_KEY), so the
        outbox checks do-not-contact again when it goes, as it does for campaign rows.
        """
        if channel not in MESSAGE_CHANNELS:
            raise ValidationError("Channel", "choose SMS, WhatsApp or email")
        with self._uow() as uow:
            contact = uow.contacts.get(contact_id)
            refusal = self._refusal(uow, contact, channel)
            if refusal is not None:
                raise refusal
            address = _address(contact, channel)
            payload = self._payload(
                uow, contact, channel, body=body, subject=subject, template=whatsapp_template
            )
            cause = f"compose:{draft_key}" if draft_key else None
            item = new_item(
                channel,
                address,
                payload,
                cause=cause,
                contact_id=contact_id,
                extra={CONTACT_KEY: str(contact_id)},
            )
            outbox_id = self._outbox.queue_in(uow, item)
            shown = str(payload["body"])
            record_outbound_in(uow, contact_id, channel, outbox_id, shown, subject=subject.strip())
            message_id = uow.messages.for_outbox(outbox_id)
            uow.commit()
        self._outbox.changed()
        assert message_id is not None
        return message_id

    def compose_options(self, contact_id: int) -> list[ComposeOption]:
        """Each channel for the compose box: possible or why not, and WhatsApp's window.

        Asks the provider setup (keychain): call it off the GUI thread.
        """
        with self._uow(read_only=True) as uow:
            contact = uow.contacts.get(contact_id)
            refusals = {
                channel: self._refusal(uow, contact, channel) for channel in MESSAGE_CHANNELS
            }
            last = _last_whatsapp_inbound(uow, contact)
        needs = needs_template(last, self._clock.now())
        options = []
        for channel, refusal in refusals.items():
            options.append(
                ComposeOption(
                    channel=channel,
                    address=_address(contact, channel),
                    refusal=refusal.reason if refusal else "",
                    reason=refusal.message if refusal else "",
                    provider_problem=self._outbox.unavailable(channel) or "",
                    needs_template=needs if channel is Channel.WHATSAPP else False,
                )
            )
        return options

    def _refusal(
        self, uow: UnitOfWork, contact: Contact, channel: Channel
    ) -> ComposeRefusedError | None:
        name, label = contact.display_name, CHANNEL_NAMES[channel]
        address = _address(contact, channel)
        if not address:
            what = "email address" if channel is Channel.EMAIL else "phone number"
            return ComposeRefusedError("no_address", f"{name} has no {what}.")
        if uow.opt_outs.is_opted_out(channel, register_address(address)):
            return ComposeRefusedError(
                "opted_out",
                f"{name} has opted out of {label} messages ({address}); they can opt back in "
                "by replying START.",
            )
        if contact.id is not None and self._do_not_contact(uow, contact.id, channel):
            return ComposeRefusedError(
                "do_not_contact", f"{name} is marked do not contact for {label}."
            )
        if channel is not Channel.EMAIL and not is_e164(address):
            # Stored before numbers were checked (an old import): campaigns leave it out too.
            return ComposeRefusedError(
                "invalid_number",
                f"{name}'s phone number {address} is not a complete international number "
                "(such as +6591234567); correct it in the contact first.",
            )
        return None

    def _payload(
        self,
        uow: UnitOfWork,
        contact: Contact,
        channel: Channel,
        *,
        body: str,
        subject: str,
        template: WhatsAppTemplate | None,
    ) -> dict[str, object]:
        text = body.strip()
        payload: dict[str, object] = {
            "body": text,
            "to_name": contact.display_name,
            "contact": {
                "first_name": contact.first_name,
                "last_name": contact.last_name,
                "company": contact.company,
            },
        }
        if channel is Channel.WHATSAPP and template is not None:
            twilio = uow.providers.providers().whatsapp is ProviderKind.TWILIO
            template_id = check_template_id(template.template_id, twilio=twilio)
            variables = {str(k): str(v) for k, v in template.variables.items()}
            if any(not value.strip() for value in variables.values()):
                raise ValidationError(VARIABLES_FIELD, "give every template variable a value")
            shown = "; ".join(f"{name}={value}" for name, value in variables.items())
            payload.update({
                "body": f"WhatsApp template {template_id}: {shown}".rstrip(": "),
                TEMPLATE_ID_KEY: template_id,
                TEMPLATE_VARIABLES_KEY: variables,
            })  # fmt: skip
            return payload
        if channel is Channel.WHATSAPP and needs_template(
            _last_whatsapp_inbound(uow, contact), self._clock.now()
        ):
            raise ComposeRefusedError("whatsapp_window", f"{TEMPLATE_FIELD}: {OUTSIDE_WINDOW}")
        if not text:
            raise ValidationError("Message", "write the message first")
        if channel is not Channel.EMAIL and len(text) > TEXT_LIMIT:
            raise ValidationError(
                "Message", f"is {len(text)} characters; a text can carry at most {TEXT_LIMIT}"
            )
        if channel is Channel.EMAIL:
            if not subject.strip():
                raise ValidationError("Subject", "enter a subject for the email")
            if "\n" in subject.strip() or "\r" in subject.strip():
                raise ValidationError("Subject", "must be one line")
            payload["subject"] = subject.strip()
        return payload
