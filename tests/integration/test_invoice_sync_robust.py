"""Status sync when the cloud misbehaves: voids, other currencies, sub-cent and garbage answers."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import requests

from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.domain.errors import ConflictError
from leadcartel_desktop.domain.invoice_status import InvoiceStatus
from leadcartel_desktop.domain.outbox import Channel, OutboxMessage, OutboxState
from leadcartel_desktop.domain.payments import PaymentMethod
from leadcartel_desktop.domain.providers import SecretName
from leadcartel_desktop.providers.cloud_invoices import invoice_body
from leadcartel_desktop.sandbox import FaultKind, Sandbox
from leadcartel_desktop.services.registry import Services
from leadcartel_desktop.services.send_invoice import DEFAULT_TEMPLATES
from tests.conftest import FixedClock
from tests.integration.provider_support import HOLD_SECONDS
from tests.integration.send_support import draft_for_ada, sandbox_app

TEXTS = {
    "subject": DEFAULT_TEMPLATES.subject,
    "message": DEFAULT_TEMPLATES.message,
    "sms_message": DEFAULT_TEMPLATES.sms_message,
}


@contextmanager
def cloud_app(home: Path, clock: FixedClock, folder: Path) -> Iterator[tuple[Services, Sandbox]]:
    """The app wired to the sandbox, with the cloud account's token saved."""
    with sandbox_app(home, clock, folder) as (context, sandbox, _keys):
        services = context.services
        services.providers.save_secret(SecretName.CLOUD_TOKEN, sandbox.credentials.cloud_token)
        yield services, sandbox


def sent(services: Services, sandbox: Sandbox, like: int | None = None) -> tuple[int, str]:
    """A draft for Ada (or, `like` another invoice, for Bob) sent by email through the cloud.

    Returns (invoice id, cloud invoice id).
    """
    before = set(sandbox.cloud.invoices.invoices)
    if like is None:
        invoice_id = draft_for_ada(services)
    else:
        content = services.invoices.get(like).content
        bob = services.contacts.create(Contact("Bob", "Ray", "bob@example.com"))
        invoice_id = services.invoices.save_draft(replace(content, contact_id=bob.id))
    result = services.send_invoice.send(
        invoice_id, [Channel.EMAIL], **TEXTS, send_key=f"send:{invoice_id}"
    )
    assert result.note == ""
    (remote_id,) = set(sandbox.cloud.invoices.invoices) - before
    return invoice_id, remote_id


def customer(sandbox: Sandbox, remote_id: str, action: str, data: dict[str, Any] | None = None):
    """The customer on the cloud's hosted page; the sandbox's answer."""
    url = f"{sandbox.admin_url}/_sandbox/cloud/invoices/{remote_id}/{action}"
    return requests.post(url, data=json.dumps(data or {}), timeout=5)


def online_payment(sandbox: Sandbox, remote_id: str, amount: Any, **fields: Any) -> None:
    """A transaction the cloud's payment provider took, as the cloud books it (any content)."""
    book = sandbox.cloud.invoices
    invoice = book.invoices[remote_id]
    if isinstance(amount, Decimal) and amount.is_finite():
        invoice["amountPaid"] += amount
    else:
        invoice["amountPaid"] += Decimal("1.00")  # the cloud says something was paid
    book.transactions.append(
        {
            "_id": fields.pop("_id", f"txn_test_{len(book.transactions)}"),
            "entityId": remote_id,
            "entitySourceType": "invoice",
            "amount": amount,
            "currency": invoice["currency"],
            "status": "succeeded",
            "paymentProviderType": "stripe",
            "mode": "online",
            "createdAt": "2026-03-10T12:00:00.000Z",
            **fields,
        }
    )


def void_row(services: Services, invoice_id: int) -> OutboxMessage:
    """The outbox row voiding the invoice's cloud copy (its key names the invoice)."""
    key = f"invoice:{invoice_id}:void"
    (row,) = [
        row
        for state in OutboxState
        for row in services.outbox.in_state(state)
        if row.idempotency_key == key
    ]
    return row


def amounts(services: Services, invoice_id: int) -> list[int]:
    return [payment.amount for payment in services.invoices.get(invoice_id).payments]


# Cancelling a synced invoice voids its cloud copy ---------------------------------------------


