"""Invoice content to stored columns and back: lines, discount, totals, payments."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from leadcartel_desktop.domain.invoice import Invoice, InvoiceContent, Payment
from leadcartel_desktop.domain.invoice_status import InvoiceStatus
from leadcartel_desktop.domain.payments import PaymentMethod
from leadcartel_desktop.domain.totals import (
    Discount,
    DiscountKind,
    DiscountTiming,
    InvoiceTotals,
    LineItem,
)
from leadcartel_desktop.storage.convert import (
    date_text,
    decimal_text,
    taxes_from_json,
    taxes_json,
    to_date,
    to_decimal,
    to_instant,
)
from leadcartel_desktop.storage.snapshots import buyer_from_json, seller_from_json

# The columns the lock triggers guard, in the order replace_content writes them.
CONTENT_COLUMNS = (
    "contact_id", "currency", "issue_date", "due_date", "net_days", "discount_kind",
    "discount_timing", "discount_amount", "discount_percent", "prices_include_tax", "terms",
    "notes", "subtotal", "tax_total", "total",
)  # fmt: skip

INVOICE_COLUMNS = (
    "id, number, manual_number, status, viewed, cancel_reason, extra, issued_at, created_at, "
    "seller_snapshot, buyer_snapshot, " + ", ".join(CONTENT_COLUMNS)
)
LINE_COLUMNS = "description, quantity, unit, unit_price, taxes"
PAYMENT_COLUMNS = "id, amount, paid_on, method, reference, remote_id"


def content_params(content: InvoiceContent, totals: InvoiceTotals) -> dict[str, Any]:
    discount = content.discount
    return {
        "contact_id": content.contact_id,
        "currency": content.currency,
        "issue_date": date_text(content.issue_date),
        "due_date": date_text(content.due_date),
        "net_days": content.net_days,
        "discount_kind": discount.kind.value,
        "discount_timing": discount.timing.value,
        "discount_amount": discount.amount,
        "discount_percent": decimal_text(discount.percent),
        "prices_include_tax": int(content.prices_include_tax),
        "terms": content.terms,
        "notes": content.notes,
        "subtotal": totals.subtotal,
        "tax_total": totals.tax_total,
        "total": totals.total,
    }


def line_params(invoice_id: int, lines: Iterable[LineItem]) -> list[dict[str, Any]]:
    return [
        {
            "invoice_id": invoice_id,
            "position": position,
            "description": line.description,
            "quantity": decimal_text(line.quantity),
            "unit": line.unit,
            "unit_price": line.unit_price,
            "taxes": taxes_json(line.taxes),
        }
        for position, line in enumerate(lines, start=1)
    ]


def line_from_row(row: Any) -> LineItem:
    return LineItem(
        description=row.description,
        quantity=to_decimal(row.quantity),
        unit_price=row.unit_price,
        taxes=taxes_from_json(row.taxes),
        unit=row.unit,
    )


def payment_from_row(row: Any) -> Payment:
    return Payment(
        amount=row.amount,
        paid_on=to_date(row.paid_on),
        method=PaymentMethod(row.method),
        reference=row.reference,
        id=row.id,
        remote_id=row.remote_id,
    )


def invoice_from_rows(row: Any, lines: Iterable[Any], payments: Iterable[Any]) -> Invoice:
    content = InvoiceContent(
        contact_id=row.contact_id,
        currency=row.currency,
        issue_date=to_date(row.issue_date),
        due_date=to_date(row.due_date),
        lines=tuple(line_from_row(line) for line in lines),
        discount=Discount(
            kind=DiscountKind(row.discount_kind),
            timing=DiscountTiming(row.discount_timing),
            amount=row.discount_amount,
            percent=to_decimal(row.discount_percent),
        ),
        prices_include_tax=bool(row.prices_include_tax),
        terms=row.terms,
        notes=row.notes,
        net_days=row.net_days,
    )
    return Invoice(
        id=row.id,
        content=content,
        status=InvoiceStatus(row.status),
        number=row.number,
        payments=tuple(payment_from_row(payment) for payment in payments),
        viewed=bool(row.viewed),
        cancel_reason=row.cancel_reason,
        issued_at=to_instant(row.issued_at),
        created_at=to_instant(row.created_at),
        manual_number=row.manual_number,
        extra={str(key): str(value) for key, value in json.loads(row.extra).items()},
        seller=seller_from_json(row.seller_snapshot),
        buyer=buyer_from_json(row.buyer_snapshot),
    )
