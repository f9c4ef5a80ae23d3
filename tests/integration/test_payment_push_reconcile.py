"""A payment push whose outcome was unclear is matched to its own cloud transaction, or sent again.

The cloud's record-payment answer names no transaction and its transactions carry no key of
ours, so a push is matched by amount since its attempt started (on the cloud's clock), never
to a transaction another push already holds.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from leadcartel_desktop.domain.outbox import OutboxMessage, OutboxState
from leadcartel_desktop.domain.payments import PaymentMethod
from leadcartel_desktop.sandbox import FaultKind
from tests.integration import test_invoice_sync
from tests.integration.provider_support import HOLD_SECONDS
from tests.integration.test_invoice_sync import World

# The invoice-sync tests' fixtures: a sandbox cloud and an invoice synced with it.
sandbox = test_invoice_sync.sandbox
world = test_invoice_sync.world


def push_row(world: World, payment_id: int) -> OutboxMessage:
    """The outbox row pushing `payment_id` to the cloud (its key names the payment)."""
    (row,) = [
        row
        for row in world.app.services.outbox.for_invoice(world.invoice_id)
        if row.idempotency_key == f"payment:{payment_id}"
    ]
    return row


def record(world: World, amount: int) -> OutboxMessage:
    """A cash payment recorded in the app (today by the real calendar); its push row."""
    today = datetime.now(UTC).date()
    paid = world.app.services.payments.record(world.invoice_id, amount, today, PaymentMethod.CASH)
    return push_row(world, paid.payments[-1].id)


def cloud_amounts(world: World) -> list[str]:
    return [str(txn["amount"]) for txn in world.sandbox.cloud.invoices.transactions]


def cloud_ids(world: World) -> list[str]:
    return [str(txn["_id"]) for txn in world.sandbox.cloud.invoices.transactions]


def test_a_pushed_payment_holds_its_cloud_transaction_not_the_invoice(world: World) -> None:
    outbox = world.app.services.outbox
    row = record(world, 1000)
    assert outbox.process_due(world.clock.now()) == 1
    sent = outbox.get(row.id)
    assert (sent.state, sent.provider_id) == (OutboxState.SENT, *cloud_ids(world))


def test_a_second_equal_payment_lost_by_a_500_is_sent_again_not_matched_to_the_first(
    world: World,
) -> None:
    outbox = world.app.services.outbox
    first = record(world, 1000)
    outbox.process_due(world.clock.now())
    second = record(world, 1000)
    world.sandbox.controls("cloud").fail_next(FaultKind.SERVER_ERROR)  # nothing recorded
    outbox.process_due(world.clock.now())
    assert outbox.get(second.id).state is OutboxState.UNKNOWN

    assert outbox.check_unknown(outbox.get(second.id)) is OutboxState.PENDING
    outbox.process_due(world.clock.now())

    assert cloud_amounts(world) == ["10.00", "10.00"]
    held = [outbox.get(first.id).provider_id, outbox.get(second.id).provider_id]
    assert held == cloud_ids(world)


def test_a_second_equal_payment_whose_answer_was_lost_takes_its_own_transaction(
    world: World,
) -> None:
    outbox = world.app.services.outbox
    first = record(world, 1000)
    outbox.process_due(world.clock.now())
    second = record(world, 1000)
    world.sandbox.controls("cloud").fail_next(
        FaultKind.ACCEPT_THEN_TIMEOUT, hold_seconds=HOLD_SECONDS
    )
    outbox.process_due(world.clock.now())
    assert outbox.get(second.id).state is OutboxState.UNKNOWN

    assert outbox.check_unknown(outbox.get(second.id)) is OutboxState.SENT

    assert cloud_amounts(world) == ["10.00", "10.00"]  # not sent a third time
    held = [outbox.get(first.id).provider_id, outbox.get(second.id).provider_id]
    assert held == cloud_ids(world)


@pytest.mark.parametrize("skew", [timedelta(hours=1), timedelta(hours=3)], ids=["1h", "3h"])
def test_a_fast_pc_clock_still_finds_the_clouds_copy_of_a_push(
    world: World, skew: timedelta
) -> None:
    outbox = world.app.services.outbox
    world.clock.instant += skew  # no time sync, or the time zone set wrong
    row = record(world, 1500)
    world.sandbox.controls("cloud").fail_next(
        FaultKind.ACCEPT_THEN_TIMEOUT, hold_seconds=HOLD_SECONDS
    )
    outbox.process_due(world.clock.now())
    assert outbox.get(row.id).state is OutboxState.UNKNOWN

    assert outbox.check_unknown(outbox.get(row.id)) is OutboxState.SENT

    assert cloud_amounts(world) == ["15.00"]
    assert outbox.get(row.id).provider_id == cloud_ids(world)[0]


def test_a_slow_pc_clock_does_not_take_an_earlier_equal_payment_for_the_push(
    world: World,
) -> None:
    """Recorded by hand in the cloud half an hour ago: before the push's attempt began."""
    book = world.sandbox.cloud.invoices
    book.pay(world.remote_id, Decimal("10.00"), "cash")
    earlier = datetime.now(UTC) - timedelta(minutes=30)
    book.transactions[-1]["createdAt"] = earlier.isoformat(timespec="milliseconds")
    outbox = world.app.services.outbox
    world.clock.instant -= timedelta(hours=1)
    row = record(world, 1000)
    world.sandbox.controls("cloud").fail_next(FaultKind.SERVER_ERROR)  # nothing recorded
    outbox.process_due(world.clock.now())
    assert outbox.get(row.id).state is OutboxState.UNKNOWN

    assert outbox.check_unknown(outbox.get(row.id)) is OutboxState.PENDING
    outbox.process_due(world.clock.now())

    assert cloud_amounts(world) == ["10.00", "10.00"]
    assert outbox.get(row.id).provider_id == cloud_ids(world)[1]
