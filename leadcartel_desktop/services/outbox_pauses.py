"""Channels whose provider refused the credentials: nothing on them is sent until they change.

A 401/403 is about the account, not the message: every other message on the channel would be
refused the same way. So the channel is paused: its rows wait (pending, due), the worker claims
none of them, and nothing is tried again with the same credentials.

A pause names the adapter that was refused. Saving other provider settings or another secret
(Settings > Providers) gives the channel another adapter (the factory builds one per settings
and secret): the credentials may have been fixed, so the pause ends by itself and the rows go.
An adapter built before such a save and refused after it cannot pause the new one. The
operator's Retry on one of the channel's messages ends the pause too (resume()), and pauses
live in memory only, so restarting the app tries once more.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from leadcartel_desktop.domain.errors import UserFacingError
from leadcartel_desktop.domain.outbox import Channel, SendOutcome
from leadcartel_desktop.services.messaging_ports import MessageProvider

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Refusal:
    """The provider's refusal of the credentials (its message is shown as the reason)."""

    provider: MessageProvider  # the adapter refused: a rebuilt one ends the pause
    outcome: SendOutcome


class ChannelPauses:
    """Thread-safe: the sending threads pause, the worker and the status bar ask."""

    def __init__(self, current: Callable[[Channel], MessageProvider]) -> None:
        self._current = current  # the channel's adapter now (ProviderSource.provider)
        self._guard = threading.Lock()
        self._refusals: dict[Channel, Refusal] = {}

    def pause(self, channel: Channel, provider: MessageProvider, outcome: SendOutcome) -> None:
        """`provider` refused the credentials: leave the channel alone until it is replaced."""
        with self._guard:
            known = self._refusals.get(channel)
            self._refusals[channel] = Refusal(provider, outcome)
        if known is None or known.provider is not provider:
            log.warning("outbox: %s paused: %s", channel.value, outcome.message)

    def refusal(self, channel: Channel) -> Refusal | None:
        """The refusal that pauses `channel`, or None when it may send.

        A pause whose adapter is no longer the channel's (the settings or a secret were saved)
        ends here.
        """
        with self._guard:
            refusal = self._refusals.get(channel)
        if refusal is None:
            return None
        try:
            current: MessageProvider | None = self._current(channel)
        except UserFacingError:
            current = None  # no provider now: the settings changed (the channel waits anyway)
        except Exception:
            log.exception("outbox: could not tell whether the %s provider changed", channel.value)
            return refusal
        if current is refusal.provider:
            return refusal
        with self._guard:
            if self._refusals.get(channel) is refusal:
                del self._refusals[channel]
                log.info("outbox: %s provider settings changed; sending resumes", channel.value)
        return None

    def resume(self, channel: Channel | None = None) -> bool:
        """End `channel`'s pause (None: every channel's); True when one ended."""
        with self._guard:
            ended = [each for each in self._refusals if channel in (None, each)]
            for each in ended:
                del self._refusals[each]
        for each in ended:
            log.info("outbox: %s resumes (asked to try again)", each.value)
        return bool(ended)

    def paused(self) -> dict[Channel, str]:
        """Each paused channel with the provider's words (for the status bar)."""
        with self._guard:
            channels = list(self._refusals)
        reasons: dict[Channel, str] = {}
        for channel in channels:
            refusal = self.refusal(channel)
            if refusal is not None:
                reasons[channel] = refusal.outcome.message
        return reasons
