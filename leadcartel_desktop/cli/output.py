"""What the commands print: invoices as JSON (amounts as decimal strings) and plain tables."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.domain.money import format_plain
from leadcartel_desktop.domain.taxes import TaxRate
from leadcartel_desktop.domain.totals import Discount, DiscountKind
from leadcartel_desktop.services.views import InvoiceDocument, InvoiceRow


def dumps(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def decimal_text(value: Decimal) -> str:
    """'3', '7.5', '0.125': exact, never in exponent form."""
    return f"{value:f}" if value != value.to_integral_value() else f"{value.normalize():f}"


def _when(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def contact_json(contact: Contact) -> dict[str, Any]:
    address = contact.address
    return {
        "id": contact.id,
        "display_name": contact.display_name,
        "first_name": contact.first_name,
        "last_name": contact.last_name,
        "company": contact.company,
        "email": contact.email,
        "phone": contact.phone,
        "address": {
            "street": address.street,
            "city": address.city,
            "region": address.region,
            "postal_code": address.postal_code,
            "country": address.country,
        },
    }


def _rate_json(rate: TaxRate) -> dict[str, Any]:
    return {
        "name": rate.name,
        "percent": decimal_text(rate.percent),
        "compound": rate.compound,
        "label": rate.label,
    }


def _discount_json(discount: Discount, currency: str) -> dict[str, str] | None:
    if discount.is_zero:
        return None
    percent = discount.kind is DiscountKind.PERCENT
    value = decimal_text(discount.percent) if percent else format_plain(discount.amount, currency)
    return {"type": discount.kind.value, "value": value, "apply": discount.timing.value}


def document_json(document: InvoiceDocument) -> dict[str, Any]:
    """Every field of the invoice and every computed figure; amounts as '1234.50'."""
    invoice, totals = document.invoice, document.totals
    content = invoice.content
    currency = content.currency

    def plain(minor: int) -> str:
        return format_plain(minor, currency)

    return {
        "id": invoice.id,
        "number": invoice.number,
        "manual_number": invoice.manual_number,
        "number_preview": document.number_preview,
        "status": invoice.status.value,
        "status_label": invoice.status.label,
        "display_status": document.display_status,
        "viewed": invoice.viewed,
        "cancel_reason": invoice.cancel_reason,
        "currency": currency,
        "issue_date": content.issue_date.isoformat(),
        "due_date": content.due_date.isoformat(),
        "net_days": content.net_days,
        "issued_at": _when(invoice.issued_at),
        "created_at": _when(invoice.created_at),
        "customer": contact_json(document.customer) if document.customer else None,
        "prices_include_tax": content.prices_include_tax,
        "discount": _discount_json(content.discount, currency),
        "terms": content.terms,
        "notes": content.notes,
        "lines": [
            {
                "position": position,
                "description": line.description,
                "quantity": decimal_text(line.quantity),
                "unit": line.unit,
                "unit_price": plain(line.unit_price),
                "taxes": [_rate_json(rate) for rate in line.taxes],
                "amount": plain(amount),
            }
            for position, (line, amount) in enumerate(
                zip(content.lines, totals.line_amounts, strict=True), start=1
            )
        ],
        "totals": {
            "subtotal": plain(totals.subtotal),
            "discount_before_tax": plain(totals.discount_before_tax),
            "taxable": plain(totals.taxable),
            "taxes": [
                {**_rate_json(tax.rate), "base": plain(tax.base), "amount": plain(tax.amount)}
                for tax in totals.taxes
            ],
            "tax_total": plain(totals.tax_total),
            "discount_after_tax": plain(totals.discount_after_tax),
            "discount": plain(totals.discount),
            "total": plain(totals.total),
            "paid": plain(totals.paid),
            "balance": plain(totals.balance),
        },
        "payments": [
            {
                "id": payment.id,
                "date": payment.paid_on.isoformat(),
                "method": payment.method.value,
                "reference": payment.reference,
                "amount": plain(payment.amount),
            }
            for payment in invoice.payments
        ],
    }


def row_json(row: InvoiceRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "number": row.number or None,
        "customer": row.customer,
        "issue_date": row.issue_date.isoformat(),
        "due_date": row.due_date.isoformat(),
        "status": row.stored_status.value,
        "display_status": row.status,
        "currency": row.currency,
        "total": format_plain(row.total, row.currency),
        "balance": format_plain(row.balance, row.currency),
    }


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: set[int]) -> str:
    """A plain-text table; columns in `right` are right-aligned (amounts)."""
    widths = [max([len(head), *(len(row[i]) for row in rows)]) for i, head in enumerate(headers)]

    def render(cells: Sequence[str]) -> str:
        parts = [
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(cells)
        ]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * width for width in widths)
    return "\n".join([render(headers), rule, *(render(row) for row in rows)]) + "\n"


def rows_table(rows: Sequence[InvoiceRow]) -> str:
    headers = ("Number", "Customer", "Issued", "Due", "Status", "Currency", "Total", "Balance")
    cells = [
        (
            row.number or f"draft #{row.id}",
            row.customer if len(row.customer) <= 32 else row.customer[:31] + "…",
            row.issue_date.isoformat(),
            row.due_date.isoformat(),
            row.status,
            row.currency,
            format_plain(row.total, row.currency),
            format_plain(row.balance, row.currency),
        )
        for row in rows
    ]
    noun = "invoice" if len(rows) == 1 else "invoices"
    return table(headers, cells, right={6, 7}) + f"{len(rows)} {noun}\n"


def document_text(document: InvoiceDocument) -> str:
    """A readable summary of one invoice, for `invoice show` without --json."""
    data = document_json(document)
    currency, totals = data["currency"], data["totals"]
    customer = data["customer"]["display_name"] if data["customer"] else "(no customer)"
    number = data["number"] or f"draft #{data['id']} (will be {data['number_preview']})"
    head = [
        f"Invoice   {number}",
        f"Status    {data['display_status']}",
        f"Customer  {customer}",
        f"Dates     issued {data['issue_date']}, due {data['due_date']}",
        "",
    ]
    lines = [
        (str(line["position"]), line["description"][:48], line["quantity"], line["unit"],
         line["unit_price"], ", ".join(tax["label"] for tax in line["taxes"]), line["amount"])
        for line in data["lines"]
    ]  # fmt: skip
    items = table(("#", "Description", "Qty", "Unit", "Price", "Taxes", "Amount"), lines, {2, 4, 6})
    if data["prices_include_tax"]:
        items += "Prices include tax.\n"
    # With tax-inclusive prices the lines add up to the total, not to the subtotal (net).
    net = "Subtotal (net)" if data["prices_include_tax"] else "Subtotal"
    figures = [(net, totals["subtotal"])]
    if data["discount"]:
        discount = data["discount"]
        value = f"{discount['value']}%" if discount["type"] == "percent" else ""
        label = f"Discount {value} {discount['apply'].replace('_', ' ')}"
        amount = totals["discount"]  # shown as taken off, as the PDF and the editor show it
        taken = amount if amount.startswith("-") or amount.strip("0.,") == "" else f"-{amount}"
        figures.append((" ".join(label.split()), taken))
    figures += [(tax["label"], tax["amount"]) for tax in totals["taxes"]]
    figures += [(label.title(), totals[label]) for label in ("total", "paid", "balance")]
    summary = [f"{label:>24}  {value:>14} {currency}" for label, value in figures]
    payments = [
        f"Payment   {p['date']}  {p['amount']} {currency}  {p['method']}  {p['reference']}".rstrip()
        for p in data["payments"]
    ]
    return "\n".join([*head, items, *summary, "", *payments]).rstrip() + "\n"
