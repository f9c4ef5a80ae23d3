"""DefaultProviderFactory: which adapter carries each channel, and what it says when none can."""

from __future__ import annotations

from dataclasses import replace

import pytest

from leadcartel_desktop.domain.errors import UserFacingError
from leadcartel_desktop.domain.outbox import Channel
from leadcartel_desktop.domain.providers import (
    CloudSettings,
    ProviderKind,
    ProviderSettings,
    SecretName,
    SmtpSettings,
    TwilioSettings,
)
from leadcartel_desktop.providers.cloud_messages import CloudMessageProvider
from leadcartel_desktop.providers.factory import DefaultProviderFactory
from leadcartel_desktop.providers.smtp import SmtpProvider
from leadcartel_desktop.providers.twilio import TwilioProvider


class Secrets:
    def __init__(self, values: dict[str, str], available: bool = True) -> None:
        self.values = values
        self._available = available

    def available(self) -> bool:
        return self._available

    def get(self, name: str) -> str | None:
        return self.values.get(name)

    def set(self, name: str, value: str) -> None:
        self.values[name] = value

    def delete(self, name: str) -> None:
        self.values.pop(name, None)


SETTINGS = ProviderSettings(
    email=ProviderKind.SMTP,
    sms=ProviderKind.TWILIO,
    whatsapp=ProviderKind.CLOUD,
    smtp=SmtpSettings(host="smtp.example.com", username="me", from_address="me@example.com"),
    twilio=TwilioSettings(account_sid="AC123", from_number="+15005550006"),
    cloud=CloudSettings(location_id="loc-1"),
)
ALL = {
    SecretName.SMTP_PASSWORD: "pw",
    SecretName.TWILIO_AUTH_TOKEN: "token",
    SecretName.CLOUD_TOKEN: "pit",
}


@pytest.fixture
def factory():
    built = DefaultProviderFactory()
    yield built
    built.close()


def test_each_channel_gets_its_configured_adapter(factory):
    secrets = Secrets(dict(ALL))
    assert isinstance(factory.provider_for(Channel.EMAIL, SETTINGS, secrets), SmtpProvider)
    assert isinstance(factory.provider_for(Channel.SMS, SETTINGS, secrets), TwilioProvider)
    assert isinstance(
        factory.provider_for(Channel.WHATSAPP, SETTINGS, secrets), CloudMessageProvider
    )


@pytest.mark.parametrize(
    ("channel", "label"),
    [(Channel.SMS, "SMS"), (Channel.EMAIL, "email"), (Channel.WHATSAPP, "WhatsApp")],
)
def test_no_provider_set_says_where_to_choose_one(factory, channel, label):
    with pytest.raises(UserFacingError) as refused:
        factory.provider_for(channel, ProviderSettings(), Secrets(dict(ALL)))
    assert (
        refused.value.message
        == f"No provider is set for {label}: choose one in Settings > Providers"
    )


def test_a_missing_secret_says_which_one(factory):
    with pytest.raises(UserFacingError, match="No Twilio auth token is saved"):
        factory.provider_for(Channel.SMS, SETTINGS, Secrets({}))


def test_no_keychain_is_named_as_the_reason(factory):
    with pytest.raises(UserFacingError, match="No system keychain is available"):
        factory.provider_for(Channel.SMS, SETTINGS, Secrets({}, available=False))


def test_smtp_cannot_carry_sms(factory):
    settings = replace(SETTINGS, sms=ProviderKind.SMTP)
    with pytest.raises(
        UserFacingError, match="SMTP cannot carry SMS: choose another in Settings > Providers"
    ):
        factory.provider_for(Channel.SMS, settings, Secrets(dict(ALL)))


def test_the_same_settings_reuse_the_adapter_and_a_new_secret_replaces_it(factory):
    secrets = Secrets(dict(ALL))
    first = factory.provider_for(Channel.SMS, SETTINGS, secrets)
    assert factory.provider_for(Channel.SMS, SETTINGS, secrets) is first
    secrets.values[SecretName.TWILIO_AUTH_TOKEN] = "rotated"
    second = factory.provider_for(Channel.SMS, SETTINGS, secrets)
    assert second is not first
    assert isinstance(first, TwilioProvider) and isinstance(second, TwilioProvider)
    assert second.http is first.http  # one session per provider: connections kept


def test_smtp_without_a_user_name_needs_no_password(factory):
    settings = replace(SETTINGS, smtp=replace(SETTINGS.smtp, username=""))
    assert isinstance(factory.provider_for(Channel.EMAIL, settings, Secrets({})), SmtpProvider)


def test_the_cloud_needs_a_location(factory):
    settings = replace(SETTINGS, cloud=CloudSettings(location_id=""))
    with pytest.raises(UserFacingError, match="location id"):
        factory.provider_for(Channel.WHATSAPP, settings, Secrets(dict(ALL)))
