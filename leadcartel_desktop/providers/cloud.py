"""The Lead Cartel cloud account (HighLevel API v2): contacts, invoices and messages."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

import requests

from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.domain.errors import UserFacingError
from leadcartel_desktop.domain.money import MAX_DIGITS, exponent, to_major
from leadcartel_desktop.domain.outbox import SendOutcome
from leadcartel_desktop.domain.payments import PaymentMethod
from leadcartel_desktop.domain.providers import CloudSettings
from leadcartel_desktop.providers import jsonbody
from leadcartel_desktop.providers.http import ProviderHttp, TransportError
from leadcartel_desktop.providers.provider_clock import offset_of
from leadcartel_desktop.providers.texts import redact

PROVIDER = "the Lead Cartel cloud"
CREDENTIALS = "location id and private integration token"
# The conversations endpoints are documented under this Version; invoices and contacts take the
# API version from the settings (2021-07-28).
CONVERSATIONS_VERSION = "2021-04-15"
SCOPE_HINT = (
    "Give the private integration this scope in the Lead Cartel account (Settings > Private "
    "Integrations), then Retry."
)
# HighLevel's upload takes files of up to 5 MB (MB read as 10^6 bytes, to stay within it).
MAX_ATTACHMENT_BYTES = 5_000_000
_PAYMENT_MODES = {
    PaymentMethod.CASH: "cash",
    PaymentMethod.CHECK: "cheque",
    PaymentMethod.BANK_TRANSFER: "bank_transfer",
    PaymentMethod.CARD: "card",
}
_URL_FIELDS = ("invoiceUrl", "url", "paymentLink", "invoiceLink", "shareUrl", "publicUrl")
_CURRENCY = re.compile(r"[A-Z]{3}")
_PLAIN_AMOUNT = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


class CloudError(UserFacingError):
    """A cloud call that did not succeed; `outcome` classifies it like a send attempt."""

    def __init__(self, outcome: SendOutcome) -> None:
        super().__init__(f"{outcome.message} {outcome.hint}".strip())
        self.outcome = outcome


@dataclass(frozen=True, slots=True)
class CloudInvoiceState:
    """What the cloud says about an invoice; amounts in minor units of `currency`."""

    id: str
    status: str  # draft, sent, payment_processing, paid, void, partially_paid
    number: str
    currency: str
    total: int
    amount_paid: int
    amount_due: int
    url: str
    viewed: bool

    @classmethod
    def from_json(cls, data: object) -> CloudInvoiceState:
        """Read the cloud's invoice; CloudDataError (saying what) when it is not one."""
        if not isinstance(data, dict) or not data:
            raise CloudDataError("it is not an invoice")
        currency = cloud_currency(data.get("currency") or "USD")

        def minor(key: str) -> int:
            return cloud_amount(data.get(key) or 0, currency, key)

        url = next(
            (str(data[k]) for k in _URL_FIELDS if str(data.get(k, "")).startswith("http")), ""
        )
        return cls(
            id=str(data.get("_id") or data.get("id") or ""),
            status=str(data.get("status") or ""),
            number=str(data.get("invoiceNumber") or ""),
            currency=currency,
            total=minor("total"),
            amount_paid=minor("amountPaid"),
            amount_due=minor("amountDue"),
            url=url,
            viewed=bool(data.get("lastVisitedAt")),
        )


class CloudDataError(ValueError):
    """An answer of the right kind whose content is not what the API documents."""


def cloud_currency(value: object) -> str:
    """An ISO 4217 code as the cloud sent it (upper-cased); CloudDataError if it is not one."""
    if not isinstance(value, str) or not _CURRENCY.fullmatch(value.strip().upper()):
        raise CloudDataError(f"the currency {value!r} is not a currency code")
    return value.strip().upper()


def cloud_amount(value: object, currency: str, name: str = "amount") -> int:
    """Minor units of an amount the cloud sent (a JSON number, or a plain decimal string).

    Never rounded: an amount finer than the currency's minor unit (10.005 EUR), not finite,
    too large, or not a number at all raises CloudDataError, for the operator to look at.
    """
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int | Decimal):
        number = Decimal(value)
    elif isinstance(value, float):  # NaN and Infinity: the JSON parser makes these floats
        number = Decimal(repr(value)) if math.isfinite(value) else None
    elif isinstance(value, str) and _PLAIN_AMOUNT.fullmatch(value.strip()):
        number = Decimal(value.strip())
    else:
        number = None
    if number is None or not number.is_finite():
        raise CloudDataError(f"{name} {_shown(value)} is not an amount")
    if number.adjusted() >= MAX_DIGITS:
        raise CloudDataError(f"{name} {_shown(value)} is too large")
    scaled = number.scaleb(exponent(currency))
    if scaled != scaled.to_integral_value():
        raise CloudDataError(
            f"{name} {_shown(value)} has more decimals than {currency} amounts have"
        )
    return int(scaled)


