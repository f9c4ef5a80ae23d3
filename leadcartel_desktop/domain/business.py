"""The operator's business: identity printed on invoices and the defaults for new ones."""

from __future__ import annotations

from dataclasses import dataclass, field

from leadcartel_desktop.domain.contact import Address
from leadcartel_desktop.domain.numbering import DEFAULT_NUMBER_FORMAT


@dataclass(frozen=True, slots=True)
class BusinessSettings:
    company_name: str = ""
    address: Address = field(default_factory=Address)
    email: str = ""
    phone: str = ""
    tax_id: str = ""
    logo_png: bytes | None = None
    default_currency: str = "USD"
    time_zone: str = "UTC"
    default_country: str = "US"
    number_format: str = DEFAULT_NUMBER_FORMAT
    payment_terms_days: int = 30
    default_terms: str = ""
    default_notes: str = ""
    locale: str = "en_US"
    document_title: str = ""
