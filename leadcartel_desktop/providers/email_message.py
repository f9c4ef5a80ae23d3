"""An outbox email row as an `EmailMessage`: names and file names encoded by the email package.

Payload: body (plain text), subject, optional html, optional to_name and reply_to, optional
headers (List-Unsubscribe and List-Unsubscribe-Post only), and attachments as a list of
{filename, content_type, data_base64}. The PDF travels inside the row (base64) rather than as
a file path, so the row is self-contained: a resend after a restart carries exactly the
document that was issued, even if files moved.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from datetime import datetime
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

from leadcartel_desktop.domain.outbox import OutboxMessage
from leadcartel_desktop.domain.providers import SmtpSettings

# CRLF line ends, and every body part 7-bit (quoted-printable or base64), so any server takes it.
SMTP_POLICY = policy.SMTP.clone(cte_type="7bit")
SMTP_UTF8_POLICY = policy.SMTPUTF8
_SAFE_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
# Campaign emails' RFC 2369 / RFC 8058 headers, the only ones a payload's "headers" may set.
ALLOWED_HEADERS = frozenset({"List-Unsubscribe", "List-Unsubscribe-Post"})


class PayloadError(ValueError):
    """The row cannot become an email (a bad address, an unreadable attachment)."""


def message_id(idempotency_key: str, from_address: str) -> str:
    """A Message-ID that names the outbox row, so a resend or a copy in Sent is recognisable."""
    key = (
        idempotency_key
        if _SAFE_ID.fullmatch(idempotency_key)
        else (hashlib.sha256(idempotency_key.encode()).hexdigest()[:32])
    )
    domain = from_address.rpartition("@")[2] or "leadcartel.invalid"
    return f"<outbox.{key}@{domain}>"


def build_email(message: OutboxMessage, settings: SmtpSettings, now: datetime) -> EmailMessage:
    payload = message.payload
    utf8 = not (message.recipient.isascii() and settings.from_address.isascii())
    email = EmailMessage(policy=SMTP_UTF8_POLICY if utf8 else SMTP_POLICY)
    try:
        email["From"] = Address(
            display_name=_one_line(settings.from_name), addr_spec=settings.from_address
        )
        email["To"] = Address(
            display_name=_one_line(str(payload.get("to_name", ""))), addr_spec=message.recipient
        )
        reply_to = str(payload.get("reply_to", ""))
        if reply_to:
            email["Reply-To"] = Address(addr_spec=reply_to)
    except (ValueError, IndexError) as error:  # the email package's address parser
        raise PayloadError(f"an address is not valid ({error})") from None
    email["Subject"] = _one_line(str(payload.get("subject", "")))
    email["Date"] = format_datetime(now)
    email["Message-ID"] = message_id(message.idempotency_key, settings.from_address)
    for name, value in _list_headers(payload.get("headers")).items():
        email[name] = value
    email.set_content(str(payload.get("body", "")))
    html = payload.get("html")
    if html:
        email.add_alternative(str(html), subtype="html")
    for attachment in attachments_of(payload.get("attachments")):
        filename, content_type, data = attachment
        maintype, _, subtype = content_type.partition("/")
        email.add_attachment(
            data, maintype=maintype, subtype=subtype or "octet-stream", filename=filename
        )
    return email


def _one_line(text: str) -> str:
    """A subject or name as one line: a line break (from a template, an import) is a space."""
    return re.sub(r"\s*[\r\n]+\s*", " ", text).strip()


def _list_headers(raw: Any) -> dict[str, str]:
    """The unsubscribe headers a campaign row carries; no other header may come from a row."""
    if raw in (None, ""):
        return {}
    if not isinstance(raw, dict):
        raise PayloadError("headers must be a mapping")
    unknown = sorted(set(raw) - ALLOWED_HEADERS)
    if unknown:
        raise PayloadError(f"the header {unknown[0]} cannot be set by a message")
    headers = {str(name): str(value) for name, value in raw.items()}
    if any("\n" in value or "\r" in value for value in headers.values()):
        raise PayloadError("a header value holds a line break")
    return headers


def attachments_of(raw: Any) -> list[tuple[str, str, bytes]]:
    if raw in (None, ""):
        return []
    if not isinstance(raw, list):
        raise PayloadError("attachments must be a list")
    found = []
    for position, item in enumerate(raw, start=1):
        if not isinstance(item, dict) or not item.get("filename"):
            raise PayloadError(f"attachment {position} has no file name")
        try:
            data = base64.b64decode(str(item.get("data_base64", "")), validate=True)
        except (binascii.Error, ValueError):
            raise PayloadError(f"attachment {position} is not valid base64") from None
        content_type = str(item.get("content_type") or "application/octet-stream")
        found.append((str(item["filename"]), content_type, data))
    return found
