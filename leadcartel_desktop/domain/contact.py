"""Customers: who an invoice is for, and how to reach them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from leadcartel_desktop.domain.errors import ValidationError
from leadcartel_desktop.domain.text import check_no_control

# E.164: a plus, a country code that does not start with 0, at most 15 digits in all.
_E164 = re.compile(r"\+[1-9][0-9]{6,14}")


def is_e164(phone: str) -> bool:
    """A number in the only form the providers take ('+6591234567'): country code, digits."""
    return _E164.fullmatch(phone.strip()) is not None


@dataclass(frozen=True, slots=True)
class Address:
    street: str = ""
    city: str = ""
    region: str = ""
    postal_code: str = ""
    country: str = ""

    def lines(self) -> list[str]:
        """Printable lines, empty parts left out."""
        city_line = " ".join(part for part in (self.postal_code, self.city) if part)
        if self.region:
            city_line = f"{city_line}, {self.region}" if city_line else self.region
        return [line for line in (self.street, city_line, self.country) if line]


@dataclass(frozen=True, slots=True)
class Contact:
    """A customer; `phone` is E.164 and `email` already normalised by the service layer."""

    first_name: str = ""
    last_name: str = ""
    email: str = ""
    phone: str = ""
    company: str = ""
    address: Address = field(default_factory=Address)
    id: int | None = None

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)

    @property
    def display_name(self) -> str:
        return self.full_name or self.company or self.email or "(no name)"

    def check_required(self) -> None:
        if not (self.first_name.strip() or self.last_name.strip() or self.company.strip()):
            raise ValidationError("First name", "enter a first name, last name or company")
        for label, value, limit in (
            ("First name", self.first_name, 100),
            ("Last name", self.last_name, 100),
            ("Company", self.company, 200),
            ("Street", self.address.street, 300),
            ("City", self.address.city, 100),
        ):
            if len(value) > limit:
                raise ValidationError(label, f"is longer than {limit} characters")
        address = self.address
        for label, value in (
            ("First name", self.first_name),
            ("Last name", self.last_name),
            ("Email", self.email),
            ("Phone", self.phone),
            ("Company", self.company),
            ("Street", address.street),
            ("City", address.city),
            ("State/province", address.region),
            ("Postal code", address.postal_code),
            ("Country", address.country),
        ):
            check_no_control(label, value)
