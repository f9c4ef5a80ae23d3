"""Status sync against the sandbox cloud: viewed, online payments once, offline payments pushed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import requests

from leadcartel_desktop.app import AppContext, build_context
from leadcartel_desktop.domain.business import BusinessSettings
from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.domain.errors import CloudCopyError
from leadcartel_desktop.domain.invoice import InvoiceContent
from leadcartel_desktop.domain.invoice_status import InvoiceStatus
from leadcartel_desktop.domain.outbox import Channel, OutboxState
from leadcartel_desktop.domain.payments import PaymentMethod
from leadcartel_desktop.domain.providers import SecretName
from leadcartel_desktop.domain.reminders import ReminderSchedule, ReminderStep
from leadcartel_desktop.domain.totals import LineItem
from leadcartel_desktop.providers.cloud_invoices import invoice_body
from leadcartel_desktop.providers.cloud_sync import CloudInvoiceSync
from leadcartel_desktop.providers.factory import DefaultProviderFactory
from leadcartel_desktop.providers.keychain import KeyringSecretStore
from leadcartel_desktop.sandbox import FaultKind, Sandbox
from leadcartel_desktop.services.invoice_sync import InvoiceSyncService
from leadcartel_desktop.services.payments import PaymentService
from leadcartel_desktop.services.sending import AlwaysOnline, SendingPorts
from tests.conftest import FixedClock
from tests.integration.provider_support import HOLD_SECONDS, sandbox_settings
from tests.integration.sandbox_support import TIMEOUTS, clock_at_real_time, memory_keyring

CUSTOMER = Contact(first_name="Ann", last_name="Lee", email="ann@example.com")


@dataclass
class World:
    app: AppContext
    sync: InvoiceSyncService
    sandbox: Sandbox
    clock: FixedClock
    invoice_id: int
    remote_id: str


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    with Sandbox(tmp_path_factory.mktemp("sandbox")) as running:
        yield running


@pytest.fixture
def world(sandbox: Sandbox, tmp_path: Path) -> Iterator[World]:
    sandbox.reset()
    clock = clock_at_real_time()
    factory = DefaultProviderFactory(timeouts=TIMEOUTS, clock=clock)
    with memory_keyring():
        secrets = KeyringSecretStore()
        app = build_context(
            tmp_path / "home", clock, SendingPorts(factory, secrets, AlwaysOnline())
        )
        settings = sandbox_settings(sandbox)
        services = app.services
        services.providers.save(settings)
        services.providers.save_secret(SecretName.CLOUD_TOKEN, sandbox.credentials.cloud_token)
        services.settings.save_business(BusinessSettings(company_name="Acme"))
        today = clock.now().date()
        customer = services.contacts.create(CUSTOMER)
        content = InvoiceContent(
            contact_id=customer.id,
            currency="USD",
            issue_date=today,
            due_date=today + timedelta(days=30),
            lines=(LineItem("Work", Decimal(1), 10000),),
        )
        invoice = services.invoices.issue(services.invoices.save_draft(content))
        client = factory.cloud_client(settings, secrets)
        body = invoice_body(invoice, customer, client.upsert_contact(customer),
                            BusinessSettings(company_name="Acme"), live_mode=False)  # fmt: skip
        remote = client.create_invoice(body, idempotency_key=f"invoice:{invoice.id}")
        client.send_invoice(remote.id, live_mode=False, idempotency_key=f"send:{invoice.id}")
        sync = InvoiceSyncService(
            app.database.unit_of_work,
            clock,
            services.outbox,
            lambda: CloudInvoiceSync(factory.cloud_client(settings, secrets)),
        )
        sync.link(invoice.id, remote.id, remote.url)
        try:
            yield World(app, sync, sandbox, clock, invoice.id, remote.id)
        finally:
            app.close()
            factory.close()


def customer_does(world: World, action: str, data: dict[str, Any] | None = None) -> None:
    """The sandbox plays the customer on the hosted invoice page (view, pay online)."""
    url = f"{world.sandbox.admin_url}/_sandbox/cloud/invoices/{world.remote_id}/{action}"
    answer = requests.post(url, data=json.dumps(data or {}), timeout=5)
    assert answer.status_code == 200, answer.text


def test_the_customer_viewing_it_makes_it_viewed(world: World):
    assert world.sync.pull().viewed == 0
    assert world.app.services.invoices.get(world.invoice_id).status is InvoiceStatus.SENT
    customer_does(world, "view")
    assert world.sync.pull().viewed == 1
    assert world.app.services.invoices.get(world.invoice_id).status is InvoiceStatus.VIEWED


def test_an_online_payment_is_recorded_once_with_its_remote_id(world: World):
    customer_does(world, "pay", {"amount": 40})
    run = world.sync.pull()
    assert (run.checked, run.payments, run.problems) == (1, 1, ())
    invoice = world.app.services.invoices.get(world.invoice_id)
    (payment,) = invoice.payments
    (txn,) = world.sandbox.cloud.invoices.transactions
    assert (payment.amount, payment.method, payment.remote_id) == (
        4000, PaymentMethod.ONLINE, txn["_id"]
    )  # fmt: skip
    assert invoice.status is InvoiceStatus.PARTIALLY_PAID and invoice.totals().balance == 6000
    assert world.sync.pull().payments == 0
    assert len(world.app.services.invoices.get(world.invoice_id).payments) == 1


def test_an_offline_payment_is_pushed_once(world: World):
    services = world.app.services
    today = world.clock.now().date()
    paid = services.payments.record(world.invoice_id, 1000, today, PaymentMethod.BANK_TRANSFER)
    payment_id = paid.payments[-1].id
    # Recording queued the push in its own transaction.
    (row,) = services.outbox.for_invoice(world.invoice_id)
    message_id = row.id
    assert world.sync.push_payment(payment_id) is None  # queued already: one row
    assert world.sync.push_pending() == 0
    assert (row.channel, row.idempotency_key) == (Channel.CLOUD, f"payment:{payment_id}")
    assert services.outbox.process_due(world.clock.now()) == 1
    assert services.outbox.get(message_id).state is OutboxState.SENT
    assert services.outbox.process_due(world.clock.now()) == 0
    (pushed,) = world.sandbox.received("cloud", "invoice.record_payment")
    assert pushed.data["amountPaid"] == Decimal("10.00")
    # The cloud now holds the app's own payment: pulling does not bring it back as a new one.
    assert world.sync.pull().payments == 0
    assert len(services.invoices.get(world.invoice_id).payments) == 1


def test_a_pull_queues_offline_payments_not_pushed_yet(world: World):
    services = world.app.services
    today = world.clock.now().date()
    # Recorded without the push hook (as by an older version): the pull's sweep queues it.
    PaymentService(world.app.database.unit_of_work).record(
        world.invoice_id, 2500, today, PaymentMethod.CASH
    )
    assert world.sync.pull().pushed == 1
    assert world.sync.pull().pushed == 0
    services.outbox.process_due(world.clock.now())
    assert len(world.sandbox.received("cloud", "invoice.record_payment")) == 1


def test_two_pulls_at_once_record_an_online_payment_once(world: World):
    customer_does(world, "pay", {"amount": 40})
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = list(pool.map(lambda _: world.sync.pull(), range(2)))
    assert sorted(run.payments for run in runs) == [0, 1]
    assert len(world.app.services.invoices.get(world.invoice_id).payments) == 1


def test_a_push_whose_answer_timed_out_is_reconciled_not_sent_twice(world: World):
    services = world.app.services
    today = world.clock.now().date()
    services.payments.record(world.invoice_id, 1500, today, PaymentMethod.CHECK)
    (row,) = services.outbox.for_invoice(world.invoice_id)  # queued with the payment
    message_id = row.id
    world.sandbox.controls("cloud").fail_next(
        FaultKind.ACCEPT_THEN_TIMEOUT, hold_seconds=HOLD_SECONDS
    )
    services.outbox.process_due(world.clock.now())
    assert services.outbox.get(message_id).state is OutboxState.UNKNOWN
    assert services.outbox.check_unknown(services.outbox.get(message_id)) is OutboxState.SENT
    assert len(world.sandbox.received("cloud", "invoice.record_payment")) == 1


def test_the_apps_own_sync_reads_the_cloud_through_the_provider_factory(world: World):
    customer_does(world, "view")
    run = world.app.services.invoice_sync.pull()
    assert (run.checked, run.viewed, run.problems) == (1, 1, ())
    assert world.app.services.invoices.get(world.invoice_id).status is InvoiceStatus.VIEWED


def test_without_a_cloud_account_the_sync_says_so(world: World):
    from leadcartel_desktop.domain.errors import UserFacingError
    from leadcartel_desktop.domain.providers import ProviderSettings

    world.app.services.providers.save(ProviderSettings())
    with pytest.raises(UserFacingError, match="No Lead Cartel cloud account"):
        world.app.services.invoice_sync.pull()


def test_an_online_payment_beyond_the_balance_is_reported_not_recorded(world: World):
    services = world.app.services
    today = world.clock.now().date()
    services.payments.record(world.invoice_id, 7000, today, PaymentMethod.BANK_TRANSFER)
    customer_does(world, "pay", {"amount": 100})  # before the offline payment reached the cloud

    run = world.sync.pull()

    assert run.payments == 0
    ((invoice_id, problem),) = run.problems
    assert invoice_id == world.invoice_id
    assert "larger than the balance was not recorded" in problem and "by hand" in problem
    assert [p.amount for p in services.invoices.get(world.invoice_id).payments] == [7000]


def test_a_payment_after_a_deleted_pushed_one_reaches_the_cloud(world: World) -> None:
    services = world.app.services
    today = world.clock.now().date()
    paid = services.payments.record(world.invoice_id, 3000, today, PaymentMethod.CASH)
    services.outbox.process_due(world.clock.now())
    services.payments.delete(paid.payments[-1].id, cloud_keeps_it=True)
    services.payments.record(world.invoice_id, 5000, today, PaymentMethod.CASH)
    services.outbox.process_due(world.clock.now())
    # Two record-payment calls reached the cloud, the second for the new payment's 50.00 (the
    # deleted payment's 30.00 stays there: a deletion is not pushed, see the note).
    pushed = [str(txn["amount"]) for txn in world.sandbox.cloud.invoices.transactions]
    assert pushed == ["30.00", "50.00"]


def test_a_reminder_carries_the_cloud_link_only_once_the_cloud_holds_every_payment(
    world: World,
) -> None:
    """Else the hosted page would ask for the whole total while the app records a payment."""
    services = world.app.services
    services.reminders.save_schedule(ReminderSchedule(steps=(ReminderStep(3),)))
    with world.app.database.unit_of_work(read_only=True) as uow:
        link = uow.invoice_sync.payment_link(world.invoice_id)
    assert link.startswith("http")
    world.sandbox.controls("cloud").fail_next(FaultKind.RATE_LIMIT, retry_after=3600)
    services.payments.record(world.invoice_id, 5000, world.clock.now().date(), PaymentMethod.CASH)
    services.outbox.process_due(world.clock.now())  # the push waits an hour (429)
    world.clock.instant += timedelta(days=34)  # three days overdue
    assert services.reminders.run_due() == 1
    assert link not in reminder_texts(world)[-1]
    assert "50.00" in reminder_texts(world)[-1]  # the balance, not the total
    # Once the cloud holds the payment, a reminder carries the link again.
    services.outbox.process_due(world.clock.now())
    services.reminders.send_now(world.invoice_id, press="again")
    assert link in reminder_texts(world)[-1]


def reminder_texts(world: World) -> list[str]:
    rows = world.app.services.outbox.for_invoice(world.invoice_id)
    return [
        json.dumps(row.payload) for row in sorted(rows, key=lambda row: row.id)
        if row.idempotency_key.startswith("reminder:")
    ]  # fmt: skip


def test_deleting_a_payment_the_cloud_holds_needs_the_operator_to_accept_it(world: World) -> None:
    services = world.app.services
    paid = services.payments.record(
        world.invoice_id, 3000, world.clock.now().date(), PaymentMethod.CASH
    )
    services.outbox.process_due(world.clock.now())
    payment_id = paid.payments[-1].id
    with pytest.raises(CloudCopyError, match="Delete it here only"):
        services.payments.delete(payment_id)
    assert [p.id for p in services.invoices.get(world.invoice_id).payments] == [payment_id]
    assert services.payments.delete(payment_id, cloud_keeps_it=True).payments == ()


def test_a_payment_deleted_before_its_push_went_never_reaches_the_cloud(world: World) -> None:
    services = world.app.services
    paid = services.payments.record(
        world.invoice_id, 3000, world.clock.now().date(), PaymentMethod.CASH
    )
    services.payments.delete(paid.payments[-1].id)  # offline: the push still waits
    (push,) = services.outbox.for_invoice(world.invoice_id)
    assert push.state is OutboxState.CANCELLED and "deleted" in push.last_error
    services.outbox.process_due(world.clock.now())
    assert world.sandbox.cloud.invoices.transactions == []


def test_a_failed_push_retried_after_its_payment_was_deleted_is_cancelled(world: World) -> None:
    services = world.app.services
    world.sandbox.controls("cloud").fail_next(FaultKind.INVALID_NUMBER)
    paid = services.payments.record(
        world.invoice_id, 3000, world.clock.now().date(), PaymentMethod.CASH
    )
    services.outbox.process_due(world.clock.now())
    (push,) = services.outbox.for_invoice(world.invoice_id)
    assert push.state is OutboxState.FAILED
    services.payments.delete(paid.payments[-1].id)
    services.outbox.retry_now(push.id)  # from the outbox view
    services.outbox.process_due(world.clock.now())
    (push,) = services.outbox.for_invoice(world.invoice_id)
    assert push.state is OutboxState.CANCELLED and "deleted" in push.last_error
    assert world.sandbox.cloud.invoices.transactions == []


def test_an_online_payment_on_an_invoice_paid_in_the_app_is_reported(world: World) -> None:
    """The operator records the whole bank transfer; the customer also pays online."""
    services = world.app.services
    services.payments.record(
        world.invoice_id, 10000, world.clock.now().date(), PaymentMethod.BANK_TRANSFER
    )
    customer_does(world, "pay", {"amount": 100})  # before the push reached the cloud
    run = world.sync.pull()
    ((invoice_id, problem),) = run.problems
    assert invoice_id == world.invoice_id
    assert "is paid, but the customer also paid USD 100.00" in problem
    assert [p.amount for p in services.invoices.get(world.invoice_id).payments] == [10000]
    assert run.payments == 0


def test_a_paid_invoice_is_no_longer_read_once_its_payments_reached_the_cloud(
    world: World,
) -> None:
    services = world.app.services
    services.payments.record(world.invoice_id, 10000, world.clock.now().date(), PaymentMethod.CASH)
    assert world.sync.pull().checked == 1  # its push is still waiting
    services.outbox.process_due(world.clock.now())
    assert world.sync.pull().checked == 0


def test_a_call_the_token_lacks_the_scope_for_fails_alone_and_the_cloud_keeps_working(
    world: World,
) -> None:
    """A missing scope is about one resource: the channel is not paused as for a bad token."""
    services = world.app.services
    today = world.clock.now().date()
    world.sandbox.controls("cloud").fail_next(FaultKind.SCOPE)
    services.payments.record(world.invoice_id, 3000, today, PaymentMethod.CASH)
    services.outbox.process_due(world.clock.now())
    (refused,) = services.outbox.for_invoice(world.invoice_id)
    assert refused.state is OutboxState.FAILED
    assert "scope" in refused.last_error and "Private Integrations" in refused.last_error_hint
    assert services.outbox.paused() == {}
    services.payments.record(world.invoice_id, 2000, today, PaymentMethod.CASH)
    services.outbox.process_due(world.clock.now())
    assert [str(t["amount"]) for t in world.sandbox.cloud.invoices.transactions] == ["20.00"]