def test_cancelling_a_synced_invoice_voids_it_in_the_cloud_once(
    home: Path, clock: FixedClock, tmp_path: Path
) -> None:
    with cloud_app(home, clock, tmp_path / "sb") as (services, sandbox):
        invoice_id, remote_id = sent(services, sandbox)
        services.invoices.cancel(invoice_id, "wrong amount")
        void = void_row(services, invoice_id)
        assert void.channel is Channel.CLOUD and void.recipient == remote_id
        assert void.payload == {"call": "void_invoice", "invoice_id": remote_id}
        services.outbox.process_due(clock.now())
        assert services.outbox.get(void.id).state is OutboxState.SENT
        assert sandbox.cloud.invoices.invoices[remote_id]["status"] == "void"
        assert len(sandbox.received("cloud", "invoice.void")) == 1
        refused = customer(sandbox, remote_id, "pay", {"amount": 50})
        assert refused.status_code == 400  # the hosted page takes no more money
        run = services.invoice_sync.pull()
        assert (run.checked, run.payments, run.problems) == (0, 0, ())
        assert services.invoices.get(invoice_id).status is InvoiceStatus.CANCELLED
        # An invoice never synced has no cloud copy to void.
        local = services.invoices.save_draft(services.invoices.get(invoice_id).content)
        services.invoices.issue(local)
        services.invoices.cancel(local, "duplicate")
        with pytest.raises(ValueError):  # none
            void_row(services, local)


def test_a_payment_taken_before_the_void_went_is_reported_not_recorded(
    home: Path, clock: FixedClock, tmp_path: Path
) -> None:
    with cloud_app(home, clock, tmp_path / "sb") as (services, sandbox):
        invoice_id, remote_id = sent(services, sandbox)
        number = services.invoices.get(invoice_id).number
        services.invoices.cancel(invoice_id, "wrong amount")
        # Offline until the customer pays on the hosted page: then the void is refused.
        assert customer(sandbox, remote_id, "pay", {"amount": 50}).status_code == 200
        services.outbox.process_due(clock.now())
        assert sandbox.cloud.invoices.invoices[remote_id]["status"] == "partially_paid"
        for _ in range(2):  # reported at every pull until it is dealt with
            run = services.invoice_sync.pull()
            assert run.payments == 0
            ((found, problem),) = run.problems
            assert found == invoice_id
            assert number in problem and "cancelled" in problem and "EUR 50.00" in problem
        invoice = services.invoices.get(invoice_id)
        assert invoice.status is InvoiceStatus.CANCELLED and invoice.payments == ()


def test_an_invoice_linked_to_the_cloud_after_its_cancel_is_voided_by_the_next_pull(
    home: Path, clock: FixedClock, tmp_path: Path
) -> None:
    """The cloud create's answer arrived after the operator had cancelled the invoice."""
    with cloud_app(home, clock, tmp_path / "sb") as (services, sandbox):
        invoice_id = draft_for_ada(services)
        invoice = services.invoices.issue(invoice_id)
        services.invoices.cancel(invoice_id, "wrong customer")
        customer_row = services.contacts.get(invoice.content.contact_id or 0)
        business = services.settings.business()
        body = invoice_body(invoice, customer_row, "c1", business, live_mode=False)
        body = jsonable(body)
        with sandbox.cloud._lock:
            remote = sandbox.cloud.invoices.create(body, "http://127.0.0.1")
            sandbox.cloud.invoices.send(remote["_id"], {"action": "send_manually"})
        services.invoice_sync.link(invoice_id, remote["_id"])
        services.invoice_sync.pull()
        services.invoice_sync.pull()  # queued once
        assert void_row(services, invoice_id).payload["invoice_id"] == remote["_id"]
        services.outbox.process_due(clock.now())
        assert sandbox.cloud.invoices.invoices[remote["_id"]]["status"] == "void"


def jsonable(body: dict[str, Any]) -> dict[str, Any]:
    """The body as the sandbox receives it (through JSON, fractions as Decimals)."""
    from leadcartel_desktop.providers import jsonbody

    return dict(jsonbody.loads(jsonbody.dumps(body)))


def test_a_void_whose_answer_was_lost_is_reconciled_not_sent_twice(
    home: Path, clock: FixedClock, tmp_path: Path
) -> None:
    with cloud_app(home, clock, tmp_path / "sb") as (services, sandbox):
        invoice_id, remote_id = sent(services, sandbox)
        services.invoices.cancel(invoice_id, "wrong amount")
        void = void_row(services, invoice_id)
        sandbox.controls("cloud").fail_next(
            FaultKind.ACCEPT_THEN_TIMEOUT, hold_seconds=HOLD_SECONDS
        )
        services.outbox.process_due(clock.now())
        assert services.outbox.get(void.id).state is OutboxState.UNKNOWN
        assert services.outbox.check_unknown(services.outbox.get(void.id)) is OutboxState.SENT
        assert len(sandbox.received("cloud", "invoice.void")) == 1
        assert sandbox.cloud.invoices.invoices[remote_id]["status"] == "void"


