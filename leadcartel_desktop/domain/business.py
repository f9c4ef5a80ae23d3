"""The operator's business: identity printed on invoices and the defaults for new ones."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

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
    unsubscribe_url: str = ""  # https link in campaign emails ({email} filled in); '' = none


@dataclass(frozen=True, slots=True)
class Seller:
    """The business as an issued invoice prints it, kept from the moment it was issued."""

    company_name: str = ""
    address: Address = field(default_factory=Address)
    email: str = ""
    phone: str = ""
    tax_id: str = ""
    logo_png: bytes | None = None
    locale: str = "en_US"
    document_title: str = ""

    @classmethod
    def of(cls, business: BusinessSettings) -> Seller:
        return cls(
            company_name=business.company_name,
            address=business.address,
            email=business.email,
            phone=business.phone,
            tax_id=business.tax_id,
            logo_png=business.logo_png,
            locale=business.locale,
            document_title=business.document_title,
        )

    def printed_on(self, business: BusinessSettings) -> BusinessSettings:
        """`business` with every printed field as it was when the invoice was issued."""
        return replace(
            business,
            company_name=self.company_name,
            address=self.address,
            email=self.email,
            phone=self.phone,
            tax_id=self.tax_id,
            logo_png=self.logo_png,
            locale=self.locale,
            document_title=self.document_title,
        )
