"""Settings > Providers: validated provider choices, secrets to the keychain, the Test button."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path

from leadcartel_desktop.domain.errors import ValidationError
from leadcartel_desktop.domain.outbox import Channel
from leadcartel_desktop.domain.providers import ProviderKind, ProviderSettings, SecretName
from leadcartel_desktop.services.contact_fields import normalize_email
from leadcartel_desktop.services.sending import ProviderSetupService

_HOST = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$|^\[[0-9A-Fa-f:.]+\]$")
_E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")
_ACCOUNT_SID = re.compile(r"^AC[0-9a-fA-F]{32}$")
_SERVICE_SID = re.compile(r"^MG[0-9a-fA-F]{32}$")
CHANNELS = (Channel.EMAIL, Channel.SMS, Channel.WHATSAPP)


def _e164(field: str, value: str) -> str:
    number = re.sub(r"[\s()-]", "", value.removeprefix("whatsapp:"))
    if number and not _E164.match(number):
        raise ValidationError(field, f"'{value}' is not an E.164 number such as +14155550143")
    return number


def validated(settings: ProviderSettings) -> ProviderSettings:
    """The settings tidied (trimmed, normalised), or ValidationError naming the field at fault."""
    kinds = {settings.email, settings.sms, settings.whatsapp}
    smtp, twilio, cloud = settings.smtp, settings.twilio, settings.cloud
    smtp = replace(
        smtp,
        host=smtp.host.strip(),
        username=smtp.username.strip(),
        from_name=smtp.from_name.strip(),
    )
    if not 1 <= smtp.port <= 65535:
        raise ValidationError("SMTP port", "must be between 1 and 65535")
    if ProviderKind.SMTP in kinds:
        if not smtp.host or not _HOST.match(smtp.host):
            raise ValidationError(
                "SMTP host", "enter the server's host name, e.g. smtp.example.com"
            )
        if not smtp.from_address.strip():
            raise ValidationError("From address", "enter the address invoices are sent from")
    try:
        smtp = replace(smtp, from_address=normalize_email(smtp.from_address))
    except ValidationError as error:
        raise ValidationError("From address", error.detail) from None
    twilio = replace(
        twilio,
        account_sid=twilio.account_sid.strip(),
        messaging_service_sid=twilio.messaging_service_sid.strip(),
        from_number=_e164("From number", twilio.from_number.strip()),
        whatsapp_from=_e164("WhatsApp from", twilio.whatsapp_from.strip()),
    )
    if ProviderKind.TWILIO in kinds:
        if not _ACCOUNT_SID.match(twilio.account_sid):
            raise ValidationError("Account SID", "starts with AC followed by 32 hex digits")
        if twilio.messaging_service_sid and not _SERVICE_SID.match(twilio.messaging_service_sid):
            raise ValidationError(
                "Messaging service SID", "starts with MG followed by 32 hex digits"
            )
        if settings.sms is ProviderKind.TWILIO and not (
            twilio.from_number or twilio.messaging_service_sid
        ):
            raise ValidationError("From number", "enter a from number or a messaging service SID")
        if settings.whatsapp is ProviderKind.TWILIO and not twilio.whatsapp_from:
            raise ValidationError("WhatsApp from", "enter the WhatsApp sender number")
    cloud = replace(
        cloud, location_id=cloud.location_id.strip(), api_version=cloud.api_version.strip()
    )
    if ProviderKind.CLOUD in kinds:
        if not cloud.location_id:
            raise ValidationError("Location id", "enter the Lead Cartel location id")
        if not re.match(r"^\d{4}-\d{2}-\d{2}$", cloud.api_version):
            raise ValidationError("API version", "a date such as 2021-07-28")
    ca_bundle = settings.ca_bundle.strip()
    if ca_bundle and not Path(ca_bundle).is_file():
        raise ValidationError("CA bundle path", f"there is no file at {ca_bundle}")
    return replace(settings, smtp=smtp, twilio=twilio, cloud=cloud, ca_bundle=ca_bundle)


class ProviderSettingsService:
    """What the Providers tab calls: validated save, secrets only in the keychain, Test."""

    def __init__(
        self, setup: ProviderSetupService, on_saved: Callable[[], None] | None = None
    ) -> None:
        """`on_saved` runs after every Save.

        Meant for the outbox's resume_paused: the channels whose credentials were refused are
        tried again, even when the values saved are the same.
        """
        self._setup = setup
        self._on_saved = on_saved

    def settings(self) -> ProviderSettings:
        return self._setup.settings()

    def saved_secrets(self) -> dict[SecretName, bool]:
        """Which secrets are in the keychain (never their values)."""
        return {name: self._setup.has_secret(name) for name in SecretName}

    def keychain_available(self) -> bool:
        return self._setup.keychain_available()

    def save(
        self, settings: ProviderSettings, secrets: dict[SecretName, str | None] | None = None
    ) -> ProviderSettings:
        """Save the settings; each secret given is set ('' clears it, None leaves it as is)."""
        tidy = validated(settings)
        for name, value in (secrets or {}).items():
            if value is None:
                continue
            if value:
                self._setup.save_secret(name, value)
            else:
                self._setup.delete_secret(name)
        self._setup.save(tidy)
        if self._on_saved is not None:
            self._on_saved()
        return tidy

    def test(
        self,
        channel: Channel,
        settings: ProviderSettings | None = None,
        typed: Mapping[SecretName, str] | None = None,
    ) -> str:
        """provider.check(): a success text, or UserFacingError with its message as it is.

        `typed` secrets are tried, not kept: Save keeps them.
        """
        tidy = validated(settings) if settings is not None else None
        return self._setup.test(channel, tidy, typed)
