"""Cloud API calls queued in the outbox (Channel.CLOUD): payloads such as {"call": ...}."""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime
from typing import Any

from leadcartel_desktop.domain.outbox import OutboxMessage, SendOutcome, match_since
from leadcartel_desktop.domain.payments import PaymentMethod
from leadcartel_desktop.providers.cloud import CloudClient, CloudDataError, CloudError, cloud_amount
from leadcartel_desktop.providers.cloud_opportunities import CALLS as OPPORTUNITY_CALLS
from leadcartel_desktop.providers.cloud_opportunities import CloudOpportunities
from leadcartel_desktop.providers.cloud_sync import (
    is_online,
    succeeded,
    transaction_id,
    transactions,
)
from leadcartel_desktop.providers.provider_clock import on_their_clock

RECORD_PAYMENT = "record_payment"
VOID_INVOICE = "void_invoice"


class CloudCallProvider:
    """MessageProvider for Channel.CLOUD.

    record_payment: {"call": "record_payment", "invoice_id": <cloud id>, "amount": <minor
    units>, "currency", "method", "notes"}; the row's idempotency key goes as Idempotency-Key.
    The row keeps the cloud transaction's id (not the invoice's), so that reconciling another
    push of the same amount never takes this one's transaction for its own (`taken`).
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
        return SendOutcome.accepted(self._recorded_id(message) or invoice_id, state.status)

    def _recorded_id(self, message: OutboxMessage) -> str:
        """The transaction the push just made ("" when the cloud cannot be asked now).

        The record-payment answer is the invoice (HighLevel's names no transaction), so it is
        looked up: the newest of this amount since the attempt started. The outbox sends one
        row per invoice at a time, so no other push of ours can be newer.
        """
        try:
            found = self._payments(message, taken=())
        except CloudError:  # recorded all the same; only its id stays unknown
            return ""
        return transaction_id(max(found, key=_created)) if found else ""

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
        """Does the cloud hold a payment of this amount recorded since the attempt started?

        HighLevel documents no lookup by our key, nor the notes on its transactions, so the
        oldest manual transaction of this amount in that window that no other row holds
        (`taken`) is this row's: two equal payments on one invoice are never confused.
        """
        if message.payload.get("call") in OPPORTUNITY_CALLS:
            return CloudOpportunities(self.client).reconcile(message, taken)
        if message.payload.get("call") == VOID_INVOICE:
            return self._reconcile_void(message)
        try:
            found = self._payments(message, taken)
        except CloudError as error:
            return SendOutcome.ambiguous(
                f"Cannot check with the cloud yet: {error.outcome.message}"
            )
        if not found:
            return None
        oldest = min(found, key=_created)
        invoice_id = str(message.payload.get("invoice_id", ""))
        return SendOutcome.accepted(transaction_id(oldest) or invoice_id, "recorded")

    def _payments(self, message: OutboxMessage, taken: Collection[str]) -> list[dict[str, Any]]:
        """The invoice's manual transactions that may be this push's; CloudError if unknown."""
        payload = message.payload
        currency = str(payload.get("currency", ""))
        found = transactions(self.client, str(payload.get("invoice_id", "")))
        # Read after the call: its Date header puts the attempt's start on the cloud's clock,
        # so a PC clock set wrong neither misses the push's copy nor takes an older one.
        since = on_their_clock(match_since(message), self.client.clock_offset)
        return [
            item
            for item in found
            if not is_online(item)
            and succeeded(item)
            and _amount_of(item, currency) == _amount(payload)
            and (since is None or _created(item) >= since)
            and transaction_id(item) not in taken
        ]

    def check(self) -> str:
        name = self.client.location_name()
        return f"Connected to the Lead Cartel cloud location '{name}'."


def _amount(payload: dict[str, Any]) -> int:
    value = payload.get("amount", 0)
    return value if isinstance(value, int) else int(str(value))


def _amount_of(item: dict[str, Any], currency: str) -> int | None:
    try:
        return cloud_amount(item.get("amount"), currency)
    except CloudDataError:  # not the payment pushed: that one has an exact amount
        return None


def _created(item: dict[str, Any]) -> datetime:
    """When the cloud booked the transaction; one without a usable date counts as newest."""
    try:
        created = datetime.fromisoformat(str(item.get("createdAt")))
    except ValueError:
        return datetime.max.replace(tzinfo=UTC)
    return created if created.tzinfo is not None else created.replace(tzinfo=UTC)
