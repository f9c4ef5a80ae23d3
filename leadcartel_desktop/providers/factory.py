"""The provider for each channel, built from the settings and the keychain; sessions are reused."""

from __future__ import annotations

import threading
from collections.abc import Callable

from leadcartel_desktop.domain.errors import UserFacingError
from leadcartel_desktop.domain.outbox import Channel
from leadcartel_desktop.domain.providers import ProviderKind, ProviderSettings, SecretName
from leadcartel_desktop.providers import cloud, twilio
from leadcartel_desktop.providers.cloud import CloudClient
from leadcartel_desktop.providers.cloud_calls import CloudCallProvider
from leadcartel_desktop.providers.cloud_conversations import CloudConversations
from leadcartel_desktop.providers.cloud_messages import CloudMessageProvider
from leadcartel_desktop.providers.cloud_receipts import CloudReceipts
from leadcartel_desktop.providers.http import ProviderHttp, Timeouts
from leadcartel_desktop.providers.smtp import SmtpProvider
from leadcartel_desktop.providers.twilio import TwilioProvider
from leadcartel_desktop.providers.twilio_inbound import TwilioInbound
from leadcartel_desktop.providers.twilio_receipts import TwilioReceipts
from leadcartel_desktop.services.messaging_ports import MessageProvider, SecretStore
from leadcartel_desktop.services.ports import Clock
from leadcartel_desktop.services.receipt_ports import ReceiptSource
from leadcartel_desktop.services.thread_ports import InboundSource

_LABELS = {Channel.EMAIL: "email", Channel.SMS: "SMS", Channel.WHATSAPP: "WhatsApp"}
_KINDS = {ProviderKind.SMTP: "SMTP", ProviderKind.TWILIO: "Twilio", ProviderKind.CLOUD: "The cloud"}


def _secret(secrets: SecretStore, name: SecretName, what: str) -> str:
    value = secrets.get(name)
    if not value:
        if not secrets.available():
            raise UserFacingError(
                f"No system keychain is available, so the {what} cannot be read: "
                "Lead Cartel Desktop never stores secrets in plain text."
            )
        raise UserFacingError(f"No {what} is saved: enter it in Settings > Providers.")
    return value