def _shown(value: object) -> str:
    text = f"{value:f}" if isinstance(value, Decimal) and value.is_finite() else repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


class CloudClient:
    """Calls as the location (altId, altType=location) with its private integration token.

    Every POST carries an Idempotency-Key when one is given (the outbox row's key). The
    sandbox honours it (a repeat answers as the first call and changes nothing); HighLevel does
    not document one, so reconciling never relies on it.
    """

    def __init__(self, settings: CloudSettings, token: str, http: ProviderHttp) -> None:
        self.settings = settings
        self.http = http
        self._token = token
        self.location_id = settings.location_id
        # The cloud's clock against ours, from the latest answer (see provider_clock).
        self.clock_offset: timedelta | None = None

    # Transport ----------------------------------------------------------------------------
    def call(
        self,
        method: str,
        path: str,
        *,
        body: dict[str, Any] | None = None,
        params: dict[str, str] | None = None,
        idempotency_key: str = "",
        version: str = "",
        files: dict[str, tuple[str, bytes, str]] | None = None,
    ) -> Any:
        """One call; the parsed JSON answer, or CloudError classifying the failure.

        With `files` ({part: (file name, bytes, content type)}) the body is multipart/form-data
        and `body` its text fields.
        """
        headers = {
            "Authorization": f"Bearer {self._token}",
            "Version": version or self.settings.api_version,
            "Accept": "application/json",
        }
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        try:
            if files is None:
                response = self.http.request(
                    method, path, params=params, json=body, headers=headers
                )
            else:
                fields = {key: str(value) for key, value in (body or {}).items()}
                response = self.http.request(
                    method, path, params=params, form=fields, files=files, headers=headers
                )
        except TransportError as failure:
            raise CloudError(failure.outcome) from None
        offset = offset_of(response, self.http.now())
        if offset is not None:
            self.clock_offset = offset
        if response.status_code >= 300:
            raise CloudError(self.refusal(response))
        if not response.content:
            return {}
        try:
            return jsonbody.loads(response.content)
        except ValueError:  # a network login page, not the cloud
            raise CloudError(self.http.unreadable()) from None

    def text_at(self, data: object, *path: str) -> str:
        """The text at `path` in an answer: text_at(answer, "contact", "id").

        An answer without it, or of another shape ([], {"contact": null}, an object where the
        text belongs), is unreadable as a login page is: CloudError, never KeyError.
        """
        for key in path:
            data = data.get(key) if isinstance(data, dict) else None
        if isinstance(data, bool) or not isinstance(data, str | int) or data == "":
            raise CloudError(self.http.unreadable())
        return str(data)

    def refusal(self, response: requests.Response) -> SendOutcome:
        try:
            data = jsonbody.loads(response.content)
        except ValueError:
            data = {}
        said = data.get("message", "") if isinstance(data, dict) else ""
        said = "; ".join(map(str, said)) if isinstance(said, list) else str(said)
        said = redact(said, [self._token])
        if response.status_code in (401, 403) and "scope" in said.lower():
            # The token is good but lacks this one resource's scope: the other calls (invoices,
            # messages) still work, so the channel is not paused; this call fails with the fix.
            return SendOutcome.permanent(
                f"{response.status_code}_scope",
                f"The Lead Cartel token may not do this ({response.status_code} {said}).",
                SCOPE_HINT,
            )
        return self.http.refusal(response, "", said)

    def _location(self) -> dict[str, str]:
        return {"altId": self.location_id, "altType": "location"}

    # Account ------------------------------------------------------------------------------
    def location_name(self) -> str:
        data = self.call("GET", f"/locations/{self.location_id}")
        return self.text_at(data, "location", "name")

    # Contacts -----------------------------------------------------------------------------
    def upsert_contact(self, contact: Contact, idempotency_key: str = "") -> str:
        """The cloud contact's id, created or updated (matched by email or phone)."""
        body: dict[str, Any] = {
            "locationId": self.location_id,
            "firstName": contact.first_name,
            "lastName": contact.last_name,
            "name": contact.full_name or contact.display_name,
            "email": contact.email,
            "phone": contact.phone,
            "companyName": contact.company,
            "address1": contact.address.street,
            "city": contact.address.city,
            "state": contact.address.region,
            "postalCode": contact.address.postal_code,
            "country": contact.address.country,
        }
        body = {key: value for key, value in body.items() if value}
        data = self.call("POST", "/contacts/upsert", body=body, idempotency_key=idempotency_key)
        return self.text_at(data, "contact", "id")

    # Invoices -----------------------------------------------------------------------------
    def create_invoice(self, body: dict[str, Any], idempotency_key: str) -> CloudInvoiceState:
        """`body` as providers.cloud_invoices.invoice_body builds it.

        An invoice the cloud already holds under this number, currency and contact is adopted,
        not made again: a create whose answer was lost (a read timeout) may have gone through,
        and HighLevel documents no Idempotency-Key to make the retry safe.
        """
        found = self.find_invoice(body)
        if found is not None:
            return found
        data = self.call(
            "POST", "/invoices/", body={**body, **self._location()}, idempotency_key=idempotency_key
        )
        return self._state(data)

    def send_invoice(
        self,
        invoice_id: str,
        *,
        live_mode: bool,
        idempotency_key: str,
        action: str = "send_manually",
        user_id: str = "",
        from_name: str = "",
        from_email: str = "",
    ) -> None:
        """Mark it sent; `send_manually` because the app delivers it (with the cloud's link)."""
        body: dict[str, Any] = {**self._location(), "action": action, "liveMode": live_mode}
        if user_id:
            body["userId"] = user_id
        if from_email:
            body["sentFrom"] = {"fromName": from_name, "fromEmail": from_email}
        self.call(
            "POST", f"/invoices/{invoice_id}/send", body=body, idempotency_key=idempotency_key
        )

    def get_invoice(self, invoice_id: str) -> CloudInvoiceState:
        data = self.call("GET", f"/invoices/{invoice_id}", params=self._location())
        return self._state(data)

    def find_invoices(self, search: str, limit: int = 20) -> list[CloudInvoiceState]:
        params = {**self._location(), "search": search, "limit": str(limit), "offset": "0"}
        data = self.call("GET", "/invoices/", params=params)
        found = data.get("invoices", []) if isinstance(data, dict) else None
        if not isinstance(found, list):
            raise CloudError(self.http.unreadable())
        return [self._state(item) for item in found]

    def find_invoice(self, body: dict[str, Any]) -> CloudInvoiceState | None:
        """The live (not void) invoice `body` would create, if the cloud holds it already.

        Its search matches loosely, so the number, currency and cloud contact are compared
        here: someone else's invoice that happens to share the number is not taken.
        """
        number = str(body.get("invoiceNumber") or "")
        if not number:
            return None
        contact = body.get("contactDetails")
        contact_id = str(contact.get("id") or "") if isinstance(contact, dict) else ""
        params = {**self._location(), "search": number, "limit": "100", "offset": "0"}
        data = self.call("GET", "/invoices/", params=params)
        found = data.get("invoices", []) if isinstance(data, dict) else None
        if not isinstance(found, list):
            raise CloudError(self.http.unreadable())
        for item in found:
            if not isinstance(item, dict) or str(item.get("invoiceNumber") or "") != number:
                continue
            details = item.get("contactDetails")
            held_by = str(details.get("id") or "") if isinstance(details, dict) else ""
            state = self._state(item)
            if (
                state.id
                and state.status != "void"
                and state.currency == body.get("currency")
                and held_by == contact_id
            ):
                return state
        return None

    def _state(self, data: object) -> CloudInvoiceState:
        """The invoice in an answer ({"invoice": {...}} or the invoice itself), or CloudError.

        A body of another shape (a list, null, a string) is unreadable, as a login page is; an
        invoice whose figures are not amounts (NaN, "12,50", 10.005 EUR) says which.
        """
        found = data.get("invoice", data) if isinstance(data, dict) else None
        if not isinstance(found, dict) or not found:
            raise CloudError(self.http.unreadable())
        try:
            return CloudInvoiceState.from_json(found)
        except CloudDataError as error:
            said = f"{PROVIDER} sent an invoice that could not be read: {error}"
            raise CloudError(SendOutcome.ambiguous(said)) from None

    def record_payment(
        self,
        invoice_id: str,
        amount: int,
        currency: str,
        method: PaymentMethod,
        *,
        notes: str,
        idempotency_key: str,
    ) -> CloudInvoiceState:
        """Push a payment recorded in the app (amount in minor units, sent as a decimal)."""
        body = {
            **self._location(),
            "mode": _PAYMENT_MODES.get(method, "other"),
            "amount": to_major(amount, currency),
            "notes": notes,
        }
        data = self.call(
            "POST",
            f"/invoices/{invoice_id}/record-payment",
            body=body,
            idempotency_key=idempotency_key,
        )
        return self._state(data)

    def void_invoice(self, invoice_id: str, idempotency_key: str) -> CloudInvoiceState:
        """Void the invoice in the cloud: its hosted page stops taking payments."""
        data = self.call(
            "POST",
            f"/invoices/{invoice_id}/void",
            body=self._location(),
            idempotency_key=idempotency_key,
        )
        return self._state(data)

    # Conversations ------------------------------------------------------------------------
    def send_message(
        self,
        kind: str,
        contact_id: str,
        text: str,
        *,
        subject: str = "",
        html: str = "",
        idempotency_key: str = "",
        template_id: str = "",
        attachments: Sequence[str] = (),
    ) -> str:
        """Send an SMS, Email or WhatsApp message to a cloud contact; returns its message id.

        `template_id` names an approved WhatsApp template the cloud fills itself (its API
        takes no variables). `attachments` are URLs, such as upload_attachment gives.
        """
        body: dict[str, Any] = {"type": kind, "contactId": contact_id, "message": text}
        if template_id:
            body["templateId"] = template_id
        if subject:
            body["subject"] = subject
        if html:
            body["html"] = html
        if attachments:
            body["attachments"] = list(attachments)
        data = self.call(
            "POST",
            "/conversations/messages",
            body=body,
            idempotency_key=idempotency_key,
            version=CONVERSATIONS_VERSION,
        )
        return self.text_at(data, "messageId")

    def upload_attachment(
        self,
        contact_id: str,
        filename: str,
        content_type: str,
        content: bytes,
        *,
        idempotency_key: str = "",
    ) -> str:
        """Upload a file for a message to the contact to carry; returns the cloud's URL for it.

        POST /conversations/messages/upload, multipart with the file as "fileAttachment"; the
        answer is {"uploadedFiles": {<file name>: <url>}}. One file per call, so its one URL
        is ours, whatever name the cloud filed it under. Up to MAX_ATTACHMENT_BYTES.
        """
        data = self.call(
            "POST",
            "/conversations/messages/upload",
            body={"contactId": contact_id, "locationId": self.location_id},
            files={"fileAttachment": (filename, content, content_type)},
            idempotency_key=idempotency_key,
            version=CONVERSATIONS_VERSION,
        )
        uploaded = data.get("uploadedFiles") if isinstance(data, dict) else None
        urls = list(uploaded.values()) if isinstance(uploaded, dict) else []
        if len(urls) != 1 or not str(urls[0]).startswith(("https://", "http://")):
            raise CloudError(self.http.unreadable())
        return str(urls[0])

    def get_message(self, message_id: str) -> dict[str, Any]:
        data = self.call(
            "GET", f"/conversations/messages/{message_id}", version=CONVERSATIONS_VERSION
        )
        found = data.get("message", data) if isinstance(data, dict) else None
        if not isinstance(found, dict):
            raise CloudError(self.http.unreadable())
        return dict(found)

    def recent_messages(self, contact_id: str, limit: int = 50) -> list[dict[str, Any]]:
        """The contact's latest messages in every conversation, newest first per conversation."""
        found = self.call(
            "GET",
            "/conversations/search",
            version=CONVERSATIONS_VERSION,
            params={"locationId": self.location_id, "contactId": contact_id},
        )
        conversations = found.get("conversations", []) if isinstance(found, dict) else None
        if not isinstance(conversations, list):
            raise CloudError(self.http.unreadable())
        messages: list[dict[str, Any]] = []
        for conversation in conversations:
            page = self.call(
                "GET",
                f"/conversations/{self.text_at(conversation, 'id')}/messages",
                params={"limit": str(limit)},
                version=CONVERSATIONS_VERSION,
            )
            listed = page.get("messages", {}) if isinstance(page, dict) else None
            listed = listed.get("messages", []) if isinstance(listed, dict) else None
            if not isinstance(listed, list):
                raise CloudError(self.http.unreadable())
            messages += [item for item in listed if isinstance(item, dict)]
        return messages
