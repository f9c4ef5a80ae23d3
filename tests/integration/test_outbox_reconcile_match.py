"""Reconciling an unknown row never takes another row's message: two identical texts, one number."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from leadcartel_desktop.app import AppContext
from leadcartel_desktop.domain.outbox import Channel, OutboxState, OutcomeKind
from leadcartel_desktop.domain.providers import ProviderKind
from leadcartel_desktop.providers.cloud_messages import CloudMessageProvider
from leadcartel_desktop.providers.factory import DefaultProviderFactory
from leadcartel_desktop.providers.twilio import TwilioProvider
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
    clock_at_real_time,
    open_app,
    twilio_settings,
)

NUMBER = "+6591234567"
TEXT = "Your invoice INV-9 is due on Friday"
WAIT = 30.0


@pytest.fixture
def now_clock() -> FixedClock:
    return clock_at_real_time()


@pytest.fixture
def app(
    home: Path, now_clock: FixedClock, sandbox: Sandbox, keychain: MemoryKeyring
) -> Iterator[AppContext]:
    token = sandbox.credentials.twilio_auth_token
    context = open_app(home, now_clock, Switch(), twilio_settings(sandbox), token)
    yield context
    context.close()


@pytest.fixture
def providers(now_clock: FixedClock) -> Iterator[DefaultProviderFactory]:
    built = factory(now_clock)
    yield built
    built.close()


def test_the_second_of_two_identical_texts_is_reconciled_to_its_own_message(
    app: AppContext, sandbox: Sandbox, now_clock: FixedClock
) -> None:
    outbox = app.services.outbox
    worker = app.start_sending()
    first = outbox.enqueue(Channel.SMS, NUMBER, {"body": TEXT})
    assert worker.wait_settled(WAIT)
    assert outbox.get(first).state is OutboxState.SENT
    sandbox.controls("twilio").fail_next(FaultKind.ACCEPT_THEN_TIMEOUT, hold_seconds=HOLD_SECONDS)
    advance(now_clock, 1)
    second = outbox.enqueue(Channel.SMS, NUMBER, {"body": TEXT})
    assert worker.wait_settled(WAIT)
    unknown = outbox.get(second)
    assert unknown.state is OutboxState.UNKNOWN
    assert unknown.attempt_started_at == now_clock.now()
    advance(now_clock, 3)  # the check is due
    assert worker.wait_settled(WAIT)
    held = [item.data for item in sandbox.received("twilio")]
    assert [data["body"] for data in held] == [TEXT, TEXT]  # exactly one message each
    one, two = outbox.get(first), outbox.get(second)
    assert (one.state, two.state) == (OutboxState.SENT, OutboxState.SENT)
    assert (one.provider_id, two.provider_id) == (held[0]["sid"], held[1]["sid"])
    assert two.attempts == 1


def test_a_second_identical_text_the_provider_never_got_is_not_matched_to_the_first(
    app: AppContext, sandbox: Sandbox, now_clock: FixedClock
) -> None:
    outbox = app.services.outbox
    worker = app.start_sending()
    first = outbox.enqueue(Channel.SMS, NUMBER, {"body": TEXT})
    assert worker.wait_settled(WAIT)
    sandbox.controls("twilio").fail_next(FaultKind.SERVER_ERROR)  # a 500 that kept nothing
    second = outbox.enqueue(Channel.SMS, NUMBER, {"body": TEXT})
    assert worker.wait_settled(WAIT)
    assert outbox.get(second).state is OutboxState.UNKNOWN
    advance(now_clock, 3)  # checked: Twilio holds only the first's message, so it is resent
    assert worker.wait_settled(WAIT)
    held = [item.data for item in sandbox.received("twilio")]
    one, two = outbox.get(first), outbox.get(second)
    assert (one.state, two.state, two.attempts) == (OutboxState.SENT, OutboxState.SENT, 2)
    assert (one.provider_id, two.provider_id) == (held[0]["sid"], held[1]["sid"])
    assert len(held) == 2


def test_claiming_stores_when_the_attempt_started(app: AppContext, now_clock: FixedClock) -> None:
    outbox = app.services.outbox
    message_id = outbox.enqueue(Channel.SMS, NUMBER, {"body": TEXT})
    assert outbox.get(message_id).attempt_started_at is None
    advance(now_clock, 0.25)
    (claimed,) = outbox.claim(now_clock.now(), 1)
    assert claimed.attempt_started_at == now_clock.now()
    assert outbox.get(message_id).attempt_started_at == now_clock.now()


def _twilio(sandbox: Sandbox, providers: DefaultProviderFactory) -> TwilioProvider:
    settings = sandbox_settings(sandbox)
    provider = providers.provider_for(Channel.SMS, settings, sandbox_secrets(sandbox))
    assert isinstance(provider, TwilioProvider)
    return provider


def test_twilio_reconcile_takes_the_oldest_match_no_other_row_holds(
    sandbox: Sandbox, providers: DefaultProviderFactory
) -> None:
    provider = _twilio(sandbox, providers)
    started = datetime.now(UTC)
    for key in ("key-1", "key-2"):
        assert provider.send(row(Channel.SMS, NUMBER, {"body": TEXT}, key)).kind is (
            OutcomeKind.ACCEPTED
        )
    sid_1, sid_2 = (item.data["sid"] for item in sandbox.received("twilio"))
    unknown = replace(row(Channel.SMS, NUMBER, {"body": TEXT}), attempt_started_at=started)
    found_1 = provider.reconcile(unknown)
    found_2 = provider.reconcile(unknown, taken={sid_1})
    assert found_1 is not None and found_1.provider_id == sid_1
    assert found_2 is not None and found_2.provider_id == sid_2
    assert provider.reconcile(unknown, taken={sid_1, sid_2}) is None


def test_twilio_reconcile_ignores_messages_from_before_the_attempt_started(
    sandbox: Sandbox, providers: DefaultProviderFactory
) -> None:
    provider = _twilio(sandbox, providers)
    provider.send(row(Channel.SMS, NUMBER, {"body": TEXT}))
    now = datetime.now(UTC)
    # Queued yesterday, but its attempt started an hour from now: today's text is not it.
    unknown = replace(
        row(Channel.SMS, NUMBER, {"body": TEXT}, created_at=now - timedelta(days=1)),
        attempt_started_at=now + timedelta(hours=1),
    )
    assert provider.reconcile(unknown) is None
    assert provider.reconcile(replace(unknown, attempt_started_at=None)) is not None


def test_cloud_reconcile_takes_the_oldest_match_no_other_row_holds(
    sandbox: Sandbox, providers: DefaultProviderFactory
) -> None:
    settings = sandbox_settings(sandbox, sms=ProviderKind.CLOUD)
    provider = providers.provider_for(Channel.SMS, settings, sandbox_secrets(sandbox))
    assert isinstance(provider, CloudMessageProvider)
    started = datetime.now(UTC)
    payload = {"body": TEXT, "contact": {"first_name": "Ann"}}
    for key in ("key-1", "key-2"):
        assert provider.send(row(Channel.SMS, NUMBER, payload, key)).kind is OutcomeKind.ACCEPTED
    id_1, id_2 = (item.data["id"] for item in sandbox.received("cloud", "sms"))
    unknown = replace(row(Channel.SMS, NUMBER, payload), attempt_started_at=started)
    found_1 = provider.reconcile(unknown)
    found_2 = provider.reconcile(unknown, taken={id_1})
    assert found_1 is not None and found_1.provider_id == id_1
    assert found_2 is not None and found_2.provider_id == id_2
    assert provider.reconcile(unknown, taken={id_1, id_2}) is None
