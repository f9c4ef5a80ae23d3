"""An issued invoice's seller and buyer snapshots as JSON text, and back."""

from __future__ import annotations

import json
from typing import Any

from leadcartel_desktop.domain.business import Seller
from leadcartel_desktop.domain.contact import Address, Contact

# Migration 0003 fills the same keys in SQL for invoices issued before snapshots were kept;
# the logo is hex (SQLite's hex() writes it, there is no base64 in SQL).
_ADDRESS_KEYS = ("street", "city", "region", "postal_code", "country")


def _address_json(address: Address) -> dict[str, str]:
    return {key: getattr(address, key) for key in _ADDRESS_KEYS}


def _address(data: dict[str, Any]) -> Address:
    return Address(**{key: str(data.get(key) or "") for key in _ADDRESS_KEYS})


def seller_json(seller: Seller | None) -> str | None:
    if seller is None:
        return None
    return json.dumps(
        {
            "company_name": seller.company_name,
            **_address_json(seller.address),
            "email": seller.email,
            "phone": seller.phone,
            "tax_id": seller.tax_id,
            "logo_png": seller.logo_png.hex() if seller.logo_png else None,
            "locale": seller.locale,
            "document_title": seller.document_title,
        },
        ensure_ascii=False,
    )


def seller_from_json(text: str | None) -> Seller | None:
    if text is None:
        return None
    data = json.loads(text)
    logo = data.get("logo_png")
    return Seller(
        company_name=str(data.get("company_name") or ""),
        address=_address(data),
        email=str(data.get("email") or ""),
        phone=str(data.get("phone") or ""),
        tax_id=str(data.get("tax_id") or ""),
        logo_png=bytes.fromhex(logo) if logo else None,
        locale=str(data.get("locale") or "en_US"),
        document_title=str(data.get("document_title") or ""),
    )


def buyer_json(buyer: Contact | None) -> str | None:
    if buyer is None:
        return None
    return json.dumps(
        {
            "id": buyer.id,
            "first_name": buyer.first_name,
            "last_name": buyer.last_name,
            "email": buyer.email,
            "phone": buyer.phone,
            "company": buyer.company,
            **_address_json(buyer.address),
        },
        ensure_ascii=False,
    )


def buyer_from_json(text: str | None) -> Contact | None:
    if text is None:
        return None
    data = json.loads(text)
    contact_id = data.get("id")
    return Contact(
        first_name=str(data.get("first_name") or ""),
        last_name=str(data.get("last_name") or ""),
        email=str(data.get("email") or ""),
        phone=str(data.get("phone") or ""),
        company=str(data.get("company") or ""),
        address=_address(data),
        id=None if contact_id is None else int(contact_id),
    )
