"""A 429 whose Retry-After holds a digit int() refuses ('²', byte 0xB2) is still a plain retry."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from leadcartel_desktop.domain.errors import UserFacingError
from leadcartel_desktop.domain.outbox import Channel, OutcomeKind
from leadcartel_desktop.providers.factory import DefaultProviderFactory
from leadcartel_desktop.sandbox import FaultKind, Sandbox
from tests.conftest import FixedClock
from tests.integration.provider_support import (
    factory,
    row,
    sandbox_secrets,
    sandbox_settings,
)

# Byte 0xB2 on the wire (latin-1 header decoding gives '²'): "²".isdigit() is True.
GARBAGE = "\u00b2"


@pytest.fixture
def providers() -> Iterator[DefaultProviderFactory]:
    built = factory(FixedClock(datetime.now(UTC)))
    yield built
    built.close()


def test_429_with_garbage_retry_after_is_still_a_retry(
    sandbox: Sandbox, providers: DefaultProviderFactory
):
    provider = providers.provider_for(
        Channel.SMS, sandbox_settings(sandbox), sandbox_secrets(sandbox)
    )
    sandbox.controls("twilio").fail_next(FaultKind.RATE_LIMIT, retry_after=GARBAGE)
    outcome = provider.send(row(Channel.SMS, "+6591234567", {"body": "hi"}))
    assert outcome.kind is OutcomeKind.RETRY


def test_test_button_with_garbage_retry_after_says_so_plainly(
    sandbox: Sandbox, providers: DefaultProviderFactory
):
    provider = providers.provider_for(
        Channel.SMS, sandbox_settings(sandbox), sandbox_secrets(sandbox)
    )
    sandbox.controls("twilio").fail_next(FaultKind.RATE_LIMIT, retry_after=GARBAGE, methods={"GET"})
    with pytest.raises(UserFacingError):
        provider.check()
