"""SMS, WhatsApp and email sent through the Lead Cartel cloud's conversations API."""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime
from typing import Any

from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.domain.outbox import (
    Channel,
    OutboxMessage,
    OutcomeKind,
    SendOutcome,
    match_since,
)
from leadcartel_desktop.domain.whatsapp import template_of
from leadcartel_desktop.providers.cloud import MAX_ATTACHMENT_BYTES, CloudClient, CloudError
from leadcartel_desktop.providers.email_message import PayloadError, attachments_of
from leadcartel_desktop.providers.provider_clock import on_their_clock

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

    An email's attachments (the invoice PDF) are uploaded to the cloud first and sent with
    the message as the URLs it gives them (its API takes attachments only as URLs), so the
    customer gets the PDF as over SMTP.
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

    def _files(self, payload: dict[str, Any]) -> list[tuple[str, str, bytes]]:
        """An email's attachments, read as the SMTP email reads them; PayloadError if unfit."""
        if self.channel is not Channel.EMAIL:
            return []
        files = attachments_of(payload.get("attachments"))
        for filename, _type, content in files:
            if len(content) > MAX_ATTACHMENT_BYTES:
                raise PayloadError(
                    f"the attachment {filename} is {len(content) / 1e6:.1f} MB and the Lead "
                    f"Cartel cloud takes files of up to {MAX_ATTACHMENT_BYTES / 1e6:g} MB; send "
                    "it over SMTP instead (Settings > Providers)"
                )
        return files

    def _upload(
        self, message: OutboxMessage, contact_id: str, files: list[tuple[str, str, bytes]]
    ) -> list[str]:
        """The cloud's URLs for the files, uploaded for the contact (CloudError if not)."""
        return [
            self.client.upload_attachment(
                contact_id,
                filename,
                content_type,
                content,
                idempotency_key=f"{message.idempotency_key}:attachment:{number}",
            )
            for number, (filename, content_type, content) in enumerate(files, start=1)
        ]

    def send(self, message: OutboxMessage) -> SendOutcome:
        payload = message.payload
        try:
            files = self._files(payload)
        except PayloadError as error:
            return SendOutcome.permanent("payload", f"The email could not be built: {error}.")
        try:
            contact_id = self._contact_id(message)
            urls = self._upload(message, contact_id, files)
        except CloudError as error:
            outcome = error.outcome
            if outcome.kind is OutcomeKind.AMBIGUOUS:  # an upsert or an upload repeats safely:
                return SendOutcome.retry(outcome.message)  # no message went yet
            return outcome
        template = template_of(payload) if self.channel is Channel.WHATSAPP else None
        try:
            message_id = self.client.send_message(
                _TYPES[self.channel],
                contact_id,
                str(payload.get("body", "")),
                subject=str(payload.get("subject", "")),
                html=str(payload.get("html", "")),
                idempotency_key=message.idempotency_key,
                template_id=template[0] if template else "",
                attachments=urls,
            )
        except CloudError as error:
            return error.outcome
        return SendOutcome.accepted(message_id, "queued")

    def reconcile(
        self, message: OutboxMessage, *, taken: Collection[str] = ()
    ) -> SendOutcome | None:
        """No lookup by our key exists: list the contact's recent messages and match the body.

        The oldest outbound message of this channel with this body added since the row's
        attempt started, whose id no other row holds (`taken`), is this row's.
        """
        body = str(message.payload.get("body", ""))
        try:
            found = self.client.recent_messages(self._contact_id(message))
        except CloudError as error:
            return SendOutcome.ambiguous(
                f"Cannot check with the cloud yet: {error.outcome.message}"
            )
        since = on_their_clock(match_since(message), self.client.clock_offset)
        kind = _MESSAGE_TYPES[self.channel]
        matches = [
            item
            for item in found
            if item.get("body") == body
            and item.get("direction", "outbound") == "outbound"
            and item.get("messageType", kind) == kind
            and _added_since(item, since)
            and str(item.get("id")) not in taken
        ]
        if not matches:
            return None
        oldest = min(matches, key=_added)
        return SendOutcome.accepted(str(oldest["id"]), str(oldest.get("status", "")))

    def check(self) -> str:
        name = self.client.location_name()  # CloudError is a UserFacingError with the reason
        return f"Connected to the Lead Cartel cloud location '{name}'."


def _added(item: dict[str, Any]) -> datetime:
    """When the cloud added the message; one without a usable date sorts last (newest)."""
    try:
        added = datetime.fromisoformat(str(item.get("dateAdded")))
    except ValueError:
        return datetime.max.replace(tzinfo=UTC)
    return added if added.tzinfo is not None else added.replace(tzinfo=UTC)


def _added_since(item: dict[str, Any], since: datetime | None) -> bool:
    return since is None or _added(item) >= since
