"""Online or not: a short TCP connect to the configured providers' hosts (no internet assumed)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from urllib.parse import urlsplit

from leadcartel_desktop.domain.providers import ProviderKind, ProviderSettings


def endpoints(settings: ProviderSettings) -> list[tuple[str, int]]:
    """(host, port) of every provider a channel uses, each once."""
    kinds = {settings.email, settings.sms, settings.whatsapp}
    found: list[tuple[str, int]] = []
    if ProviderKind.SMTP in kinds and settings.smtp.host:
        found.append((settings.smtp.host, settings.smtp.port))
    for kind, url in (
        (ProviderKind.TWILIO, settings.twilio.base_url),
        (ProviderKind.CLOUD, settings.cloud.base_url),
    ):
        used = kind in kinds or (kind is ProviderKind.CLOUD and settings.uses_cloud)
        parts = urlsplit(url)
        if used and parts.hostname:
            default = 443 if parts.scheme == "https" else 80
            found.append((parts.hostname, parts.port or default))
    return list(dict.fromkeys(found))


class TcpConnectivity:
    """Connectivity: online when any configured provider host accepts a TCP connection.

    The answer is kept for `cache_seconds`, so a worker asking often costs little. A host name
    that needs DNS may wait on the system resolver, which has no timeout of its own.
    """

    def __init__(
        self,
        settings: Callable[[], ProviderSettings],
        *,
        timeout: float = 2.0,
        cache_seconds: float = 5.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._settings = settings
        self._timeout = timeout
        self._cache_seconds = cache_seconds
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._checked_at: float | None = None
        self._online = False

    def online(self) -> bool:
        with self._lock:
            now = self._monotonic()
            if self._checked_at is not None and now - self._checked_at < self._cache_seconds:
                return self._online
            self._online = any(
                self._reachable(host, port) for host, port in endpoints(self._settings())
            )
            self._checked_at = self._monotonic()
            return self._online

    def forget(self) -> None:
        """Ask again next time (settings changed, or the network came back)."""
        with self._lock:
            self._checked_at = None

    def _reachable(self, host: str, port: int) -> bool:
        try:
            with socket.create_connection((host, port), timeout=self._timeout):
                return True
        except OSError:
            return False
