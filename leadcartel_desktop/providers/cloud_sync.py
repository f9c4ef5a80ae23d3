"""The cloud's side of a synced invoice: its status, whether it was viewed, its online payments."""

from __future__ import annotations

from typing import Any

from leadcartel_desktop.domain.business import BusinessSettings
from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.domain.invoice import Invoice
from leadcartel_desktop.providers.cloud import (
    CloudClient,
    CloudDataError,
    CloudError,
    cloud_amount,
    cloud_currency,
)
from leadcartel_desktop.providers.cloud_invoices import invoice_body
from leadcartel_desktop.services.sync_ports import RemoteInvoice, RemotePayment

_MANUAL = {"", "manual"}


def transactions(client: CloudClient, invoice_id: str) -> list[dict[str, Any]]:
    """The payment transactions the cloud holds for one invoice (GET /payments/transactions).

    An answer of another shape is CloudError (unreadable), never read as "no payments".
    """
    params = {"altId": client.location_id, "altType": "location", "entityId": invoice_id}
    data = client.call("GET", "/payments/transactions", params=params)
    found = data.get("data", []) if isinstance(data, dict) else None
    if not isinstance(found, list) or not all(isinstance(item, dict) for item in found):
        raise CloudError(client.http.unreadable())
    return found


def is_online(item: dict[str, Any]) -> bool:
    """Taken by the cloud's payment provider, not recorded by hand (as the app's pushes are)."""
    provider = str(item.get("paymentProviderType") or "").lower()
    return str(item.get("mode") or "") == "online" or provider not in _MANUAL


def succeeded(item: dict[str, Any]) -> bool:
    return str(item.get("status") or "succeeded") == "succeeded"


def transaction_id(item: dict[str, Any]) -> str:
    found = item.get("_id") or item.get("id")
    return str(found) if isinstance(found, str | int) and not isinstance(found, bool) else ""


def remote_payment(item: dict[str, Any], invoice_currency: str) -> RemotePayment:
    """One online transaction in its own currency (the invoice's when it names none).

    One that cannot be read carries `unreadable` (why) instead of an amount: nothing is
    rounded or guessed, and the operator is told.
    """
    payment_id = transaction_id(item)
    named = item.get("currency")
    try:
        currency = invoice_currency if named is None or named == "" else cloud_currency(named)
        amount = cloud_amount(item.get("amount"), currency)
    except CloudDataError as error:
        shown = named if isinstance(named, str) and len(named) <= 3 else invoice_currency
        return RemotePayment(payment_id, 0, str(shown).upper(), unreadable=str(error))
    return RemotePayment(payment_id, amount, currency)


class CloudInvoiceSync:
    """CloudInvoiceReader over a CloudClient; raises CloudError (a UserFacingError)."""

    def __init__(self, client: CloudClient) -> None:
        self.client = client

    def create_invoice(
        self, invoice: Invoice, customer: Contact, business: BusinessSettings, key: str
    ) -> tuple[str, str]:
        """Create the invoice in the cloud and mark it sent (the app delivers it)."""
        contact_id = self.client.upsert_contact(customer, idempotency_key=f"{key}:contact")
        body = invoice_body(invoice, customer, contact_id, business, live_mode=False)
        state = self.client.create_invoice(body, idempotency_key=key)
        self.client.send_invoice(state.id, live_mode=False, idempotency_key=f"{key}:send")
        return state.id, state.url

    def remote_invoice(self, remote_id: str) -> RemoteInvoice:
        state = self.client.get_invoice(remote_id)
        payments: tuple[RemotePayment, ...] = ()
        if state.amount_paid > 0:  # nothing to look up while nothing is paid
            payments = tuple(
                remote_payment(item, state.currency)
                for item in transactions(self.client, remote_id)
                if is_online(item) and succeeded(item) and transaction_id(item)
            )
        return RemoteInvoice(
            id=state.id,
            status=state.status,
            currency=state.currency,
            amount_paid=state.amount_paid,
            viewed=state.viewed,
            online_payments=payments,
        )
