"""Business settings and tax rates, checked before they are saved."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from leadcartel_desktop.domain.business import BusinessSettings
from leadcartel_desktop.domain.errors import ValidationError
from leadcartel_desktop.domain.money import check_currency
from leadcartel_desktop.domain.numbering import validate_number_format
from leadcartel_desktop.domain.taxes import TaxRate
from leadcartel_desktop.domain.terms import due_date_for_net
from leadcartel_desktop.services.contact_fields import normalize_email, normalize_phone

if TYPE_CHECKING:  # the ports module loads every domain type: not needed to read settings
    from leadcartel_desktop.services.ports import UnitOfWorkFactory


def check_time_zone(name: str) -> ZoneInfo:
    """The business's IANA zone; the same check as a contact's (domain/send_windows.zone)."""
    # Imported here: the settings are read before the first paint, the zone check only on save.
    from leadcartel_desktop.domain.send_windows import zone

    return zone(name, "Time zone")


def check_locale(name: str) -> str:
    """A locale babel knows ('en_US', 'fr_FR', 'tr'), so money and dates can be formatted."""
    from babel import Locale, UnknownLocaleError

    try:
        return str(Locale.parse(name.strip().replace("-", "_")))
    except (UnknownLocaleError, ValueError, TypeError):
        raise ValidationError("Locale", f"'{name}' is not a known locale") from None


def check_unsubscribe_url(url: str) -> None:
    """An https link (RFC 8058 one-click unsubscribe needs https), or empty for none."""
    if url and (not url.startswith("https://") or any(char.isspace() for char in url)):
        raise ValidationError("Unsubscribe link", "must be an https:// link (or left empty)")


class SettingsService:
    def __init__(self, unit_of_work: UnitOfWorkFactory) -> None:
        self._uow = unit_of_work

    def business(self) -> BusinessSettings:
        with self._uow(read_only=True) as uow:
            return uow.settings.business()

    def save_business(self, settings: BusinessSettings) -> BusinessSettings:
        cleaned = _cleaned(settings)
        with self._uow() as uow:
            uow.settings.save_business(cleaned)
            uow.commit()
        return cleaned

    def save_business_and_tax_rates(
        self, settings: BusinessSettings, rates: Sequence[TaxRate]
    ) -> BusinessSettings:
        """Both checked, then both written in one transaction: a refusal keeps neither."""
        cleaned = _cleaned(settings)
        _check_rates(rates)
        with self._uow() as uow:
            uow.settings.save_business(cleaned)
            uow.settings.save_tax_rates(rates)
            uow.commit()
        return cleaned

    def tax_rates(self) -> list[TaxRate]:
        with self._uow(read_only=True) as uow:
            return uow.settings.tax_rates()

    def save_tax_rates(self, rates: Sequence[TaxRate]) -> None:
        _check_rates(rates)
        with self._uow() as uow:
            uow.settings.save_tax_rates(rates)
            uow.commit()


def _cleaned(settings: BusinessSettings) -> BusinessSettings:
    """The business settings checked and tidied; ValidationError names the field at fault."""
    import phonenumbers  # on save only: it is a long import for start-up

    country = settings.default_country.strip().upper()
    if country and country not in phonenumbers.SUPPORTED_REGIONS:
        raise ValidationError("Default country", f"'{country}' is not a country code")
    time_zone = check_time_zone(settings.time_zone).key  # as the zone list names it
    validate_number_format(settings.number_format)
    due_date_for_net(date(2000, 1, 1), settings.payment_terms_days)
    if not settings.company_name.strip():
        raise ValidationError("Company name", "is required")
    locale = check_locale(settings.locale)
    check_unsubscribe_url(settings.unsubscribe_url)
    return replace(
        settings,
        locale=locale,
        company_name=settings.company_name.strip(),
        time_zone=time_zone,
        default_currency=check_currency(settings.default_currency),
        default_country=country,
        email=normalize_email(settings.email),
        phone=normalize_phone(settings.phone, country),
    )


def _check_rates(rates: Sequence[TaxRate]) -> None:
    names = [rate.name.strip().casefold() for rate in rates]
    duplicates = {name for name in names if names.count(name) > 1}
    if duplicates:
        raise ValidationError("Tax rates", f"the name '{sorted(duplicates)[0]}' is used twice")
