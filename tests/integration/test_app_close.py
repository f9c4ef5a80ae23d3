"""Closing the app context closes the provider factory's HTTP sessions."""

from __future__ import annotations

from pathlib import Path

import pytest

from leadcartel_desktop.app import build_context
from leadcartel_desktop.domain.outbox import Channel, OutboxState
from leadcartel_desktop.domain.providers import SecretName
from leadcartel_desktop.providers.factory import DefaultProviderFactory
from leadcartel_desktop.sandbox import Sandbox
from tests.conftest import FixedClock
from tests.integration.outbox_support import Switch
from tests.integration.sandbox_support import (
    MemoryKeyring,
    clock_at_real_time,
    open_app,
    twilio_settings,
)


@pytest.fixture
def now_clock() -> FixedClock:
    return clock_at_real_time()


def test_close_closes_the_sessions_of_the_factory_it_was_given(
    home: Path, now_clock: FixedClock, sandbox: Sandbox, keychain: MemoryKeyring
) -> None:
    token = sandbox.credentials.twilio_auth_token
    context = open_app(home, now_clock, Switch(), twilio_settings(sandbox), token)
    factory = context.services.sending.factory
    assert isinstance(factory, DefaultProviderFactory)
    message_id = context.services.outbox.enqueue(Channel.SMS, "+6591234567", {"body": "Hi"})
    context.services.outbox.process_due(now_clock.now())
    assert context.services.outbox.get(message_id).state is OutboxState.SENT
    assert factory.open_sessions == 1
    context.close()
    assert factory.open_sessions == 0
    assert context.closers == []


def test_close_closes_the_default_factory_once_it_was_built(
    home: Path, now_clock: FixedClock, sandbox: Sandbox, keychain: MemoryKeyring
) -> None:
    context = build_context(home, now_clock)
    try:
        assert context.closers == []  # nothing built yet: nothing to close
        context.services.providers.save(twilio_settings(sandbox))
        context.services.providers.save_secret(
            SecretName.TWILIO_AUTH_TOKEN, sandbox.credentials.twilio_auth_token
        )
        assert context.services.outbox.unavailable(Channel.SMS) is None  # builds the provider
        (close,) = context.closers
        factory = getattr(close, "__self__", None)
        assert isinstance(factory, DefaultProviderFactory)
        assert factory.open_sessions == 1
    finally:
        context.close()
    assert factory.open_sessions == 0
