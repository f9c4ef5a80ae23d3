"""Delivery through the real Twilio adapter to the sandbox server, failures injected there."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from leadcartel_desktop.app import AppContext
from leadcartel_desktop.domain.outbox import Channel, OutboxState
from leadcartel_desktop.domain.providers import ProviderSettings
from leadcartel_desktop.providers.connectivity import TcpConnectivity
from leadcartel_desktop.sandbox import Sandbox
from leadcartel_desktop.services.outbox_worker import OutboxWorker
from tests.conftest import FixedClock
from tests.integration.outbox_support import Switch, advance
from tests.integration.sandbox_support import (
    MemoryKeyring,
    TwilioYetToCome,
    bodies,
    clock_at_real_time,
    open_app,
    twilio_settings,
)

ANN = "+6591234567"
WAIT = 30.0


@pytest.fixture
def now_clock() -> FixedClock:
    return clock_at_real_time()


@pytest.fixture
def app(
    home: Path, now_clock: FixedClock, sandbox: Sandbox, keychain: MemoryKeyring
) -> Iterator[AppContext]:
    context = open_app(
        home, now_clock, Switch(), twilio_settings(sandbox), sandbox.credentials.twilio_auth_token
    )
    yield context
    context.close()


@pytest.fixture
def worker(app: AppContext) -> OutboxWorker:
    return app.start_sending()


def _text(app: AppContext, body: str, to: str = ANN, cause: str | None = None) -> int:
    message_id: int = app.services.outbox.enqueue(Channel.SMS, to, {"body": body}, cause=cause)
    return message_id


def test_a_500_that_recorded_nothing_then_201_sends_exactly_once(
    app: AppContext, worker: OutboxWorker, sandbox: Sandbox, now_clock: FixedClock
) -> None:
    sandbox.controls("twilio").fail_next("500")
    message_id = _text(app, "Invoice INV-1")
    assert worker.wait_settled(WAIT)
    assert app.services.outbox.get(message_id).state is OutboxState.UNKNOWN
    advance(now_clock, 3)  # the check is due: Twilio has nothing, so it is sent again
    assert worker.wait_settled(WAIT)
    sent = app.services.outbox.get(message_id)
    assert sent.state is OutboxState.SENT
    (held,) = sandbox.received("twilio")
    assert (held.data["body"], sent.provider_id) == ("Invoice INV-1", held.data["sid"])


def test_429_with_retry_after_waits_two_seconds_by_the_clock(
    app: AppContext, worker: OutboxWorker, sandbox: Sandbox, now_clock: FixedClock
) -> None:
    sandbox.controls("twilio").fail_next("429", retry_after="2")
    first_try = now_clock.now()
    message_id = _text(app, "Invoice INV-2")
    assert worker.wait_settled(WAIT)
    waiting = app.services.outbox.get(message_id)
    assert (waiting.state, waiting.attempts) == (OutboxState.PENDING, 1)
    assert waiting.next_attempt_at is not None
    assert waiting.next_attempt_at >= first_try + timedelta(seconds=2)
    advance(now_clock, 1.999)
    assert worker.wait_settled(WAIT)
    assert app.services.outbox.get(message_id).attempts == 1
    advance(now_clock, 0.001)
    assert worker.wait_settled(WAIT)
    assert app.services.outbox.get(message_id).state is OutboxState.SENT
    assert bodies(sandbox) == ["Invoice INV-2"]


def test_accepted_but_the_answer_timed_out_is_reconciled_not_resent(
    app: AppContext, worker: OutboxWorker, sandbox: Sandbox, now_clock: FixedClock
) -> None:
    sandbox.controls("twilio").fail_next("accept_then_timeout", hold_seconds=3)
    message_id = _text(app, "Invoice INV-3")
    assert worker.wait_settled(WAIT)
    unknown = app.services.outbox.get(message_id)
    assert unknown.state is OutboxState.UNKNOWN
    assert "did not answer" in unknown.last_error
    advance(now_clock, 3)
    assert worker.wait_settled(WAIT)
    sent = app.services.outbox.get(message_id)
    (held,) = sandbox.received("twilio")
    assert (sent.state, sent.provider_id, sent.attempts) == (
        OutboxState.SENT,
        held.data["sid"],
        1,
    )


def test_queued_with_no_server_listening_then_each_arrives_once_in_order(
    home: Path, tmp_path: Path, now_clock: FixedClock, keychain: MemoryKeyring
) -> None:
    twilio = TwilioYetToCome(tmp_path)
    connectivity = TcpConnectivity(lambda: twilio.settings, timeout=2.0, cache_seconds=0)
    token = twilio.credentials.twilio_auth_token
    app = open_app(home, now_clock, connectivity, twilio.settings, token)
    try:
        worker = app.start_sending(offline_seconds=3600)
        ids = [_text(app, f"Reminder {n}") for n in range(20)]  # each returns at once
        assert worker.wait_settled(WAIT)
        assert worker.online is False
        assert app.services.outbox.counts()[OutboxState.PENDING] == 20
        assert all(app.services.outbox.get(i).attempts == 0 for i in ids)
        api = twilio.arrive()  # the server appears on that port
        assert worker.wait_settled(WAIT)
        assert worker.online is True
        assert {app.services.outbox.get(i).state for i in ids} == {OutboxState.SENT}
        assert [item.data["body"] for item in api.controls.received()] == [
            f"Reminder {n}" for n in range(20)
        ]
    finally:
        app.close()
        twilio.close()


def test_send_pressed_twice_makes_one_row_and_one_message(
    app: AppContext, worker: OutboxWorker, sandbox: Sandbox
) -> None:
    first = _text(app, "Invoice INV-4", cause="invoice:4:sms:1")
    second = _text(app, "Invoice INV-4", cause="invoice:4:sms:1")
    assert first == second
    assert worker.wait_settled(WAIT)
    assert app.services.outbox.get(first).state is OutboxState.SENT
    assert sum(app.services.outbox.counts().values()) == 1
    assert bodies(sandbox) == ["Invoice INV-4"]


def test_twilio_21211_fails_at_once_naming_the_number(
    app: AppContext, worker: OutboxWorker, now_clock: FixedClock
) -> None:
    message_id = _text(app, "Invoice INV-5", to="+12")
    assert worker.wait_settled(WAIT)
    failed = app.services.outbox.get(message_id)
    assert (failed.state, failed.attempts, failed.last_error_code) == (
        OutboxState.FAILED,
        1,
        "21211",
    )
    assert "+12" in failed.last_error
    assert failed.last_error_hint
    advance(now_clock, 3600)
    assert worker.wait_settled(WAIT)
    assert app.services.outbox.get(message_id).attempts == 1


def test_twilio_21610_puts_the_number_on_the_register(
    app: AppContext, worker: OutboxWorker, sandbox: Sandbox
) -> None:
    sandbox.controls("twilio").fail_next("21610")
    first = _text(app, "Invoice INV-6")
    assert worker.wait_settled(WAIT)
    assert app.services.outbox.get(first).last_error_code == "21610"
    assert app.services.outbox.is_opted_out(Channel.SMS, ANN)
    later = _text(app, "Reminder INV-6")
    assert worker.wait_settled(WAIT)
    cancelled = app.services.outbox.get(later)
    assert (cancelled.state, cancelled.attempts) == (OutboxState.CANCELLED, 0)
    assert sandbox.received("twilio") == []


@pytest.mark.parametrize("provider_got_it", [True, False])
def test_a_row_left_sending_by_a_crash_is_reconciled_at_start(
    home: Path,
    now_clock: FixedClock,
    sandbox: Sandbox,
    keychain: MemoryKeyring,
    provider_got_it: bool,
) -> None:
    token = sandbox.credentials.twilio_auth_token
    app = open_app(home, now_clock, Switch(), twilio_settings(sandbox), token)
    message_id = _text(app, "Invoice INV-7")
    if provider_got_it:
        app.services.outbox.process_due(now_clock.now())  # sent; the crash loses the answer
    app.close()
    with sqlite3.connect(app.paths.database) as raw:  # the state a crash mid-send leaves
        raw.execute("UPDATE outbox SET state = 'sending', provider_id = '' WHERE id = ?", [1])
    restarted = open_app(home, now_clock, Switch(), twilio_settings(sandbox), token)
    try:
        assert restarted.start_sending().wait_settled(WAIT)
        sent = restarted.services.outbox.get(message_id)
        (held,) = sandbox.received("twilio")
        assert (sent.state, sent.provider_id) == (OutboxState.SENT, held.data["sid"])
        assert sent.attempts == 1
    finally:
        restarted.close()


def test_without_a_provider_messages_wait_untouched_until_one_is_set_up(
    home: Path, now_clock: FixedClock, sandbox: Sandbox, keychain: MemoryKeyring
) -> None:
    token = sandbox.credentials.twilio_auth_token
    app = open_app(home, now_clock, Switch(), ProviderSettings(), token)
    try:
        worker = app.start_sending()
        message_id = _text(app, "Invoice INV-8")
        assert worker.wait_settled(WAIT)
        waiting = app.services.outbox.get(message_id)
        assert (waiting.state, waiting.attempts) == (OutboxState.PENDING, 0)
        reason = app.services.outbox.unavailable(Channel.SMS)
        assert reason is not None and "Settings > Providers" in reason
        app.services.providers.save(twilio_settings(sandbox))  # wakes the worker
        assert worker.wait_settled(WAIT)
        assert app.services.outbox.get(message_id).state is OutboxState.SENT
        assert bodies(sandbox) == ["Invoice INV-8"]
    finally:
        app.close()


@pytest.mark.parametrize("retry_after", ["99999999999999999999", "Fri, 31 Dec 9999 23:59:59 GMT"])
def test_an_absurd_retry_after_waits_a_day_at_most(
    app: AppContext,
    worker: OutboxWorker,
    sandbox: Sandbox,
    now_clock: FixedClock,
    retry_after: str,
) -> None:
    sandbox.controls("twilio").fail_next("429", retry_after=retry_after)
    first_try = now_clock.now()
    message_id = _text(app, "Invoice INV-9")
    assert worker.wait_settled(WAIT)
    waiting = app.services.outbox.get(message_id)
    assert (waiting.state, waiting.attempts) == (OutboxState.PENDING, 1)
    assert waiting.next_attempt_at is not None
    assert waiting.next_attempt_at <= first_try + timedelta(days=1)
    advance(now_clock, 24 * 3600)
    assert worker.wait_settled(WAIT)
    assert app.services.outbox.get(message_id).state is OutboxState.SENT
    assert bodies(sandbox) == ["Invoice INV-9"]
