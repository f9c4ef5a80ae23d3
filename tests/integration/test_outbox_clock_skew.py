"""A PC clock that is wrong does not make a kept message look missing (and go twice).

Reconciling compares the provider's creation time with when our attempt started; the
provider's answers carry its clock (`Date`), so the attempt start is moved onto it first.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests

from leadcartel_desktop.domain.outbox import Channel, OutboxState
from leadcartel_desktop.domain.providers import ProviderKind
from leadcartel_desktop.providers.factory import DefaultProviderFactory
from leadcartel_desktop.providers.provider_clock import offset_of, on_their_clock
from leadcartel_desktop.sandbox import FaultKind, Sandbox
from tests.conftest import FixedClock
from tests.integration.outbox_support import Switch, advance
from tests.integration.provider_support import (
    HOLD_SECONDS,
    factory,
    row,
    sandbox_secrets,
    sandbox_settings,
)
from tests.integration.sandbox_support import (
    MemoryKeyring,
    open_app,
    twilio_settings,
)

NUMBER = "+6591234567"
TEXT = "Your invoice INV-9 is due on Friday"
WAIT = 30.0
# Five minutes: no time sync. Three hours: the time zone set wrong with the local time right.
SKEWS = (timedelta(minutes=5), timedelta(hours=3))


def fast_providers(skew: timedelta) -> tuple[FixedClock, DefaultProviderFactory]:
    clock = FixedClock(datetime.now(UTC) + skew)
    return clock, factory(clock)


@pytest.mark.parametrize("skew", SKEWS, ids=["5-minutes-fast", "3-hours-fast"])
@pytest.mark.parametrize("kind", [ProviderKind.TWILIO, ProviderKind.CLOUD])
def test_a_fast_pc_clock_still_finds_the_providers_copy(
    sandbox: Sandbox, skew: timedelta, kind: ProviderKind
) -> None:
    clock, providers = fast_providers(skew)
    try:
        settings = sandbox_settings(sandbox, sms=kind)
        provider = providers.provider_for(Channel.SMS, settings, sandbox_secrets(sandbox))
        payload = {"body": TEXT, "contact": {"first_name": "Ann"}}
        unknown = replace(row(Channel.SMS, NUMBER, payload), attempt_started_at=clock.now())
        assert provider.send(unknown).provider_id
        found = provider.reconcile(unknown)
        assert found is not None and found.provider_id
    finally:
        providers.close()


@pytest.mark.parametrize("kind", [ProviderKind.TWILIO, ProviderKind.CLOUD])
def test_on_a_fast_clock_a_message_from_before_the_attempt_is_still_not_taken(
    sandbox: Sandbox, kind: ProviderKind
) -> None:
    clock, providers = fast_providers(timedelta(hours=3))
    try:
        settings = sandbox_settings(sandbox, sms=kind)
        provider = providers.provider_for(Channel.SMS, settings, sandbox_secrets(sandbox))
        payload = {"body": TEXT, "contact": {"first_name": "Ann"}}
        provider.send(row(Channel.SMS, NUMBER, payload))
        # This row's attempt started two minutes after that text, as either clock reads it.
        later = clock.now() + timedelta(minutes=2)
        unknown = replace(row(Channel.SMS, NUMBER, payload, "key-2"), attempt_started_at=later)
        assert provider.reconcile(unknown) is None
    finally:
        providers.close()


def test_the_worker_on_a_fast_clock_reconciles_instead_of_sending_again(
    home: Path, sandbox: Sandbox, keychain: MemoryKeyring
) -> None:
    clock = FixedClock(datetime.now(UTC) + timedelta(minutes=5))
    token = sandbox.credentials.twilio_auth_token
    app = open_app(home, clock, Switch(), twilio_settings(sandbox), token)
    try:
        outbox = app.services.outbox
        worker = app.start_sending()
        sandbox.controls("twilio").fail_next(
            FaultKind.ACCEPT_THEN_TIMEOUT, hold_seconds=HOLD_SECONDS
        )
        message_id = outbox.enqueue(Channel.SMS, NUMBER, {"body": TEXT})
        assert worker.wait_settled(WAIT)
        assert outbox.get(message_id).state is OutboxState.UNKNOWN
        advance(clock, 3)  # the check is due
        assert worker.wait_settled(WAIT)
        held = [item.data for item in sandbox.received("twilio")]
        settled = outbox.get(message_id)
        assert len(held) == 1
        assert (settled.state, settled.provider_id, settled.attempts) == (
            OutboxState.SENT,
            held[0]["sid"],
            1,
        )
    finally:
        app.close()


def answer(date_header: str | None) -> requests.Response:
    response = requests.Response()
    if date_header is not None:
        response.headers["Date"] = date_header
    return response


def test_the_offset_is_read_from_the_date_header() -> None:
    ours = datetime(2026, 12, 4, 18, 5, tzinfo=UTC)
    offset = offset_of(answer("Fri, 04 Dec 2026 18:00:00 GMT"), ours)
    assert offset == timedelta(minutes=-5)
    assert on_their_clock(ours, offset) == datetime(2026, 12, 4, 18, 0, tzinfo=UTC)


@pytest.mark.parametrize("header", [None, "", "yesterday", "Fri, 04 Dec 2026 18:00:00"])
def test_without_a_usable_date_our_clock_is_used_as_it_is(header: str | None) -> None:
    ours = datetime(2026, 12, 4, 18, 5, tzinfo=UTC)
    offset = offset_of(answer(header), ours)
    assert offset is None
    assert on_their_clock(ours, offset) == ours
