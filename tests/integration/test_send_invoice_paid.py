"""Send invoice after payments: never ask for money already paid, by email or the cloud's link."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from decimal import Decimal
from email import policy
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest

from leadcartel_desktop.domain.errors import ConflictError, ValidationError
from leadcartel_desktop.domain.outbox import Channel, OutboxState
from leadcartel_desktop.domain.payments import PaymentMethod
from leadcartel_desktop.domain.providers import SecretName
from leadcartel_desktop.sandbox import FaultKind
from leadcartel_desktop.services.send_invoice import DEFAULT_TEMPLATES
from tests.conftest import FixedClock
from tests.integration.send_support import draft_for_ada, sandbox_app

T = DEFAULT_TEMPLATES
PAID_ON = date(2026, 3, 2)


def texts(**changes: str) -> dict[str, str]:
    return {"subject": T.subject, "message": T.message, "sms_message": T.sms_message, **changes}


@contextmanager
def cloud_app(home: Path, clock: FixedClock, folder: Path) -> Iterator[Any]:
    with sandbox_app(home, clock, folder) as (context, sandbox, keys):
        token = sandbox.credentials.cloud_token
        context.services.providers.save_secret(SecretName.CLOUD_TOKEN, token)
        yield context, sandbox, keys


def issued_for_ada(services: Any) -> tuple[int, int]:
    """An issued invoice for Ada: (id, total)."""
    invoice_id = draft_for_ada(services)
    return invoice_id, services.invoices.issue(invoice_id).totals().total


def pushes(sandbox: Any) -> list[Any]:
    return sandbox.received("cloud", "invoice.record_payment")


# A paid invoice ---------------------------------------------------------------------------


@pytest.mark.parametrize("cloud", [True, False])
def test_a_paid_invoice_is_not_sent_as_a_request_for_payment(
    home: Path, clock: FixedClock, tmp_path: Path, cloud: bool
) -> None:
    app = cloud_app if cloud else sandbox_app
    with app(home, clock, tmp_path / "sb") as (context, sandbox, _keys):
        services = context.services
        invoice_id, total = issued_for_ada(services)
        services.payments.record(invoice_id, total, PAID_ON, PaymentMethod.CASH)
        review = services.send_invoice.review(invoice_id)
        assert review.paid_in_full
        for channel in (Channel.EMAIL, Channel.SMS):
            with pytest.raises(ConflictError, match="paid in full"):
                services.send_invoice.send(invoice_id, [channel], **texts(), send_key="k")
        assert services.outbox.for_invoice(invoice_id) == []
        assert sandbox.cloud.invoices.invoices == {}  # no payable copy in the cloud
        # Download PDF / Print (no message) still give the customer a copy.
        result = services.send_invoice.send(invoice_id, [], **texts(), send_key="copy")
        assert result.message_ids == {} and result.note == ""
        assert sandbox.cloud.invoices.invoices == {}


def test_a_partly_paid_invoice_is_not_refused_and_asks_for_the_balance(
    home: Path, clock: FixedClock, tmp_path: Path
) -> None:
    with sandbox_app(home, clock, tmp_path / "sb") as (context, _sandbox, _keys):
        services = context.services
        invoice_id, _total = issued_for_ada(services)
        services.payments.record(invoice_id, 5_000, PAID_ON, PaymentMethod.CASH)
        assert not services.send_invoice.review(invoice_id).paid_in_full
        services.send_invoice.send(invoice_id, [Channel.EMAIL], **texts(), send_key="k")
        (row,) = services.outbox.for_invoice(invoice_id)
        assert "€70.00" in str(row.payload["body"])  # 120.00 less 50.00


# A partly paid invoice with the cloud --------------------------------------------------------


def test_payments_reach_the_cloud_before_its_link_is_mailed_and_go_once(
    home: Path, clock: FixedClock, tmp_path: Path
) -> None:
    with cloud_app(home, clock, tmp_path / "sb") as (context, sandbox, _keys):
        services = context.services
        invoice_id, total = issued_for_ada(services)
        services.payments.record(invoice_id, 3_000, PAID_ON, PaymentMethod.CASH)
        services.payments.record(invoice_id, 2_000, PAID_ON, PaymentMethod.BANK_TRANSFER)
        result = services.send_invoice.send(invoice_id, [Channel.EMAIL], **texts(), send_key="k")

        assert result.note == ""
        (remote,) = sandbox.cloud.invoices.invoices.values()
        assert remote["amountDue"] == Decimal(total - 5_000) / 100
        assert len(pushes(sandbox)) == 2
        link = services.send_invoice.review(invoice_id).values["payment_link"]
        email = next(
            r for r in services.outbox.for_invoice(invoice_id) if r.channel is Channel.EMAIL
        )
        assert link and link in str(email.payload["body"])
        # The next sync pushes nothing again, and the outbox sends nothing twice.
        assert services.invoice_sync.pull().pushed == 0
        services.outbox.process_due(clock.now())
        assert len(pushes(sandbox)) == 2
        assert sandbox.cloud.invoices.invoices[remote["_id"]]["amountDue"] == remote["amountDue"]


def test_a_payment_the_cloud_has_not_taken_yet_keeps_the_link_out(
    home: Path, clock: FixedClock, tmp_path: Path
) -> None:
    """The push is refused for now (429): the email asks for the balance with the PDF."""
    with cloud_app(home, clock, tmp_path / "sb") as (context, sandbox, _keys):
        services = context.services
        controls = sandbox.controls("cloud")
        armed = {"done": False}

        def busy_push(item: Any) -> None:  # the invoice is made and sent: refuse the push
            if item.kind == "invoice.send" and not armed["done"]:
                armed["done"] = True
                controls.fail_next(FaultKind.RATE_LIMIT, retry_after="60")

        controls.on_receive = busy_push
        invoice_id, _total = issued_for_ada(services)
        services.payments.record(invoice_id, 5_000, PAID_ON, PaymentMethod.CASH)
        result = services.send_invoice.send(invoice_id, [Channel.EMAIL], **texts(), send_key="k")

        assert "have not all reached the cloud" in result.note
        assert "PDF" in result.note
        (remote,) = sandbox.cloud.invoices.invoices.values()
        rows = services.outbox.for_invoice(invoice_id)
        email = next(r for r in rows if r.channel is Channel.EMAIL)
        body = str(email.payload["body"])
        assert str(remote.get("invoiceUrl")) not in body
        assert "€70.00" in body and "Payment instructions:" in body
        (push,) = [r for r in rows if r.channel is Channel.CLOUD]
        assert push.state is OutboxState.PENDING  # it goes later, once


def test_a_payment_recorded_after_the_first_send_is_pushed_before_a_resend(
    home: Path, clock: FixedClock, tmp_path: Path
) -> None:
    with cloud_app(home, clock, tmp_path / "sb") as (context, sandbox, _keys):
        services = context.services
        invoice_id = draft_for_ada(services)
        services.send_invoice.send(invoice_id, [Channel.EMAIL], **texts(), send_key="a")
        services.payments.record(invoice_id, 4_000, PAID_ON, PaymentMethod.CHECK)  # queued only
        assert pushes(sandbox) == []
        result = services.send_invoice.send(invoice_id, [Channel.SMS], **texts(), send_key="b")

        assert result.note == ""
        (remote,) = sandbox.cloud.invoices.invoices.values()
        total = services.invoices.get(invoice_id).totals().total
        assert remote["amountDue"] == Decimal(total - 4_000) / 100
        assert len(pushes(sandbox)) == 1


# The cloud invoice made once -----------------------------------------------------------------


def lose_the_create_answer(sandbox: Any) -> None:
    controls = sandbox.controls("cloud")
    armed = {"done": False}

    def lose_answer(item: Any) -> None:
        if item.kind == "contact.upsert" and not armed["done"]:
            armed["done"] = True
            controls.fail_next(FaultKind.ACCEPT_THEN_TIMEOUT, hold_seconds=2.0)

    controls.on_receive = lose_answer


def test_a_create_whose_answer_was_lost_is_adopted_on_the_resend(
    home: Path, clock: FixedClock, tmp_path: Path
) -> None:
    with cloud_app(home, clock, tmp_path / "sb") as (context, sandbox, _keys):
        services = context.services
        lose_the_create_answer(sandbox)
        invoice_id = draft_for_ada(services)
        first = services.send_invoice.send(invoice_id, [Channel.EMAIL], **texts(), send_key="a")
        assert "could not be created" in first.note
        sandbox.cloud._answered.clear()  # HighLevel keeps no Idempotency-Key
        second = services.send_invoice.send(invoice_id, [Channel.EMAIL], **texts(), send_key="b")

        assert second.note == ""
        (remote_id,) = sandbox.cloud.invoices.invoices
        assert len(sandbox.received("cloud", "invoice.create")) == 1
        link = services.send_invoice.review(invoice_id).values["payment_link"]
        assert remote_id in link


def test_an_invoice_of_another_contact_with_the_same_number_is_not_adopted(
    home: Path, clock: FixedClock, tmp_path: Path
) -> None:
    with cloud_app(home, clock, tmp_path / "sb") as (context, sandbox, _keys):
        services = context.services
        lose_the_create_answer(sandbox)
        invoice_id = draft_for_ada(services)
        services.send_invoice.send(invoice_id, [Channel.EMAIL], **texts(), send_key="a")
        (held,) = sandbox.cloud.invoices.invoices.values()
        held["contactDetails"] = {**held["contactDetails"], "id": "someone-else"}
        sandbox.cloud._answered.clear()
        services.send_invoice.send(invoice_id, [Channel.EMAIL], **texts(), send_key="b")
        assert len(sandbox.cloud.invoices.invoices) == 2


# The attachment and empty texts --------------------------------------------------------------


@pytest.mark.parametrize(
    ("number_format", "expected"),
    [("INV/{YYYY}/{SEQ:4}", "INV-2026-0001.pdf"), ("INV:{YY}:{SEQ:3}", "INV-26-001.pdf")],
)
def test_the_attachment_gets_a_safe_file_name(
    home: Path, clock: FixedClock, tmp_path: Path, number_format: str, expected: str
) -> None:
    with sandbox_app(home, clock, tmp_path / "sb") as (context, sandbox, _keys):
        services = context.services
        business = services.settings.business()
        services.settings.save_business(replace(business, number_format=number_format))
        invoice_id = draft_for_ada(services)
        services.send_invoice.send(invoice_id, [Channel.EMAIL], **texts(), send_key="k")
        services.outbox.process_due(clock.now())
        (email,) = sandbox.received("smtp")
        parsed = BytesParser(policy=policy.default).parsebytes(email.data["raw"].encode("utf-8"))
        assert [part.get_filename() for part in parsed.iter_attachments()] == [expected]


@pytest.mark.parametrize(
    ("channel", "changes", "field"),
    [
        (Channel.EMAIL, {"subject": "  "}, "Subject"),
        (Channel.EMAIL, {"subject": "{payment_link}"}, "Subject"),
        (Channel.EMAIL, {"message": "{payment_link}\n"}, "Message"),
        (Channel.SMS, {"sms_message": "{payment_link}"}, "SMS message"),
        (Channel.SMS, {"sms_message": " "}, "SMS message"),
    ],
)
def test_a_text_empty_once_filled_is_refused_before_issuing(
    home: Path,
    clock: FixedClock,
    tmp_path: Path,
    channel: Channel,
    changes: dict[str, str],
    field: str,
) -> None:
    with sandbox_app(home, clock, tmp_path / "sb") as (context, _sandbox, _keys):
        services = context.services
        invoice_id = draft_for_ada(services)
        with pytest.raises(ValidationError) as told:
            services.send_invoice.send(invoice_id, [channel], **texts(**changes), send_key="k")
        assert told.value.field == field
        assert "empty" in told.value.message
        assert services.invoices.get(invoice_id).is_draft
        assert services.outbox.for_invoice(invoice_id) == []


def test_an_empty_subject_does_not_matter_for_an_sms(
    home: Path, clock: FixedClock, tmp_path: Path
) -> None:
    with sandbox_app(home, clock, tmp_path / "sb") as (context, _sandbox, _keys):
        services = context.services
        invoice_id = draft_for_ada(services)
        services.send_invoice.send(invoice_id, [Channel.SMS], **texts(subject=""), send_key="k")
        assert len(services.outbox.for_invoice(invoice_id)) == 1
