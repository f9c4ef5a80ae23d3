"""Which provider sends each channel: the sending ports, one cached adapter per channel, setup."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Protocol

from leadcartel_desktop.domain.errors import UserFacingError, ValidationError
from leadcartel_desktop.domain.outbox import Channel
from leadcartel_desktop.domain.providers import ProviderSettings, SecretName
from leadcartel_desktop.services.messaging_ports import (
    Connectivity,
    MessageProvider,
    ProviderFactory,
    SecretStore,
)
from leadcartel_desktop.services.ports import UnitOfWorkFactory

CHANNEL_NAMES = {
    Channel.EMAIL: "email",
    Channel.SMS: "SMS",
    Channel.WHATSAPP: "WhatsApp",
    Channel.CLOUD: "Lead Cartel cloud",
}


class ProviderSource(Protocol):
    def provider(self, channel: Channel) -> MessageProvider:
        """Raises UserFacingError when the channel has no provider set up."""
        ...

    def unavailable(self, channel: Channel) -> str | None:
        """Why the channel cannot send now, or None when it has a provider."""
        ...


class NoProviders:
    """The factory while no provider adapters are wired (tests of unrelated features)."""

    def provider_for(
        self, channel: Channel, settings: ProviderSettings, secrets: SecretStore
    ) -> MessageProvider:
        raise UserFacingError(f"No {CHANNEL_NAMES[channel]} provider is set up")


class NoKeychain:
    """No keychain at all: nothing is kept, and saving a secret is refused (never plain text)."""

    def available(self) -> bool:
        return False

    def get(self, name: str) -> str | None:
        return None

    def set(self, name: str, value: str) -> None:
        raise UserFacingError(
            "No keychain is available on this computer, so the password cannot be kept; "
            "the app never stores passwords in plain text."
        )

    def delete(self, name: str) -> None:
        return None


class AlwaysOnline:
    def online(self) -> bool:
        return True


@dataclass(frozen=True, slots=True)
class SendingPorts:
    """The adapters sending needs; the composition root passes the real ones."""

    factory: ProviderFactory
    secrets: SecretStore
    connectivity: Connectivity

    @classmethod
    def none(cls) -> SendingPorts:
        return cls(NoProviders(), NoKeychain(), AlwaysOnline())

    @classmethod
    def deferred(cls, build: Callable[[], SendingPorts]) -> SendingPorts:
        """Ports built on first use, so their imports (requests, keyring) wait until then."""
        later = _Deferred(build)
        return cls(_DeferredFactory(later), _DeferredSecrets(later), _DeferredConnectivity(later))


class _Deferred:
    def __init__(self, build: Callable[[], SendingPorts]) -> None:
        self._build = build
        self._ports: SendingPorts | None = None
        self._guard = threading.Lock()

    def __call__(self) -> SendingPorts:
        with self._guard:
            if self._ports is None:
                self._ports = self._build()
            return self._ports


class _DeferredFactory:
    def __init__(self, ports: _Deferred) -> None:
        self._ports = ports

    def provider_for(
        self, channel: Channel, settings: ProviderSettings, secrets: SecretStore
    ) -> MessageProvider:
        return self._ports().factory.provider_for(channel, settings, secrets)

    def built(self) -> ProviderFactory:
        """The real factory (built now if it was not yet)."""
        return self._ports().factory


class _DeferredSecrets:
    def __init__(self, ports: _Deferred) -> None:
        self._ports = ports

    def available(self) -> bool:
        return self._ports().secrets.available()

    def get(self, name: str) -> str | None:
        return self._ports().secrets.get(name)

    def set(self, name: str, value: str) -> None:
        self._ports().secrets.set(name, value)

    def delete(self, name: str) -> None:
        self._ports().secrets.delete(name)


class _DeferredConnectivity:
    def __init__(self, ports: _Deferred) -> None:
        self._ports = ports

    def online(self) -> bool:
        return self._ports().connectivity.online()

    def forget(self) -> None:
        _forget(self._ports().connectivity)


class ProviderCache:
    """One adapter per channel (one shared HTTP session each), rebuilt when settings change.

    A channel that has none (not set up, no secret saved) is remembered for FAILURE_SECONDS,
    so the worker can skip it cheaply; invalidate() forgets both.
    """

    FAILURE_SECONDS = 30.0

    def __init__(self, unit_of_work: UnitOfWorkFactory, ports: SendingPorts) -> None:
        self._uow = unit_of_work
        self._ports = ports
        self._guard = threading.Lock()
        self._settings: ProviderSettings | None = None
        self._providers: dict[Channel, MessageProvider] = {}
        self._failures: dict[Channel, tuple[float, UserFacingError]] = {}

    def provider(self, channel: Channel) -> MessageProvider:
        with self._guard:
            found = self._providers.get(channel)
            if found is not None:
                return found
            failed = self._failures.get(channel)
            if failed is not None and time.monotonic() - failed[0] < self.FAILURE_SECONDS:
                raise failed[1]
            if self._settings is None:
                with self._uow(read_only=True) as uow:
                    self._settings = uow.providers.providers()
            try:
                found = self._ports.factory.provider_for(
                    channel, self._settings, self._ports.secrets
                )
            except UserFacingError as error:
                self._failures[channel] = (time.monotonic(), error)
                raise
            self._failures.pop(channel, None)
            self._providers[channel] = found
            return found

    def unavailable(self, channel: Channel) -> str | None:
        """Why the channel cannot send now, or None when it has a provider."""
        try:
            self.provider(channel)
        except UserFacingError as error:
            return error.message
        return None

    def invalidate(self) -> None:
        with self._guard:
            self._settings = None
            self._providers.clear()
            self._failures.clear()


class ProviderSetupService:
    """Settings > Providers: the saved choices, the keychain entries and the Test button."""

    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory,
        ports: SendingPorts,
        cache: ProviderCache,
        on_change: Callable[[], None] | None = None,
    ) -> None:
        self._uow = unit_of_work
        self._ports = ports
        self._cache = cache
        self._on_change = on_change

    def settings(self) -> ProviderSettings:
        with self._uow(read_only=True) as uow:
            return uow.providers.providers()

    def save(self, settings: ProviderSettings) -> None:
        if not 1 <= settings.smtp.port <= 65535:
            raise ValidationError("SMTP port", "must be between 1 and 65535")
        with self._uow() as uow:
            uow.providers.save_providers(settings)
            uow.commit()
        self._changed()

    def keychain_available(self) -> bool:
        return self._ports.secrets.available()

    def has_secret(self, name: SecretName) -> bool:
        return bool(self._ports.secrets.get(name.value))

    def save_secret(self, name: SecretName, value: str) -> None:
        """Into the OS keychain only; UserFacingError when there is none."""
        self._ports.secrets.set(name.value, value)
        self._changed()

    def delete_secret(self, name: SecretName) -> None:
        self._ports.secrets.delete(name.value)
        self._changed()

    def test(
        self,
        channel: Channel,
        settings: ProviderSettings | None = None,
        typed: Mapping[SecretName, str] | None = None,
    ) -> str:
        """The Test button: the saved settings and secrets, or those on screen.

        `settings` and `typed` secrets try values not saved yet; the keychain is left as it is.
        """
        if settings is None and not typed:
            return self._cache.provider(channel).check()
        secrets = _TypedSecrets(typed or {}, self._ports.secrets)
        provider = self._ports.factory.provider_for(channel, settings or self.settings(), secrets)
        return provider.check()

    def online(self) -> bool:
        return self._ports.connectivity.online()

    def _changed(self) -> None:
        self._cache.invalidate()
        _forget(self._ports.connectivity)
        if self._on_change is not None:
            self._on_change()


class _TypedSecrets:
    """The keychain seen through secrets typed ('' forgotten) but not saved: nothing is kept."""

    def __init__(self, typed: Mapping[SecretName, str], saved: SecretStore) -> None:
        self._typed = {name.value: value for name, value in typed.items()}
        self._saved = saved

    def available(self) -> bool:
        return self._saved.available()

    def get(self, name: str) -> str | None:
        if name in self._typed:
            return self._typed[name] or None
        return self._saved.get(name)

    def set(self, name: str, value: str) -> None:
        raise NotImplementedError("a Test keeps nothing")

    def delete(self, name: str) -> None:
        raise NotImplementedError("a Test keeps nothing")


def _forget(connectivity: Connectivity) -> None:
    """Drop a cached online/offline answer (the hosts to ask may have changed)."""
    forget = getattr(connectivity, "forget", None)
    if callable(forget):
        forget()
