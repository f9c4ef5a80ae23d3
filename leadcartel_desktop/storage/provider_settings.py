"""Provider settings in one row: which provider carries each channel, and their non-secret fields.

Secrets are not fields of ProviderSettings and the table has no column for one: they stay in
the OS keychain.
"""

from __future__ import annotations

from dataclasses import fields, replace
from typing import Any

from leadcartel_desktop.domain.providers import (
    CloudSettings,
    ProviderKind,
    ProviderSettings,
    SmtpSecurity,
    SmtpSettings,
    TwilioSettings,
)
from leadcartel_desktop.storage.sql import Statements

_CHANNELS = ("email", "sms", "whatsapp")
_GROUPS: dict[str, type[Any]] = {
    "smtp": SmtpSettings,
    "twilio": TwilioSettings,
    "cloud": CloudSettings,
}
_COLUMNS = (
    *_CHANNELS,
    *(f"{group}_{field.name}" for group, kind in _GROUPS.items() for field in fields(kind)),
    "ca_bundle",
)


def _params(settings: ProviderSettings) -> dict[str, Any]:
    params: dict[str, Any] = {name: getattr(settings, name).value for name in _CHANNELS}
    for group in _GROUPS:
        values = getattr(settings, group)
        for field in fields(values):
            value = getattr(values, field.name)
            params[f"{group}_{field.name}"] = getattr(value, "value", value)
    params["ca_bundle"] = settings.ca_bundle
    return params


def _settings(values: dict[str, Any]) -> ProviderSettings:
    groups = {
        group: kind(**{field.name: values[f"{group}_{field.name}"] for field in fields(kind)})
        for group, kind in _GROUPS.items()
    }
    groups["smtp"] = replace(groups["smtp"], security=SmtpSecurity(groups["smtp"].security))
    return ProviderSettings(
        **{name: ProviderKind(values[name]) for name in _CHANNELS},
        **groups,
        ca_bundle=values["ca_bundle"],
    )


class SqlProviderSettingsRepository:
    def __init__(self, sql: Statements) -> None:
        self._sql = sql

    def providers(self) -> ProviderSettings:
        """The saved settings, or the defaults (no provider anywhere) while none are saved."""
        row = self._sql.run(
            f"SELECT {', '.join(_COLUMNS)} FROM provider_settings WHERE id = 1"
        ).first()
        if row is None:
            return ProviderSettings()
        return _settings(row._asdict())

    def save_providers(self, settings: ProviderSettings) -> None:
        params = _params(settings)
        columns = ", ".join(params)
        values = ", ".join(f":{name}" for name in params)
        updates = ", ".join(f"{name} = excluded.{name}" for name in params)
        self._sql.run(
            f"INSERT INTO provider_settings (id, {columns}) VALUES (1, {values}) "
            f"ON CONFLICT (id) DO UPDATE SET {updates}",
            params,
        )
