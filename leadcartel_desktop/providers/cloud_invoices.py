"""An issued invoice as the cloud's POST /invoices/ body; amounts as exact decimals, never float."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from leadcartel_desktop.domain.business import BusinessSettings
from leadcartel_desktop.domain.contact import Address, Contact
from leadcartel_desktop.domain.invoice import Invoice
from leadcartel_desktop.domain.money import to_major
from leadcartel_desktop.domain.taxes import TaxRate
from leadcartel_desktop.domain.totals import Discount, DiscountKind

NAME_LIMIT = 100


def _address(address: Address) -> dict[str, str]:
    fields = {
        "addressLine1": address.street,
        "city": address.city,
        "state": address.region,
        "postalCode": address.postal_code,
        "countryCode": address.country,
    }
    return {key: value for key, value in fields.items() if value}


def _tax(rate: TaxRate) -> dict[str, Any]:
    # The cloud has no compound taxes: a compound rate goes as a plain one, and the app's own
    # totals (and PDF) stay the reference.
    return {
        "_id": rate.key,
        "name": rate.name,
        "rate": rate.percent,
        "calculation": "exclusive",
        "description": rate.label,
    }


def _discount(discount: Discount, currency: str) -> dict[str, Any]:
    if discount.kind is DiscountKind.PERCENT:
        return {"type": "percentage", "value": discount.percent}
    return {"type": "fixed", "value": to_major(discount.amount, currency)}


def _name(description: str) -> str:
    first = description.strip().splitlines()[0] if description.strip() else "Item"
    return first if len(first) <= NAME_LIMIT else first[: NAME_LIMIT - 1] + "…"


def invoice_body(
    invoice: Invoice,
    customer: Contact,
    cloud_contact_id: str,
    business: BusinessSettings,
    *,
    live_mode: bool,
) -> dict[str, Any]:
    """The JSON body for CloudClient.create_invoice (it adds altId and altType)."""
    content = invoice.content
    currency = content.currency
    number = invoice.number or f"draft-{invoice.id}"
    items = [
        {
            "name": _name(line.description),
            "description": line.description,
            "currency": currency,
            "amount": to_major(line.unit_price, currency),
            "qty": Decimal(line.quantity),
            "taxes": [_tax(rate) for rate in line.taxes],
            "taxInclusive": content.prices_include_tax,
        }
        for line in content.lines
    ]
    contact: dict[str, Any] = {
        "id": cloud_contact_id,
        "name": customer.display_name,
        "email": customer.email,
        "phoneNo": customer.phone,
        "companyName": customer.company,
        "address": _address(customer.address),
    }
    details: dict[str, Any] = {
        "name": business.company_name,
        "address": _address(business.address),
        "phoneNo": business.phone,
    }
    terms = "\n\n".join(part for part in (content.terms, content.notes) if part.strip())
    return {
        "name": f"Invoice {number}",
        "title": business.document_title or "INVOICE",
        "currency": currency,
        "items": items,
        "discount": _discount(content.discount, currency),
        "contactDetails": {key: value for key, value in contact.items() if value},
        "businessDetails": {key: value for key, value in details.items() if value},
        "invoiceNumber": number,
        "issueDate": content.issue_date.isoformat(),
        "dueDate": content.due_date.isoformat(),
        "termsNotes": terms,
        "liveMode": live_mode,
    }
