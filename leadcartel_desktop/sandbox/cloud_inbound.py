"""The cloud sandbox's customers writing back: inbound messages in their conversations."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any

_KINDS = {"SMS": (2, "TYPE_SMS"), "WhatsApp": (19, "TYPE_WHATSAPP"), "Email": (3, "TYPE_EMAIL")}


def epoch_ms(iso: str) -> int:
    return int(datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp() * 1000)


def inbound_message(
    location_id: str,
    contact: dict[str, Any],
    conversation: dict[str, Any],
    body: str,
    *,
    kind: str,
    subject: str = "",
) -> dict[str, Any]:
    """A message as GET /conversations/{id}/messages lists an inbound one."""
    if kind not in _KINDS:
        raise ValueError(f"kind must be one of {', '.join(_KINDS)}")
    number, message_type = _KINDS[kind]
    now = datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return {
        "id": secrets.token_hex(10),
        "type": number,
        "messageType": message_type,
        "locationId": location_id,
        "contactId": contact["id"],
        "conversationId": conversation["id"],
        "dateAdded": now,
        "body": body,
        "direction": "inbound",
        "status": "delivered",
        "contentType": "text/plain",
        "meta": {"email": {"subject": subject}} if kind == "Email" else {},
    }


def conversation_view(
    conversation: dict[str, Any], contact: dict[str, Any] | None
) -> dict[str, Any]:
    """A conversation as /conversations/search lists it.

    With its contact's name, phone and email, and lastMessageDate in epoch milliseconds.
    """
    view = dict(conversation)
    if contact is not None:
        name = " ".join(filter(None, (contact.get("firstName"), contact.get("lastName"))))
        view.update(
            fullName=name,
            contactName=name,
            phone=contact.get("phone", ""),
            email=contact.get("email", ""),
        )
    last = conversation.get("lastMessageDate")
    if isinstance(last, str) and last:
        view["lastMessageDate"] = epoch_ms(last)
    return view
