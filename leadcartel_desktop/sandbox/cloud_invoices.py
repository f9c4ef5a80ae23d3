"""The sandbox cloud's invoices: create, send, record a payment, void, totals in Decimal."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from leadcartel_desktop.sandbox.controls import Controls

_EXPONENTS = {"JPY": 0, "KRW": 0, "VND": 0, "CLP": 0, "ISK": 0, "KWD": 3, "BHD": 3, "OMR": 3}
STATUSES = ("draft", "sent", "payment_processing", "paid", "void", "partially_paid")


class InvoiceError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _money(value: Any, currency: str) -> Decimal:
    places = Decimal(1).scaleb(-_EXPONENTS.get(currency, 2))
    return Decimal(str(value)).quantize(places)


def _number(value: Any, field: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise InvoiceError(422, f"{field} must be a number")
    return Decimal(value)


class CloudInvoices:
    """Invoices of one location; callers hold the API's lock."""

    def __init__(self, controls: Controls, location_id: str) -> None:
        self.controls = controls
        self.location_id = location_id
        self.invoices: dict[str, dict[str, Any]] = {}
        self.transactions: list[dict[str, Any]] = []
        # What GET /invoices/<id> (key "invoice") or GET /payments/transactions for it (key
        # "transactions") answers instead of the truth: a body as a broken cloud or a network
        # login page might send it (b"[]", b"null", b"<html>..."). See answer_with().
        self.raw_answers: dict[tuple[str, str], bytes] = {}
        self._next_number = 1

    def create(self, data: dict[str, Any], base_url: str) -> dict[str, Any]:
        for key in ("name", "currency", "items", "contactDetails", "issueDate"):
            if not data.get(key):
                raise InvoiceError(422, f"{key} should not be empty")
        currency = str(data["currency"])
        items = data["items"]
        lines: list[tuple[Decimal, Decimal]] = []  # (net, sum of tax rates in percent)
        for position, item in enumerate(items, start=1):
            amount = _number(item.get("amount"), f"items[{position}].amount")
            qty = _number(item.get("qty", 1), f"items[{position}].qty")
            rates = sum((_number(t.get("rate"), "taxes.rate") for t in item.get("taxes") or []),
                        Decimal(0))  # fmt: skip
            lines.append((amount * qty, rates))
        subtotal = sum((net for net, _ in lines), Decimal(0))
        discount = data.get("discount") or {"type": "percentage", "value": 0}
        value = _number(discount.get("value", 0), "discount.value")
        off = subtotal * value / 100 if discount.get("type") == "percentage" else value
        kept = (subtotal - off) / subtotal if subtotal else Decimal(0)  # discount before tax
        taxes = sum((net * kept * rates / 100 for net, rates in lines), Decimal(0))
        total = _money(subtotal - off + taxes, currency)
        invoice_id = secrets.token_hex(12)
        number = str(data.get("invoiceNumber") or self._next_number)
        self._next_number += 1
        invoice = {
            "_id": invoice_id,
            "status": "draft",
            "liveMode": bool(data.get("liveMode", False)),
            "amountPaid": _money(0, currency),
            "altId": self.location_id,
            "altType": "location",
            "name": data["name"],
            "title": data.get("title", "INVOICE"),
            "businessDetails": data.get("businessDetails", {}),
            "invoiceNumber": number,
            "currency": currency,
            "contactDetails": data["contactDetails"],
            "issueDate": data["issueDate"],
            "dueDate": data.get("dueDate", data["issueDate"]),
            "discount": discount,
            "invoiceItems": items,
            "termsNotes": data.get("termsNotes", ""),
            "total": total,
            "amountDue": total,
            "invoiceUrl": f"{base_url}/invoice/{invoice_id}",
            "lastVisitedAt": None,
            "createdAt": _now(),
            "updatedAt": _now(),
        }
        self.invoices[invoice_id] = invoice
        self.controls.record(
            "invoice.create",
            f"invoice {number} for {data['contactDetails'].get('name', '?')}: {total} {currency}",
            dict(invoice),
        )
        return invoice

    def answer_with(self, invoice_id: str, body: bytes | None, what: str = "invoice") -> None:
        """Answer reads of `invoice_id` ("invoice" or "transactions") with `body`, 200 OK.

        None goes back to the truth.
        """
        if what not in ("invoice", "transactions"):
            raise ValueError(f"what is 'invoice' or 'transactions', not {what!r}")
        if body is None:
            self.raw_answers.pop((what, invoice_id), None)
        else:
            self.raw_answers[(what, invoice_id)] = body

    def raw_answer(self, invoice_id: str, what: str = "invoice") -> bytes | None:
        return self.raw_answers.get((what, invoice_id))

    def get(self, invoice_id: str) -> dict[str, Any]:
        invoice = self.invoices.get(invoice_id)
        if invoice is None:
            raise InvoiceError(404, "Invoice not found")
        return invoice

    def find(self, search: str, limit: int, offset: int) -> list[dict[str, Any]]:
        found = [
            invoice
            for invoice in reversed(self.invoices.values())
            if not search or search in (invoice["invoiceNumber"], invoice["name"])
        ]
        return found[offset : offset + limit]

    def send(self, invoice_id: str, data: dict[str, Any]) -> dict[str, Any]:
        invoice = self.get(invoice_id)
        if invoice["status"] == "void":
            raise InvoiceError(400, "A void invoice cannot be sent")
        if (
            not data.get("userId")
            and not data.get("sentFrom")
            and data.get("action") != "send_manually"
        ):
            raise InvoiceError(422, "userId or sentFrom is required")
        if invoice["status"] == "draft":
            invoice["status"] = "sent"
        invoice["updatedAt"] = _now()
        self.controls.record(
            "invoice.send", f"invoice {invoice['invoiceNumber']} sent", dict(invoice)
        )
        return invoice

    def pay(
        self, invoice_id: str, amount: Any, mode: str, *, online: bool = False
    ) -> dict[str, Any]:
        invoice = self.get(invoice_id)
        if invoice["status"] in ("void", "draft"):
            raise InvoiceError(400, f"A {invoice['status']} invoice cannot take payments")
        paid = _money(_number(amount, "amount"), invoice["currency"])
        if paid <= 0 or paid > invoice["amountDue"]:
            raise InvoiceError(422, f"amount must be between 0 and {invoice['amountDue']}")
        invoice["amountPaid"] += paid
        invoice["amountDue"] = invoice["total"] - invoice["amountPaid"]
        invoice["status"] = "paid" if invoice["amountDue"] <= 0 else "partially_paid"
        invoice["updatedAt"] = _now()
        self.transactions.append(
            {
                "_id": "txn_" + secrets.token_hex(10),
                "entityId": invoice_id,
                "entitySourceType": "invoice",
                "amount": paid,
                "currency": invoice["currency"],
                "status": "succeeded",
                "paymentProviderType": "stripe" if online else "manual",
                "mode": "online" if online else mode,
                "createdAt": _now(),
            }
        )
        kind = "invoice.paid_online" if online else "invoice.record_payment"
        summary = f"invoice {invoice['invoiceNumber']}: {paid} {invoice['currency']} ({mode})"
        self.controls.record(kind, summary, dict(invoice))
        return invoice

    def void(self, invoice_id: str) -> dict[str, Any]:
        invoice = self.get(invoice_id)
        if invoice["status"] in ("paid", "partially_paid"):
            raise InvoiceError(400, "An invoice with payments cannot be voided")
        invoice["status"] = "void"
        invoice["updatedAt"] = _now()
        self.controls.record(
            "invoice.void", f"invoice {invoice['invoiceNumber']} void", dict(invoice)
        )
        return invoice

    def view(self, invoice_id: str) -> dict[str, Any]:
        invoice = self.get(invoice_id)
        invoice["lastVisitedAt"] = _now()
        return invoice