# Amounts the cloud sends -------------------------------------------------------------------


def test_a_payment_in_another_currency_is_reported_and_the_others_recorded(
    home: Path, clock: FixedClock, tmp_path: Path
) -> None:
    with cloud_app(home, clock, tmp_path / "sb") as (services, sandbox):
        invoice_id, remote_id = sent(services, sandbox)  # EUR
        online_payment(sandbox, remote_id, Decimal("40.00"), currency="USD")
        online_payment(sandbox, remote_id, Decimal("15.00"), currency="eur")  # still EUR
        run = services.invoice_sync.pull()
        assert amounts(services, invoice_id) == [1_500]
        ((found, problem),) = run.problems
        assert found == invoice_id and "USD 40.00" in problem and "EUR" in problem
        assert "by hand" in problem


@pytest.mark.parametrize("amount", [Decimal("10.005"), Decimal("0.001"), Decimal("99.999")])
def test_an_amount_finer_than_a_cent_is_reported_never_rounded(
    home: Path, clock: FixedClock, tmp_path: Path, amount: Decimal
) -> None:
    with cloud_app(home, clock, tmp_path / "sb") as (services, sandbox):
        invoice_id, remote_id = sent(services, sandbox)
        online_payment(sandbox, remote_id, amount)
        online_payment(sandbox, remote_id, Decimal("20.00"))
        sandbox.cloud.invoices.invoices[remote_id]["amountPaid"] = Decimal("20.00")
        run = services.invoice_sync.pull()
        assert amounts(services, invoice_id) == [2_000]
        ((_found, problem),) = run.problems
        assert f"{amount}" in problem and "decimals" in problem


@pytest.mark.parametrize(
    "amount", ["lots", "12,50", None, True, [1], {"value": 3}, float("nan"), float("inf")]
)
def test_a_transaction_amount_that_is_not_an_amount_is_reported(
    home: Path, clock: FixedClock, tmp_path: Path, amount: Any
) -> None:
    with cloud_app(home, clock, tmp_path / "sb") as (services, sandbox):
        invoice_id, remote_id = sent(services, sandbox)
        online_payment(sandbox, remote_id, amount)
        customer(sandbox, remote_id, "view")
        run = services.invoice_sync.pull()  # must not raise
        assert amounts(services, invoice_id) == []
        ((found, problem),) = run.problems
        assert found == invoice_id and "could not be read" in problem
        # The view in the same answer is still brought back.
        assert services.invoices.get(invoice_id).status is InvoiceStatus.VIEWED


def test_a_huge_transaction_amount_is_reported_not_stored(
    home: Path, clock: FixedClock, tmp_path: Path
) -> None:
    with cloud_app(home, clock, tmp_path / "sb") as (services, sandbox):
        invoice_id, remote_id = sent(services, sandbox)
        online_payment(sandbox, remote_id, Decimal("1E+30"))
        run = services.invoice_sync.pull()
        assert amounts(services, invoice_id) == []
        ((_found, problem),) = run.problems
        assert "too large" in problem


@pytest.mark.parametrize(
    ("key", "value", "said"),
    [
        ("amountPaid", "lots", "amountPaid 'lots' is not an amount"),
        ("amountPaid", "12,50", "amountPaid '12,50' is not an amount"),
        ("amountPaid", float("nan"), "amountPaid nan is not an amount"),
        ("amountPaid", float("-inf"), "amountPaid -inf is not an amount"),
        ("amountPaid", [1], "amountPaid [1] is not an amount"),
        ("amountPaid", Decimal("10.005"), "amountPaid 10.005 has more decimals than EUR"),
        ("total", "x", "total 'x' is not an amount"),
        ("currency", 7, "the currency 7 is not a currency code"),
        ("currency", "euro", "the currency 'euro' is not a currency code"),
    ],
)
def test_an_invoice_field_that_cannot_be_read_is_a_problem_naming_it(
    home: Path, clock: FixedClock, tmp_path: Path, key: str, value: Any, said: str
) -> None:
    with cloud_app(home, clock, tmp_path / "sb") as (services, sandbox):
        invoice_id, remote_id = sent(services, sandbox)
        sandbox.cloud.invoices.invoices[remote_id][key] = value
        run = services.invoice_sync.pull()  # must not raise
        ((found, problem),) = run.problems
        assert found == invoice_id and said in problem, problem
        assert amounts(services, invoice_id) == []


# Answers that are not invoices at all: each invoice on its own -------------------------------


