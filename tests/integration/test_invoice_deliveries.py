"""The invoice list's delivery labels for a page of invoices, from one grouped outbox query."""

from __future__ import annotations

from typing import Any

from leadcartel_desktop.domain.outbox import Channel, OutboxState
from leadcartel_desktop.services.delivery import NOT_SENT, SENT, WAITING, delivery_of_states
from tests.conftest import FixedClock
from tests.integration.send_support import draft_for_ada


def _queue(services: Any, invoice_id: int, n: int) -> int:
    message_id: int = services.outbox.enqueue(
        Channel.SMS, f"+659123456{n}", {"body": f"invoice {invoice_id}"}, invoice_id=invoice_id
    )
    return message_id


def _finish(context: Any, clock: FixedClock, message_id: int, state: OutboxState) -> None:
    with context.database.unit_of_work() as uow:  # the state a send would leave
        uow.outbox.record(
            message_id, state, attempts=1, provider_id=f"P{message_id}", now=clock.now()
        )
        uow.commit()


def test_deliveries_reads_every_invoice_of_a_page_in_one_go(
    context: Any, services: Any, clock: FixedClock
) -> None:
    first = draft_for_ada(services)
    invoices = [first] + [
        services.invoices.save_draft(services.invoices.get(first).content) for _ in range(5)
    ]
    waiting, sent, failed, cancelled, mixed, quiet = invoices
    _queue(services, waiting, 1)
    _finish(context, clock, _queue(services, sent, 2), OutboxState.SENT)
    _finish(context, clock, _queue(services, sent, 3), OutboxState.DELIVERED)
    _finish(context, clock, _queue(services, failed, 4), OutboxState.FAILED)
    services.outbox.cancel(_queue(services, cancelled, 5))
    _finish(context, clock, _queue(services, mixed, 6), OutboxState.FAILED)
    _finish(context, clock, _queue(services, mixed, 7), OutboxState.UNKNOWN)

    found = services.invoice_list.deliveries(invoices)

    assert found == {
        waiting: WAITING,
        sent: SENT,
        failed: NOT_SENT,
        cancelled: "",
        mixed: WAITING,
        quiet: "",
    }
    assert found == services.send_invoice.deliveries(invoices)  # the per-invoice reading agrees
    assert services.invoice_list.deliveries([]) == {}


def test_delivery_of_states_reads_like_the_send_flow() -> None:
    assert delivery_of_states([]) == ""
    assert delivery_of_states([OutboxState.CANCELLED]) == ""
    assert delivery_of_states([OutboxState.SENT, OutboxState.PENDING]) == WAITING
    assert delivery_of_states([OutboxState.SENT, OutboxState.FAILED]) == NOT_SENT
    assert delivery_of_states([OutboxState.DELIVERED, OutboxState.CANCELLED]) == SENT