class DefaultProviderFactory:
    """ProviderFactory that reuses what it builds.

    A provider (and its HTTP session) is built once per settings and secret, so consecutive
    sends reuse connections; new settings or a new secret build a new one.
    """

    def __init__(
        self,
        *,
        timeouts: Timeouts | None = None,
        smtp_timeout: float = 30.0,
        clock: Clock | None = None,
    ) -> None:
        self.timeouts = timeouts or Timeouts()
        self.smtp_timeout = smtp_timeout
        self.clock = clock
        self._lock = threading.Lock()
        self._http: dict[tuple[str, str, str], ProviderHttp] = {}
        self._providers: dict[Channel, tuple[tuple[object, ...], MessageProvider]] = {}

    def provider_for(
        self, channel: Channel, settings: ProviderSettings, secrets: SecretStore
    ) -> MessageProvider:
        if channel is Channel.CLOUD:  # calls to the cloud API itself (payment pushes, ...)
            return self._cloud_calls(settings, secrets)
        kind = {
            Channel.EMAIL: settings.email,
            Channel.SMS: settings.sms,
            Channel.WHATSAPP: settings.whatsapp,
        }.get(channel, ProviderKind.NONE)
        label = _LABELS.get(channel, channel.value)
        if kind is ProviderKind.NONE:
            raise UserFacingError(
                f"No provider is set for {label}: choose one in Settings > Providers"
            )
        if kind is ProviderKind.SMTP and channel is Channel.EMAIL:
            password = (
                _secret(secrets, SecretName.SMTP_PASSWORD, "SMTP password")
                if (settings.smtp.username)
                else ""
            )
            key: tuple[object, ...] = (channel, kind, settings.smtp, settings.ca_bundle, password)
            return self._cached(
                key,
                lambda: SmtpProvider(
                    settings.smtp,
                    password,
                    ca_bundle=settings.ca_bundle,
                    timeout=self.smtp_timeout,
                    clock=self.clock,
                ),
            )
        if kind is ProviderKind.TWILIO and channel in (Channel.SMS, Channel.WHATSAPP):
            token = _secret(secrets, SecretName.TWILIO_AUTH_TOKEN, "Twilio auth token")
            http = self._session(
                "Twilio", settings.twilio.base_url, settings.ca_bundle, twilio.CREDENTIALS
            )
            key = (channel, kind, settings.twilio, settings.ca_bundle, token)
            return self._cached(key, lambda: TwilioProvider(settings.twilio, token, channel, http))
        if kind is ProviderKind.CLOUD:
            token = _secret(secrets, SecretName.CLOUD_TOKEN, "Lead Cartel cloud token")
            if not settings.cloud.location_id:
                raise UserFacingError("Enter the cloud location id in Settings > Providers.")
            http = self._session(
                cloud.PROVIDER, settings.cloud.base_url, settings.ca_bundle, cloud.CREDENTIALS
            )
            key = (channel, kind, settings.cloud, settings.ca_bundle, token)
            client = CloudClient(settings.cloud, token, http)
            return self._cached(key, lambda: CloudMessageProvider(client, channel))
        carrier = _KINDS.get(kind, kind.value)
        raise UserFacingError(
            f"{carrier} cannot carry {label}: choose another in Settings > Providers"
        )

    def inbound_sources(
        self, settings: ProviderSettings, secrets: SecretStore
    ) -> list[InboundSource]:
        """Where replies are listed: Twilio per channel it carries, the cloud's conversations."""
        sources: list[InboundSource] = []
        for channel, kind in ((Channel.SMS, settings.sms), (Channel.WHATSAPP, settings.whatsapp)):
            if kind is ProviderKind.TWILIO:
                token = _secret(secrets, SecretName.TWILIO_AUTH_TOKEN, "Twilio auth token")
                http = self._session(
                    "Twilio", settings.twilio.base_url, settings.ca_bundle, twilio.CREDENTIALS
                )
                sources.append(TwilioInbound(settings.twilio, token, channel, http))
        if ProviderKind.CLOUD in (settings.sms, settings.whatsapp, settings.email):
            sources.append(CloudConversations(self.cloud_client(settings, secrets)))
        return sources

    def receipt_sources(
        self, settings: ProviderSettings, secrets: SecretStore
    ) -> list[ReceiptSource]:
        """Where delivery receipts are read: each provider once, for every channel it carries."""
        carriers = ((Channel.SMS, settings.sms), (Channel.WHATSAPP, settings.whatsapp))
        by_twilio = [channel for channel, kind in carriers if kind is ProviderKind.TWILIO]
        by_cloud = [channel for channel, kind in carriers if kind is ProviderKind.CLOUD]
        sources: list[ReceiptSource] = []
        if by_twilio:
            token = _secret(secrets, SecretName.TWILIO_AUTH_TOKEN, "Twilio auth token")
            http = self._session(
                "Twilio", settings.twilio.base_url, settings.ca_bundle, twilio.CREDENTIALS
            )
            sources.append(TwilioReceipts(settings.twilio, token, by_twilio, http))
        if by_cloud:
            sources.append(CloudReceipts(self.cloud_client(settings, secrets), by_cloud))
        return sources

    def _cloud_calls(self, settings: ProviderSettings, secrets: SecretStore) -> MessageProvider:
        token = _secret(secrets, SecretName.CLOUD_TOKEN, "Lead Cartel cloud token")
        if not settings.cloud.location_id:
            raise UserFacingError("Enter the cloud location id in Settings > Providers.")
        client = self.cloud_client(settings, secrets)
        key = (Channel.CLOUD, ProviderKind.CLOUD, settings.cloud, settings.ca_bundle, token)
        return self._cached(key, lambda: CloudCallProvider(client))

    def cloud_client(self, settings: ProviderSettings, secrets: SecretStore) -> CloudClient:
        """The cloud API for invoices and contacts (the same session the messages use)."""
        token = _secret(secrets, SecretName.CLOUD_TOKEN, "Lead Cartel cloud token")
        http = self._session(
            cloud.PROVIDER, settings.cloud.base_url, settings.ca_bundle, cloud.CREDENTIALS
        )
        return CloudClient(settings.cloud, token, http)

    def _session(
        self, provider: str, base_url: str, ca_bundle: str, credentials: str
    ) -> ProviderHttp:
        with self._lock:
            key = (provider, base_url, ca_bundle)
            if key not in self._http:
                self._http[key] = ProviderHttp(
                    provider,
                    base_url,
                    credentials=credentials,
                    ca_bundle=ca_bundle,
                    timeouts=self.timeouts,
                    clock=self.clock,
                )
            return self._http[key]

    def _cached(
        self, key: tuple[object, ...], build: Callable[[], MessageProvider]
    ) -> MessageProvider:
        """One provider per channel, rebuilt when its settings or secret change."""
        channel = key[0]
        assert isinstance(channel, Channel)
        with self._lock:
            held = self._providers.get(channel)
            if held is None or held[0] != key:
                held = (key, build())
                self._providers[channel] = held
            return held[1]

    @property
    def open_sessions(self) -> int:
        """HTTP sessions built and not yet closed."""
        with self._lock:
            return len(self._http)

    def close(self) -> None:
        """Close every session (at quit); a later send builds new ones."""
        with self._lock:
            for http in self._http.values():
                http.close()
            self._http.clear()
            self._providers.clear()
