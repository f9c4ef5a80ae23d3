"""Which provider carries each channel, and their non-secret settings (secrets live in keyring)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class ProviderKind(StrEnum):
    NONE = "none"
    SMTP = "smtp"
    TWILIO = "twilio"
    CLOUD = "cloud"  # the Lead Cartel account (HighLevel API v2)


class SmtpSecurity(StrEnum):
    STARTTLS = "starttls"  # port 587
    TLS = "tls"  # implicit TLS, port 465


class SecretName(StrEnum):
    """Keychain entries; their values never reach the database, logs, backups or exports."""

    SMTP_PASSWORD = "smtp_password"
    TWILIO_AUTH_TOKEN = "twilio_auth_token"
    CLOUD_TOKEN = "cloud_private_integration_token"


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    host: str = ""
    port: int = 587
    security: SmtpSecurity = SmtpSecurity.STARTTLS
    username: str = ""
    from_name: str = ""
    from_address: str = ""


@dataclass(frozen=True, slots=True)
class TwilioSettings:
    account_sid: str = ""
    from_number: str = ""
    messaging_service_sid: str = ""
    whatsapp_from: str = ""
    base_url: str = "https://api.twilio.com"


@dataclass(frozen=True, slots=True)
class CloudSettings:
    location_id: str = ""
    api_version: str = "2021-07-28"
    base_url: str = "https://services.leadconnectorhq.com"


@dataclass(frozen=True, slots=True)
class ProviderSettings:
    email: ProviderKind = ProviderKind.NONE
    sms: ProviderKind = ProviderKind.NONE
    whatsapp: ProviderKind = ProviderKind.NONE
    smtp: SmtpSettings = field(default_factory=SmtpSettings)
    twilio: TwilioSettings = field(default_factory=TwilioSettings)
    cloud: CloudSettings = field(default_factory=CloudSettings)
    # Extra certificate authority bundle to trust (the sandbox's own CA); empty = system CAs.
    ca_bundle: str = ""

    @property
    def uses_cloud(self) -> bool:
        return ProviderKind.CLOUD in (self.email, self.sms, self.whatsapp) or bool(
            self.cloud.location_id
        )
