"""Deleting payments, their pushes and the status sync, against the sandbox cloud."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from leadcartel_desktop.domain.errors import CloudCopyError
from leadcartel_desktop.domain.invoice_status import InvoiceStatus
from leadcartel_desktop.domain.outbox import OutboxState
from leadcartel_desktop.domain.payments import PaymentMethod
from leadcartel_desktop.sandbox import FaultKind
from leadcartel_desktop.sandbox.controls import Fault
from tests.integration import test_invoice_sync
from tests.integration.test_invoice_sync import World, customer_does

sandbox = test_invoice_sync.sandbox
world = test_invoice_sync.world


def today() -> object:
    return datetime.now(UTC).date()


def push_of(world: World, payment_id: int):
    (row,) = [
        r
        for r in world.app.services.outbox.for_invoice(world.invoice_id)
        if r.idempotency_key == f"payment:{payment_id}"
    ]
    return world.app.services.outbox.get(row.id)


def test_unknown_push_deleted_here_only_and_not_in_cloud_is_never_sent(world: World) -> None:
    services = world.app.services
    paid = services.payments.record(world.invoice_id, 3000, today(), PaymentMethod.CASH)
    payment_id = paid.payments[-1].id
    world.sandbox.controls("cloud").fail_next(FaultKind.SERVER_ERROR)  # nothing recorded
    services.outbox.process_due(world.clock.now())
    assert push_of(world, payment_id).state is OutboxState.UNKNOWN
    with pytest.raises(CloudCopyError):
        services.payments.delete(payment_id)
    services.payments.delete(payment_id, cloud_keeps_it=True)
    services.outbox.check_unknown(push_of(world, payment_id))
    services.outbox.process_due(world.clock.now())
    assert world.sandbox.cloud.invoices.transactions == []
    assert push_of(world, payment_id).state is OutboxState.CANCELLED


def test_customer_paid_online_before_the_push_then_push_refused_is_reported(world: World) -> None:
    services = world.app.services
    customer_does(world, "pay", {"amount": 100})
    services.payments.record(world.invoice_id, 10000, today(), PaymentMethod.BANK_TRANSFER)
    services.outbox.process_due(world.clock.now())  # the push comes too late: refused
    run = world.sync.pull()
    assert any("also paid USD 100.00" in text for _id, text in run.problems), run.problems
    assert services.invoices.get(world.invoice_id).status is InvoiceStatus.PAID


def test_scope_refusal_on_the_status_read_says_the_fix(world: World) -> None:
    customer_does(world, "view")
    world.sandbox.controls("cloud").fail_next(
        FaultKind.SCOPE, methods=frozenset({"GET"})
    ) if "methods" in Fault.__dataclass_fields__ else None
    run = world.sync.pull()
    assert run.problems, run
    ((_, text),) = run.problems
    assert "Private Integrations" in text, text
    assert world.app.services.outbox.paused() == {}


def test_delete_question_for_an_unknown_push_does_not_claim_the_cloud_has_it(world: World) -> None:
    """A 500 recorded nothing: the outcome is unknown, not 'has been sent'."""
    services = world.app.services
    paid = services.payments.record(world.invoice_id, 3000, today(), PaymentMethod.CASH)
    payment_id = paid.payments[-1].id
    world.sandbox.controls("cloud").fail_next(FaultKind.SERVER_ERROR)
    services.outbox.process_due(world.clock.now())
    assert push_of(world, payment_id).state is OutboxState.UNKNOWN
    assert world.sandbox.cloud.invoices.transactions == []
    with pytest.raises(CloudCopyError) as raised:
        services.payments.delete(payment_id)
    assert "has been sent to your Lead Cartel account" not in raised.value.message


def test_paid_twice_report_offers_only_what_the_app_can_do(world: World) -> None:
    """'record it by hand as a credit': the app has no credit (a payment over the balance is
    refused), and the report repeats every sync until the cloud refunds."""
    services = world.app.services
    customer_does(world, "pay", {"amount": 100})
    services.payments.record(world.invoice_id, 10000, today(), PaymentMethod.BANK_TRANSFER)
    services.outbox.process_due(world.clock.now())
    ((_, problem),) = world.sync.pull().problems
    assert "as a credit" not in problem, problem
