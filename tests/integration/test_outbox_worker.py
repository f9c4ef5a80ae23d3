"""The outbox worker thread: several in flight, quiet offline, clock-driven waits, clean stop."""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from leadcartel_desktop.domain.outbox import Channel, OutboxState, SendOutcome
from leadcartel_desktop.services.outbox import OutboxService
from leadcartel_desktop.services.outbox_worker import RAMP_START, ChannelLimit, OutboxWorker
from tests.conftest import FixedClock
from tests.integration.outbox_support import (
    FakeProvider,
    Step,
    Switch,
    advance,
    outbox_for,
    queue_texts,
    refused,
)

WAIT = 20.0  # generous timeouts: the tests wait on events, never on the wall clock


@pytest.fixture
def provider() -> FakeProvider:
    return FakeProvider()


@pytest.fixture
def switch() -> Switch:
    return Switch()


@pytest.fixture
def outbox(context: Any, clock: FixedClock, provider: FakeProvider) -> OutboxService:
    return outbox_for(context, clock, provider, rng=random.Random(3))


@pytest.fixture
def make_worker(outbox: OutboxService, switch: Switch, clock: FixedClock) -> Iterator[Any]:
    workers: list[OutboxWorker] = []

    def make(**options: Any) -> OutboxWorker:
        worker = OutboxWorker(outbox, switch, clock, **options)
        workers.append(worker)
        worker.start()
        return worker

    yield make
    for worker in workers:
        assert worker.stop(WAIT)


def test_queued_messages_are_sent_several_at_a_time_within_the_limit(
    outbox: OutboxService, provider: FakeProvider, make_worker: Any
) -> None:
    provider.gate = threading.Event()
    worker = make_worker(limits={Channel.SMS: ChannelLimit(max_in_flight=5)})
    ids = [outbox.enqueue(Channel.SMS, f"+65912345{n:02d}", {"body": str(n)}) for n in range(12)]
    # No answer yet: only the first connections are opened.
    assert _until(lambda: provider.in_flight == RAMP_START)
    assert outbox.counts()[OutboxState.SENDING] == RAMP_START
    provider.gate.set()
    assert worker.wait_settled(WAIT)
    assert {outbox.get(i).state for i in ids} == {OutboxState.SENT}
    assert provider.most_in_flight <= 5
    assert sorted(provider.bodies(), key=int) == [str(n) for n in range(12)]
    # Every answer allowed one more in flight: now the channel's limit holds, and only it.
    provider.gate = threading.Event()
    more = [outbox.enqueue(Channel.SMS, f"+65912346{n:02d}", {"body": str(n)}) for n in range(12)]
    assert _until(lambda: provider.in_flight == 5)
    assert outbox.counts()[OutboxState.SENDING] == 5
    provider.gate.set()
    assert worker.wait_settled(WAIT)
    assert {outbox.get(i).state for i in more} == {OutboxState.SENT}
    assert provider.most_in_flight == 5


def test_offline_it_waits_quietly_then_drains_in_order_exactly_once(
    outbox: OutboxService,
    provider: FakeProvider,
    switch: Switch,
    clock: FixedClock,
    make_worker: Any,
) -> None:
    switch.is_online = False
    worker = make_worker(offline_seconds=3600)
    ids = queue_texts(outbox, "+6591234567", [f"message {n}" for n in range(20)])
    assert worker.wait_settled(WAIT)
    assert worker.online is False
    assert provider.calls == []
    asked = switch.asked
    assert worker.wait_settled(WAIT)
    assert switch.asked == asked + 1  # one look per wake-up: no busy loop, no error spam
    # Online again, but the provider is not listening yet (connection refused).
    switch.is_online = True
    provider.then(refused(), refused())
    assert worker.wait_settled(WAIT)
    assert len(provider.calls) == 1  # the first message backs off; the rest wait behind it
    advance(clock, 2)
    assert worker.wait_settled(WAIT)
    advance(clock, 4)
    assert worker.wait_settled(WAIT)
    assert {outbox.get(i).state for i in ids} == {OutboxState.SENT}
    assert provider.bodies() == [f"message {n}" for n in range(20)]


def test_the_next_attempt_waits_for_retry_after_by_the_clock(
    outbox: OutboxService, provider: FakeProvider, clock: FixedClock, make_worker: Any
) -> None:
    provider.then(Step(SendOutcome.retry("Too many requests", retry_after_seconds=2)))
    worker = make_worker()
    start = clock.now()
    (message_id,) = queue_texts(outbox, "+6591234567", ["hello"])
    assert worker.wait_settled(WAIT)
    assert len(provider.calls) == 1
    advance(clock, 1.999)
    assert worker.wait_settled(WAIT)
    assert len(provider.calls) == 1
    advance(clock, 0.001)
    assert worker.wait_settled(WAIT)
    assert len(provider.calls) == 2
    assert outbox.get(message_id).state is OutboxState.SENT
    assert outbox.get(message_id).attempts == 2
    assert clock.now() - start == timedelta(seconds=2)
    assert len(provider.received) == 1


