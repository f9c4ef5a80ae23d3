"""Worker leases: a row another live sender is sending is never taken as interrupted."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest

from leadcartel_desktop.domain.outbox import OutboxState
from leadcartel_desktop.services.outbox import OutboxService
from leadcartel_desktop.services.outbox_lease import STALE_AFTER
from leadcartel_desktop.services.outbox_worker import OutboxWorker
from leadcartel_desktop.storage.outbox import due_text
from tests.conftest import FixedClock
from tests.integration.outbox_support import (
    FakeProvider,
    Switch,
    advance,
    outbox_for,
    queue_texts,
)

WAIT = 20.0
BEAT = 61  # seconds the clock moves per round: a beat each round, stale (2 min) after two


@pytest.fixture
def provider() -> FakeProvider:
    return FakeProvider()


@pytest.fixture
def start_worker(context: Any, clock: FixedClock, provider: FakeProvider) -> Iterator[Any]:
    """Each worker on its own OutboxService, as a second process on the file would be."""
    workers: list[OutboxWorker] = []

    def start() -> OutboxWorker:
        worker = OutboxWorker(outbox_for(context, clock, provider), Switch(), clock)
        workers.append(worker)
        worker.start()
        return worker

    yield start
    for worker in workers:
        assert worker.stop(WAIT)


def leases(context: Any) -> dict[str, str]:
    with context.database.unit_of_work(read_only=True) as uow:
        rows = uow.statements.tuples("SELECT id, heartbeat_at FROM outbox_workers")
    return {str(worker): str(beat) for worker, beat in rows}


def test_a_row_a_live_worker_is_sending_is_left_alone_by_a_new_worker(
    context: Any, clock: FixedClock, provider: FakeProvider, start_worker: Any
) -> None:
    provider.gate = threading.Event()
    first = start_worker()
    outbox = outbox_for(context, clock, provider)
    (message_id,) = queue_texts(outbox, "+6591234567", ["hello"])
    first.notify()
    assert _until(lambda: provider.in_flight == 1)
    second = start_worker()
    assert second.wait_settled(WAIT)  # its start (marking interrupted rows) is behind it
    # Minutes pass while the send hangs: the first worker keeps beating, the second keeps
    # looking for silent senders on each of its beats, and leaves the row alone.
    for _ in range(3):
        advance(clock, BEAT)
        first.notify()
        assert _until(lambda: leases(context).get(first.worker_id) == due_text(clock.now()))
        assert second.wait_settled(WAIT)
    row = outbox.get(message_id)
    assert (row.state, row.claimed_by, row.last_error_code) == (
        OutboxState.SENDING,
        first.worker_id,
        "",
    )
    assert set(leases(context)) == {first.worker_id, second.worker_id}
    provider.gate.set()
    assert first.wait_settled(WAIT)
    assert second.wait_settled(WAIT)
    assert outbox.get(message_id).state is OutboxState.SENT
    assert (len(provider.calls), len(provider.received), provider.reconciled) == (1, 1, 0)
    assert first.stop(WAIT) and second.stop(WAIT)
    assert leases(context) == {}  # a clean stop gives the lease up


def test_rows_the_command_line_is_sending_are_left_alone_by_a_starting_worker(
    context: Any, clock: FixedClock, provider: FakeProvider, start_worker: Any
) -> None:
    provider.gate = threading.Event()
    outbox = outbox_for(context, clock, provider)
    (message_id,) = queue_texts(outbox, "+6591234567", ["hello"])
    tried: list[int] = []
    cli = threading.Thread(target=lambda: tried.append(outbox.process_due(clock.now())))
    cli.start()
    assert _until(lambda: provider.in_flight == 1)
    worker = start_worker()
    assert worker.wait_settled(WAIT)
    assert outbox.get(message_id).state is OutboxState.SENDING
    provider.gate.set()
    cli.join(WAIT)
    assert tried == [1]
    assert worker.wait_settled(WAIT)
    assert outbox.get(message_id).state is OutboxState.SENT
    assert len(provider.calls) == 1
    assert set(leases(context)) == {worker.worker_id}  # process_due gave its lease up


def test_a_stale_workers_rows_are_reconciled_by_a_new_worker_never_resent_blindly(
    context: Any, clock: FixedClock, provider: FakeProvider, start_worker: Any
) -> None:
    got, lost = _left_sending_by_a_dead_worker(context, clock, provider)
    advance(clock, STALE_AFTER.total_seconds() + 1)
    worker = start_worker()
    assert worker.wait_settled(WAIT)
    _assert_reconciled(context, provider, got, lost)
    assert set(leases(context)) == {worker.worker_id}  # the stale lease was removed


def test_a_worker_takes_rows_of_a_sender_that_goes_silent_while_it_runs(
    context: Any, clock: FixedClock, provider: FakeProvider, start_worker: Any
) -> None:
    # A crash, then a restart at once: the dead sender's lease still looks alive at first.
    got, lost = _left_sending_by_a_dead_worker(context, clock, provider)
    worker = start_worker()
    assert worker.wait_settled(WAIT)
    outbox = outbox_for(context, clock, provider)
    assert {outbox.get(got).state, outbox.get(lost).state} == {OutboxState.SENDING}
    advance(clock, BEAT)
    assert worker.wait_settled(WAIT)
    assert outbox.get(got).state is OutboxState.SENDING  # silent 61 s: not stale yet
    advance(clock, BEAT)
    assert worker.wait_settled(WAIT)
    _assert_reconciled(context, provider, got, lost)


def test_a_worker_that_slept_past_the_limit_does_not_take_others_rows_on_waking(
    context: Any, clock: FixedClock, provider: FakeProvider, start_worker: Any
) -> None:
    got, _ = _left_sending_by_a_dead_worker(context, clock, provider)
    worker = start_worker()
    assert worker.wait_settled(WAIT)
    advance(clock, 3600)  # the machine slept: every sender on it was silent
    assert worker.wait_settled(WAIT)
    assert outbox_for(context, clock, provider).get(got).state is OutboxState.SENDING
    advance(clock, BEAT)  # the others had a beat's time to speak up; this one did not
    assert worker.wait_settled(WAIT)
    assert outbox_for(context, clock, provider).get(got).state is OutboxState.SENT


def test_an_outcome_is_not_recorded_on_a_row_taken_from_its_sender(
    context: Any, clock: FixedClock, provider: FakeProvider
) -> None:
    slow = outbox_for(context, clock, provider)
    lease = slow.lease()
    lease.take(clock.now())
    (message_id,) = queue_texts(slow, "+6591234567", ["hello"])
    (claimed,) = slow.claim(clock.now(), 10, worker=lease.worker)
    advance(clock, STALE_AFTER.total_seconds() + 1)  # the sender hung past the limit
    other = outbox_for(context, clock, provider)
    assert other.mark_interrupted(clock.now()) == 1
    assert slow.deliver(claimed) is OutboxState.UNKNOWN  # the answer is kept off the row
    assert other.get(message_id).last_error_code == "interrupted"
    assert other.reconcile_unknown(clock.now()) == 1  # the provider has it: sent, once
    assert other.get(message_id).state is OutboxState.SENT
    assert (len(provider.calls), len(provider.received)) == (1, 1)


def _left_sending_by_a_dead_worker(
    context: Any, clock: FixedClock, provider: FakeProvider
) -> tuple[int, int]:
    """Two rows claimed under a lease that is never beaten again; the provider got one."""
    dead: OutboxService = outbox_for(context, clock, provider)
    lease = dead.lease()
    lease.take(clock.now())
    got, lost = queue_texts(dead, "+6591234567", ["got"]) + queue_texts(
        dead, "+6598765432", ["lost"]
    )
    for message in dead.claim(clock.now(), 10, worker=lease.worker):
        assert message.claimed_by == lease.worker
        if message.id == got:
            provider.held[message.idempotency_key] = "P-before-crash"
    return got, lost


def _assert_reconciled(context: Any, provider: FakeProvider, got: int, lost: int) -> None:
    outbox = outbox_for(context, FixedClock(), provider)
    assert outbox.get(got).state is OutboxState.SENT
    assert outbox.get(got).provider_id == "P-before-crash"
    assert outbox.get(lost).state is OutboxState.SENT
    assert [message.payload["body"] for message in provider.calls] == ["lost"]
    assert provider.reconciled == 2


def _until(condition: Any, timeout: float = WAIT) -> bool:
    """Poll a condition (a short Event wait between looks, no sleep)."""
    pause = threading.Event()
    for _ in range(int(timeout / 0.01)):
        if condition():
            return True
        pause.wait(0.01)
    return bool(condition())
