"""The worker's settled signal waits for batched outcomes; a recorded outcome wakes it at once."""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from leadcartel_desktop.domain.outbox import Channel, OutboxMessage, OutboxState, SendOutcome
from leadcartel_desktop.services.outbox import OutboxService
from leadcartel_desktop.services.outbox_worker import OutboxWorker
from tests.conftest import FixedClock
from tests.integration.outbox_support import FakeProvider, Switch, outbox_for, queue_texts

WAIT = 20.0
NEVER = 3600.0  # a poll the tests never wait out: anything they see came from a wake-up


@pytest.fixture
def provider() -> FakeProvider:
    return FakeProvider()


@pytest.fixture
def outbox(context: Any, clock: FixedClock, provider: FakeProvider) -> OutboxService:
    return outbox_for(context, clock, provider, rng=random.Random(5))


@pytest.fixture
def worker(outbox: OutboxService, clock: FixedClock) -> Iterator[OutboxWorker]:
    running = OutboxWorker(outbox, Switch(), clock, poll_seconds=NEVER)
    running.start()
    yield running
    assert running.stop(WAIT)


def test_settled_means_every_outcome_is_committed_and_nothing_more_is_due(
    outbox: OutboxService, worker: OutboxWorker
) -> None:
    # Messages to one recipient leave one after another: each outcome's commit makes the next
    # one due, so "settled" reported while an outcome is committing leaves some pending.
    for round_ in range(5):
        ids = queue_texts(outbox, "+6591234567", [f"{round_}-{n}" for n in range(8)])
        assert worker.wait_settled(WAIT)
        assert {outbox.get(i).state for i in ids} == {OutboxState.SENT}
        assert (worker.busy, outbox.unrecorded) == (0, 0)


def test_an_outcome_recorded_wakes_the_worker_for_the_row_it_makes_due(
    outbox: OutboxService, provider: FakeProvider, worker: OutboxWorker
) -> None:
    second_sent = threading.Event()
    sent: list[OutboxMessage] = []
    send = provider.send

    def watching(message: OutboxMessage) -> SendOutcome:
        outcome = send(message)
        sent.append(message)
        if len(sent) == 2:
            second_sent.set()
        return outcome

    provider.send = watching  # type: ignore[method-assign]
    first, second = queue_texts(outbox, "+6591234567", ["first", "second"])
    # The second waits behind the first; only the first's recorded outcome frees it, and the
    # worker polls once an hour: it must be woken by the outcome, not by the poll or the test.
    assert second_sent.wait(WAIT)
    assert [message.id for message in sent] == [first, second]


def test_the_recorder_counts_outcomes_until_they_are_committed(
    outbox: OutboxService, clock: FixedClock
) -> None:
    (message_id,) = queue_texts(outbox, "+6591234567", ["hello"])
    (claimed,) = outbox.claim(clock.now(), 1, Channel.SMS)
    assert outbox.unrecorded == 0
    assert outbox.deliver(claimed) is OutboxState.SENT
    assert outbox.unrecorded == 0
    assert outbox.get(message_id).state is OutboxState.SENT
