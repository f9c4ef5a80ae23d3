"""Cloud API calls queued in the outbox (Channel.CLOUD): payloads such as {"call": ...}."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any

from leadcartel_desktop.domain.outbox import OutboxMessage, SendOutcome
from leadcartel_desktop.domain.payments import PaymentMethod
from leadcartel_desktop.providers.cloud import CloudClient, CloudDataError, CloudError, cloud_amount
from leadcartel_desktop.providers.cloud_opportunities import CALLS as OPPORTUNITY_CALLS
from leadcartel_desktop.providers.cloud_opportunities import CloudOpportunities
from leadcartel_desktop.providers.cloud_sync import is_online, succeeded, transactions

CLOCK_SKEW = timedelta(minutes=10)
RECORD_PAYMENT = "record_payment"
VOID_INVOICE = "void_invoice"


class CloudCallProvider:
    """MessageProvider for Channel.CLOUD.

    record_payment: {"call": "record_payment", "invoice_id": <cloud id>, "amount": <minor
    units>, "currency", "method", "notes"}; the row's idempotency key goes as Idempotency-Key.
    void_invoice: {"call": "void_invoice", "invoice_id": <cloud id>} (an invoice cancelled in
    the app, so its hosted page takes no more money).
    """

    def __init__(self, client: CloudClient) -> None:
        self.client = client

    def send(self, message: OutboxMessage) -> SendOutcome:
        payload = message.payload
        call = str(payload.get("call", ""))
        if call in OPPORTUNITY_CALLS:
            return CloudOpportunities(self.client).send(message)
        if call == VOID_INVOICE:
            return self._void(message)
        if call != RECORD_PAYMENT:
            return SendOutcome.permanent("call", f"Unknown cloud call '{call}'")
        invoice_id = str(payload.get("invoice_id", ""))
        try:
            state = self.client.record_payment(
                invoice_id,
                _amount(payload),
                str(payload.get("currency", "")),
                PaymentMethod(str(payload.get("method", PaymentMethod.OTHER.value))),
                notes=str(payload.get("notes", "")),
                idempotency_key=message.idempotency_key,
            )
        except CloudError as error:
            return error.outcome
        return SendOutcome.accepted(state.id or invoice_id, state.status)

    def _void(self, message: OutboxMessage) -> SendOutcome:
        invoice_id = str(message.payload.get("invoice_id", ""))
        try:
            self.client.void_invoice(invoice_id, idempotency_key=message.idempotency_key)
        except CloudError as error:
            if error.outcome.code == "404":  # gone from the cloud: nothing left to pay there
                return SendOutcome.accepted(invoice_id, "not found")
            return error.outcome
        return SendOutcome.accepted(invoice_id, "void")

    def _reconcile_void(self, message: OutboxMessage) -> SendOutcome | None:
        """Is the cloud's invoice void already (the answer to the void was lost)?"""
        invoice_id = str(message.payload.get("invoice_id", ""))
        try:
            state = self.client.get_invoice(invoice_id)
        except CloudError as error:
            return SendOutcome.ambiguous(
                f"Cannot check with the cloud yet: {error.outcome.message}"
            )
        return SendOutcome.accepted(invoice_id, "void") if state.status == "void" else None

    def reconcile(
        self, message: OutboxMessage, *, taken: Collection[str] = ()
    ) -> SendOutcome | None:
        """Does the cloud hold a payment recorded by hand, of this amount, since it was queued?"""
        if message.payload.get("call") in OPPORTUNITY_CALLS:
            return CloudOpportunities(self.client).reconcile(message, taken)
        if message.payload.get("call") == VOID_INVOICE:
            return self._reconcile_void(message)
        payload = message.payload
        invoice_id = str(payload.get("invoice_id", ""))
        currency = str(payload.get("currency", ""))
        since = message.created_at - CLOCK_SKEW if message.created_at else None
        try:
            found = transactions(self.client, invoice_id)
        except CloudError as error:
            return SendOutcome.ambiguous(
                f"Cannot check with the cloud yet: {error.outcome.message}"
            )
        for item in found:
            try:
                amount = cloud_amount(item.get("amount"), currency)
            except CloudDataError:  # not the payment pushed: that one has an exact amount
                continue
            if (
                not is_online(item)
                and succeeded(item)
                and amount == _amount(payload)
                and _since(item, since)
            ):
                return SendOutcome.accepted(str(item.get("_id") or invoice_id), "recorded")
        return None

    def check(self) -> str:
        name = self.client.location_name()
        return f"Connected to the Lead Cartel cloud location '{name}'."


def _amount(payload: dict[str, Any]) -> int:
    value = payload.get("amount", 0)
    return value if isinstance(value, int) else int(str(value))


def _since(item: dict[str, Any], since: datetime | None) -> bool:
    if since is None:
        return True
    try:
        return datetime.fromisoformat(str(item.get("createdAt"))) >= since
    except ValueError:
        return True
