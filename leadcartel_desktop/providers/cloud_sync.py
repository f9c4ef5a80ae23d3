"""The cloud's side of a synced invoice: its status, whether it was viewed, its online payments."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from leadcartel_desktop.domain.business import BusinessSettings
from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.domain.invoice import Invoice
from leadcartel_desktop.domain.money import to_minor
from leadcartel_desktop.providers.cloud import CloudClient
from leadcartel_desktop.providers.cloud_invoices import invoice_body
from leadcartel_desktop.services.sync_ports import RemoteInvoice, RemotePayment

_MANUAL = {"", "manual"}


def transactions(client: CloudClient, invoice_id: str) -> list[dict[str, Any]]:
    """The payment transactions the cloud holds for one invoice (GET /payments/transactions)."""
    params = {"altId": client.location_id, "altType": "location", "entityId": invoice_id}
    data = client.call("GET", "/payments/transactions", params=params)
    found = data.get("data", []) if isinstance(data, dict) else []
    return [item for item in found if isinstance(item, dict)]


def is_online(item: dict[str, Any]) -> bool:
    """Taken by the cloud's payment provider, not recorded by hand (as the app's pushes are)."""
    provider = str(item.get("paymentProviderType") or "").lower()
    return str(item.get("mode") or "") == "online" or provider not in _MANUAL


def succeeded(item: dict[str, Any]) -> bool:
    return str(item.get("status") or "succeeded") == "succeeded"


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
                RemotePayment(
                    str(item.get("_id") or item.get("id")),
                    to_minor(Decimal(str(item.get("amount") or 0)), state.currency),
                )
                for item in transactions(self.client, remote_id)
                if is_online(item) and succeeded(item) and (item.get("_id") or item.get("id"))
            )
        return RemoteInvoice(
            id=state.id,
            status=state.status,
            currency=state.currency,
            amount_paid=state.amount_paid,
            viewed=state.viewed,
            online_payments=payments,
        )