def test_a_rate_limit_spreads_starts_over_seconds_of_the_clock(
    outbox: OutboxService, provider: FakeProvider, clock: FixedClock, make_worker: Any
) -> None:
    worker = make_worker(limits={Channel.SMS: ChannelLimit(max_in_flight=8, per_second=5)})
    for n in range(12):
        outbox.enqueue(Channel.SMS, f"+65912345{n:02d}", {"body": str(n)})
    assert worker.wait_settled(WAIT)
    assert len(provider.calls) == 5
    advance(clock, 1)
    assert worker.wait_settled(WAIT)
    assert len(provider.calls) == 10
    advance(clock, 1)
    assert worker.wait_settled(WAIT)
    assert len(provider.calls) == 12


def test_an_unknown_message_is_reconciled_by_the_worker(
    outbox: OutboxService, provider: FakeProvider, clock: FixedClock, make_worker: Any
) -> None:
    provider.then(Step(SendOutcome.ambiguous("Read timed out"), holds=True))
    worker = make_worker()
    (message_id,) = queue_texts(outbox, "+6591234567", ["hello"])
    assert worker.wait_settled(WAIT)
    assert outbox.get(message_id).state is OutboxState.UNKNOWN
    advance(clock, 3)
    assert worker.wait_settled(WAIT)
    assert outbox.get(message_id).state is OutboxState.SENT
    assert (len(provider.calls), provider.reconciled) == (1, 1)


def test_stop_lets_the_send_in_flight_record_its_outcome(
    outbox: OutboxService, provider: FakeProvider, make_worker: Any
) -> None:
    provider.gate = threading.Event()
    worker = make_worker()
    (message_id,) = queue_texts(outbox, "+6591234567", ["hello"])
    assert _until(lambda: provider.in_flight == 1)
    stopped = threading.Event()
    threading.Thread(target=lambda: worker.stop(WAIT) and stopped.set()).start()
    assert not stopped.wait(0.05)  # still waiting for the message in flight
    provider.gate.set()
    assert stopped.wait(WAIT)
    assert not worker.running
    assert outbox.get(message_id).state is OutboxState.SENT


def test_a_new_worker_reconciles_rows_left_sending(
    context: Any, clock: FixedClock, provider: FakeProvider, switch: Switch
) -> None:
    outbox = outbox_for(context, clock, provider)
    got, lost = queue_texts(outbox, "+6591234567", ["got"]) + queue_texts(
        outbox, "+6598765432", ["lost"]
    )
    for message in outbox.claim(clock.now(), 10):  # "crash" with both rows sending
        if message.id == got:
            provider.held[message.idempotency_key] = "P-before-crash"
    worker = OutboxWorker(outbox_for(context, clock, provider), switch, clock)
    worker.start()
    try:
        assert _until(lambda: outbox.counts()[OutboxState.SENT] == 2)
    finally:
        assert worker.stop(WAIT)
    assert [message.payload["body"] for message in provider.calls] == ["lost"]
    assert outbox.get(got).provider_id == "P-before-crash"
    assert outbox.get(lost).attempts == 1


def _until(condition: Any, timeout: float = WAIT) -> bool:
    """Poll a condition (a short Event wait between looks, no sleep)."""
    pause = threading.Event()
    for _ in range(int(timeout / 0.01)):
        if condition():
            return True
        pause.wait(0.01)
    return bool(condition())


def test_an_outcome_the_disk_refused_is_checked_with_the_provider_not_resent(
    context: Any, outbox: OutboxService, provider: FakeProvider, make_worker: Any
) -> None:
    import sqlite3

    # A real refusal from SQLite (as a full or failing disk gives): the row may not go from
    # sending straight to sent; other changes still can.
    with sqlite3.connect(context.paths.database) as db:
        db.execute(
            "CREATE TRIGGER refuse_outcome BEFORE UPDATE OF state ON outbox "
            "WHEN OLD.state = 'sending' AND NEW.state = 'sent' "
            "BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END"
        )
    worker = make_worker()
    (message_id,) = queue_texts(outbox, "+6591234567", ["hello"])

    assert _until(lambda: outbox.get(message_id).state is OutboxState.SENT)
    assert worker.wait_settled(WAIT)
    assert len(provider.calls) == 1 and provider.reconciled == 1  # asked, never sent again
    assert outbox.get(message_id).provider_id == "P1"
