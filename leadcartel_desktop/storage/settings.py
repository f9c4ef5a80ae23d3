"""Business settings (one row, logo as a BLOB) and the ordered list of tax rates."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from leadcartel_desktop.domain.business import BusinessSettings
from leadcartel_desktop.domain.contact import Address
from leadcartel_desktop.domain.taxes import TaxRate
from leadcartel_desktop.storage.convert import decimal_text, to_decimal
from leadcartel_desktop.storage.sql import Statements

_ADDRESS = ("street", "city", "region", "postal_code", "country")
_FIELDS = (
    "company_name", "email", "phone", "tax_id", "logo_png", "default_currency", "time_zone",
    "default_country", "number_format", "payment_terms_days", "default_terms",
    "default_notes", "locale", "document_title", "unsubscribe_url",
)  # fmt: skip
_COLUMNS = _FIELDS + _ADDRESS


def _params(settings: BusinessSettings) -> dict[str, Any]:
    params = {name: getattr(settings, name) for name in _FIELDS}
    params.update({name: getattr(settings.address, name) for name in _ADDRESS})
    return params


class SqlSettingsRepository:
    def __init__(self, sql: Statements) -> None:
        self._sql = sql

    def business(self) -> BusinessSettings:
        """The saved settings, or the defaults while none have been saved."""
        row = self._sql.run(
            f"SELECT {', '.join(_COLUMNS)} FROM business_settings WHERE id = 1"
        ).first()
        if row is None:
            return BusinessSettings()
        values = row._asdict()
        address = Address(**{name: values.pop(name) for name in _ADDRESS})
        return BusinessSettings(address=address, **values)

    def save_business(self, settings: BusinessSettings) -> None:
        params = _params(settings)
        columns = ", ".join(params)
        values = ", ".join(f":{name}" for name in params)
        updates = ", ".join(f"{name} = excluded.{name}" for name in params)
        self._sql.run(
            f"INSERT INTO business_settings (id, {columns}) VALUES (1, {values}) "
            f"ON CONFLICT (id) DO UPDATE SET {updates}",
            params,
        )

    def tax_rates(self) -> list[TaxRate]:
        rows = self._sql.run("SELECT name, percent, compound FROM tax_rates ORDER BY position")
        return [TaxRate(row.name, to_decimal(row.percent), bool(row.compound)) for row in rows]

    def save_tax_rates(self, rates: Sequence[TaxRate]) -> None:
        """Replace the list; the order given is the order kept."""
        self._sql.run("DELETE FROM tax_rates")
        self._sql.many(
            "INSERT INTO tax_rates (name, percent, compound, position) "
            "VALUES (:name, :percent, :compound, :position)",
            [
                {
                    "name": rate.name.strip(),
                    "percent": decimal_text(rate.percent),
                    "compound": int(rate.compound),
                    "position": position,
                }
                for position, rate in enumerate(rates, start=1)
            ],
        )