@pytest.mark.parametrize(
    "body",
    [b"[]", b"null", b'"ok"', b"7", b'{"invoice": null}', b'{"invoice": []}', b"{}"],
)
def test_a_malformed_answer_about_one_invoice_does_not_stop_the_others(
    home: Path, clock: FixedClock, tmp_path: Path, body: bytes
) -> None:
    with cloud_app(home, clock, tmp_path / "sb") as (services, sandbox):
        first, first_remote = sent(services, sandbox)
        second, second_remote = sent(services, sandbox, like=first)
        sandbox.cloud.invoices.answer_with(first_remote, body)
        customer(sandbox, first_remote, "view")
        customer(sandbox, second_remote, "view")
        assert customer(sandbox, second_remote, "pay", {"amount": 20}).status_code == 200
        run = services.invoice_sync.pull()  # must not raise
        ((found, problem),) = run.problems
        assert found == first and "could not be read" in problem
        assert (run.checked, run.viewed, run.payments) == (2, 1, 1)
        assert services.invoices.get(first).status is InvoiceStatus.SENT
        assert services.invoices.get(second).status is InvoiceStatus.PARTIALLY_PAID
        sandbox.cloud.invoices.answer_with(first_remote, None)  # the cloud is itself again
        assert services.invoice_sync.pull().problems == ()
        assert services.invoices.get(first).status is InvoiceStatus.VIEWED


@pytest.mark.parametrize(
    "body", [b"[]", b"null", b'{"data": "x"}', b'{"data": [1, 2]}', b'{"data": null}']
)
def test_a_malformed_list_of_payments_is_a_problem_not_no_payments(
    home: Path, clock: FixedClock, tmp_path: Path, body: bytes
) -> None:
    with cloud_app(home, clock, tmp_path / "sb") as (services, sandbox):
        invoice_id, remote_id = sent(services, sandbox)
        assert customer(sandbox, remote_id, "pay", {"amount": 20}).status_code == 200
        sandbox.cloud.invoices.answer_with(remote_id, body, "transactions")
        run = services.invoice_sync.pull()
        ((found, problem),) = run.problems
        assert found == invoice_id and "could not be read" in problem
        assert amounts(services, invoice_id) == []
        sandbox.cloud.invoices.answer_with(remote_id, None, "transactions")
        assert services.invoice_sync.pull().payments == 1
        assert amounts(services, invoice_id) == [2_000]


# Views -------------------------------------------------------------------------------------


def test_a_view_while_partly_paid_is_remembered_without_moving_the_status(
    home: Path, clock: FixedClock, tmp_path: Path
) -> None:
    with cloud_app(home, clock, tmp_path / "sb") as (services, sandbox):
        invoice_id, remote_id = sent(services, sandbox)
        services.payments.record(invoice_id, 1_000, date(2026, 3, 10), PaymentMethod.CASH)
        customer(sandbox, remote_id, "view")
        assert services.invoice_sync.pull().viewed == 1
        assert services.invoice_sync.pull().viewed == 0  # once
        invoice = services.invoices.get(invoice_id)
        assert invoice.status is InvoiceStatus.PARTIALLY_PAID and invoice.viewed
        services.payments.delete(invoice.payments[0].id)  # its push had not gone yet
        assert services.invoices.get(invoice_id).status is InvoiceStatus.VIEWED


def test_a_payment_taken_online_cannot_be_deleted_in_the_app(
    home: Path, clock: FixedClock, tmp_path: Path
) -> None:
    """The next pull would record it again: it is refunded in the cloud, not deleted here."""
    with cloud_app(home, clock, tmp_path / "sb") as (services, sandbox):
        invoice_id, remote_id = sent(services, sandbox)
        assert customer(sandbox, remote_id, "pay", {"amount": 10}).status_code == 200
        assert services.invoice_sync.pull().payments == 1
        (online,) = services.invoices.get(invoice_id).payments
        with pytest.raises(ConflictError, match=r"made online .* refund it in Lead Cartel"):
            services.payments.delete(online.id, cloud_keeps_it=True)
        assert services.invoices.get(invoice_id).payments == (online,)


def test_an_offline_payment_then_a_view_keeps_partly_paid(
    home: Path, clock: FixedClock, tmp_path: Path
) -> None:
    with cloud_app(home, clock, tmp_path / "sb") as (services, sandbox):
        invoice_id, remote_id = sent(services, sandbox)
        services.payments.record(invoice_id, 1_000, date(2026, 3, 10), PaymentMethod.CASH)
        customer(sandbox, remote_id, "view")
        services.invoice_sync.pull()
        invoice = services.invoices.get(invoice_id)
        assert invoice.status is InvoiceStatus.PARTIALLY_PAID and invoice.viewed
