"""SMS, WhatsApp and email sent through the Lead Cartel cloud's conversations API."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.domain.outbox import Channel, OutboxMessage, OutcomeKind, SendOutcome
from leadcartel_desktop.providers.cloud import CloudClient, CloudError

CLOCK_SKEW = timedelta(minutes=10)
_TYPES = {Channel.SMS: "SMS", Channel.WHATSAPP: "WhatsApp", Channel.EMAIL: "Email"}
_MESSAGE_TYPES = {
    Channel.SMS: "TYPE_SMS",
    Channel.WHATSAPP: "TYPE_WHATSAPP",
    Channel.EMAIL: "TYPE_EMAIL",
}


class CloudMessageProvider:
    """One channel through the cloud's conversations.

    Payload: body, subject, html, and either cloud_contact_id or contact {first_name,
    last_name, company}; without an id the recipient is upserted as a contact first.

    The cloud takes attachments only as links, so an email through it carries the invoice's
    hosted link rather than the PDF.
    """

    def __init__(self, client: CloudClient, channel: Channel) -> None:
        if channel not in _TYPES:
            raise ValueError(f"the cloud carries SMS, WhatsApp and email, not {channel}")
        self.client = client
        self.channel = channel

    def _contact_id(self, message: OutboxMessage) -> str:
        known = message.payload.get("cloud_contact_id")
        if isinstance(known, str) and known:
            return known
        raw = message.payload.get("contact")
        given: dict[str, Any] = raw if isinstance(raw, dict) else {}
        email = message.recipient if self.channel is Channel.EMAIL else ""
        phone = "" if self.channel is Channel.EMAIL else message.recipient
        contact = Contact(
            first_name=str(given.get("first_name", "")),
            last_name=str(given.get("last_name", "")),
            company=str(given.get("company", "")),
            email=email or str(given.get("email", "")),
            phone=phone or str(given.get("phone", "")),
        )
        return self.client.upsert_contact(contact)  # idempotent: matched by email or phone

    def send(self, message: OutboxMessage) -> SendOutcome:
        try:
            contact_id = self._contact_id(message)
        except CloudError as error:
            outcome = error.outcome
            if outcome.kind is OutcomeKind.AMBIGUOUS:  # an upsert repeats safely: no message yet
                return SendOutcome.retry(outcome.message)
            return outcome
        payload = message.payload
        try:
            message_id = self.client.send_message(
                _TYPES[self.channel],
                contact_id,
                str(payload.get("body", "")),
                subject=str(payload.get("subject", "")),
                html=str(payload.get("html", "")),
                idempotency_key=message.idempotency_key,
            )
        except CloudError as error:
            return error.outcome
        return SendOutcome.accepted(message_id, "queued")

    def reconcile(self, message: OutboxMessage) -> SendOutcome | None:
        """No lookup by our key exists: list the contact's recent messages and match the body."""
        body = str(message.payload.get("body", ""))
        since = message.created_at - CLOCK_SKEW if message.created_at else None
        try:
            found = self.client.recent_messages(self._contact_id(message))
        except CloudError as error:
            return SendOutcome.ambiguous(
                f"Cannot check with the cloud yet: {error.outcome.message}"
            )
        for item in found:
            if (
                item.get("body") == body
                and item.get("direction", "outbound") == "outbound"
                and item.get("messageType", _MESSAGE_TYPES[self.channel])
                == _MESSAGE_TYPES[self.channel]
                and _added_since(item, since)
            ):
                return SendOutcome.accepted(str(item["id"]), str(item.get("status", "")))
        return None

    def check(self) -> str:
        name = self.client.location_name()  # CloudError is a UserFacingError with the reason
        return f"Connected to the Lead Cartel cloud location '{name}'."


def _added_since(item: dict[str, Any], since: datetime | None) -> bool:
    if since is None:
        return True
    try:
        return datetime.fromisoformat(str(item.get("dateAdded"))) >= since
    except ValueError:
        return True
