"""The outbox service on a real database file, with a scripted provider: truth, never twice."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from leadcartel_desktop.domain.business import BusinessSettings
from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.domain.errors import ConflictError
from leadcartel_desktop.domain.invoice import InvoiceContent
from leadcartel_desktop.domain.outbox import Channel, OutboxState, SendOutcome
from leadcartel_desktop.domain.retry import MAX_ATTEMPTS
from leadcartel_desktop.domain.totals import LineItem
from leadcartel_desktop.services.outbox import OutboxService
from tests.conftest import FixedClock
from tests.integration.outbox_support import (
    FakeProvider,
    Step,
    accepted,
    advance,
    outbox_for,
    queue_texts,
    refused,
    timed_out_after_recording,
)

ANN = "+6591234567"


@pytest.fixture
def provider() -> FakeProvider:
    return FakeProvider()


@pytest.fixture
def outbox(context: Any, clock: FixedClock, provider: FakeProvider) -> OutboxService:
    return outbox_for(context, clock, provider, rng=random.Random(7))


def test_a_double_click_makes_one_row_and_one_message(
    outbox: OutboxService, provider: FakeProvider, clock: FixedClock
) -> None:
    first = outbox.enqueue(Channel.SMS, ANN, {"body": "Invoice 1"}, cause="invoice:1:sms:1")
    second = outbox.enqueue(Channel.SMS, ANN, {"body": "Invoice 1"}, cause="invoice:1:sms:1")
    assert first == second
    assert outbox.counts()[OutboxState.PENDING] == 1
    assert outbox.process_due(clock.now()) == 1
    assert outbox.process_due(clock.now()) == 0
    assert len(provider.calls) == 1
    sent = outbox.get(first)
    assert (sent.state, sent.provider_id, sent.attempts) == (OutboxState.SENT, "P1", 1)


def test_without_a_cause_every_enqueue_is_its_own_message(outbox: OutboxService) -> None:
    first, second = queue_texts(outbox, ANN, ["a", "a"])
    assert first != second
    assert outbox.get(first).idempotency_key != outbox.get(second).idempotency_key


def test_not_processed_is_retried_later_by_the_clock_then_sent_once(
    outbox: OutboxService, provider: FakeProvider, clock: FixedClock
) -> None:
    provider.then(refused())
    (message_id,) = queue_texts(outbox, ANN, ["hello"])
    start = clock.now()
    outbox.process_due(start)
    waiting = outbox.get(message_id)
    assert (waiting.state, waiting.attempts) == (OutboxState.PENDING, 1)
    assert waiting.last_error == "Connection refused"
    assert waiting.next_attempt_at is not None
    assert start + timedelta(seconds=1) <= waiting.next_attempt_at <= start + timedelta(seconds=2)
    assert outbox.process_due(start + timedelta(milliseconds=999)) == 0
    advance(clock, 2)
    assert outbox.process_due(clock.now()) == 1
    assert outbox.get(message_id).state is OutboxState.SENT
    assert (len(provider.calls), provider.bodies()) == (2, ["hello"])


def test_retry_after_is_honoured(
    outbox: OutboxService, provider: FakeProvider, clock: FixedClock
) -> None:
    provider.then(Step(SendOutcome.retry("Too many requests", retry_after_seconds=30)))
    (message_id,) = queue_texts(outbox, ANN, ["hello"])
    start = clock.now()
    outbox.process_due(start)
    assert outbox.get(message_id).next_attempt_at == start + timedelta(seconds=30)
    assert outbox.process_due(start + timedelta(seconds=29)) == 0
    clock.instant = start + timedelta(seconds=30)
    assert outbox.process_due(clock.now()) == 1
    assert outbox.get(message_id).state is OutboxState.SENT


def test_it_gives_up_after_the_last_attempt(
    outbox: OutboxService, provider: FakeProvider, clock: FixedClock
) -> None:
    provider.then(*[refused()] * MAX_ATTEMPTS)
    (message_id,) = queue_texts(outbox, ANN, ["hello"])
    for _ in range(MAX_ATTEMPTS):
        advance(clock, 3600)
        assert outbox.process_due(clock.now()) == 1
    failed = outbox.get(message_id)
    assert (failed.state, failed.attempts) == (OutboxState.FAILED, MAX_ATTEMPTS)
    assert failed.last_error.startswith(f"Gave up after {MAX_ATTEMPTS} attempts")
    assert "Retry" in failed.last_error_hint
    advance(clock, 3600)
    assert outbox.process_due(clock.now()) == 0


def test_an_ambiguous_answer_is_reconciled_never_resent(
    outbox: OutboxService, provider: FakeProvider, clock: FixedClock
) -> None:
    provider.then(timed_out_after_recording())
    provider.unsure = 1
    (message_id,) = queue_texts(outbox, ANN, ["hello"])
    outbox.process_due(clock.now())
    unknown = outbox.get(message_id)
    assert unknown.state is OutboxState.UNKNOWN
    assert unknown.last_error == "Read timed out"
    advance(clock, 3600)
    assert outbox.process_due(clock.now()) == 0  # unknown rows are never simply resent
    assert outbox.reconcile_unknown(clock.now()) == 1  # the provider cannot tell yet
    assert outbox.get(message_id).state is OutboxState.UNKNOWN
    advance(clock, 3600)
    assert outbox.reconcile_unknown(clock.now()) == 1
    sent = outbox.get(message_id)
    assert (sent.state, sent.provider_id) == (OutboxState.SENT, "P1")
    assert (len(provider.calls), len(provider.received)) == (1, 1)


def test_a_row_settled_since_it_was_listed_is_not_asked_about_again(
    outbox: OutboxService, provider: FakeProvider, clock: FixedClock
) -> None:
    provider.then(timed_out_after_recording())
    (message_id,) = queue_texts(outbox, ANN, ["hello"])
    outbox.process_due(clock.now())
    listed = outbox.get(message_id)  # read by one look at the outbox...
    assert outbox.check_unknown(listed) is OutboxState.SENT  # ...settled by a check...

    assert outbox.check_unknown(listed) is OutboxState.SENT  # ...then checked from the old list
    assert provider.reconciled == 1


def test_an_ambiguous_answer_the_provider_never_got_is_sent_again(
    outbox: OutboxService, provider: FakeProvider, clock: FixedClock
) -> None:
    provider.then(Step(SendOutcome.ambiguous("Read timed out")))
    (message_id,) = queue_texts(outbox, ANN, ["hello"])
    outbox.process_due(clock.now())
    advance(clock, 60)
    outbox.reconcile_unknown(clock.now())
    assert outbox.get(message_id).state is OutboxState.PENDING
    outbox.process_due(clock.now())
    assert outbox.get(message_id).state is OutboxState.SENT
    assert (len(provider.calls), len(provider.received)) == (2, 1)


def test_an_invalid_number_fails_at_once_with_the_providers_words(
    outbox: OutboxService, provider: FakeProvider, clock: FixedClock
) -> None:
    message = "The 'To' number +6512 is not a valid phone number."
    hint = "Check the customer's phone number."
    provider.then(Step(SendOutcome.permanent("21211", message, hint)))
    (message_id,) = queue_texts(outbox, "+6512", ["hello"])
    outbox.process_due(clock.now())
    failed = outbox.get(message_id)
    assert failed.state is OutboxState.FAILED
    assert (failed.last_error_code, failed.last_error, failed.last_error_hint) == (
        "21211",
        message,
        hint,
    )
    advance(clock, 3600)
    assert outbox.process_due(clock.now()) == 0
    assert len(provider.calls) == 1
    assert not outbox.is_opted_out(Channel.SMS, "+6512")


def test_an_unsubscribed_number_goes_on_the_register_and_is_not_tried_again(
    outbox: OutboxService, provider: FakeProvider, clock: FixedClock
) -> None:
    provider.then(Step(SendOutcome.permanent("21610", "Unsubscribed recipient", opted_out=True)))
    first, later = queue_texts(outbox, ANN, ["one", "two"])
    outbox.process_due(clock.now())
    assert outbox.get(first).state is OutboxState.FAILED
    assert outbox.is_opted_out(Channel.SMS, ANN)
    assert not outbox.is_opted_out(Channel.EMAIL, ANN)
    cancelled = outbox.get(later)
    assert (cancelled.state, cancelled.last_error_code) == (OutboxState.CANCELLED, "opted_out")
    assert ANN in cancelled.last_error
    assert len(provider.calls) == 1
    (after,) = queue_texts(outbox, ANN, ["three"])
    outbox.process_due(clock.now())
    assert outbox.get(after).state is OutboxState.CANCELLED
    assert len(provider.calls) == 1


def test_the_register_is_checked_when_sending_not_only_when_queued(
    context: Any, outbox: OutboxService, provider: FakeProvider, clock: FixedClock
) -> None:
    (message_id,) = queue_texts(outbox, ANN, ["hello"])
    with context.database.unit_of_work() as uow:
        uow.opt_outs.add(Channel.SMS, ANN, "replied STOP", clock.now())
        uow.commit()
    outbox.process_due(clock.now())
    assert outbox.get(message_id).state is OutboxState.CANCELLED
    assert provider.calls == []


def test_one_recipients_messages_leave_in_order(
    outbox: OutboxService, provider: FakeProvider, clock: FixedClock
) -> None:
    provider.then(refused(), accepted(), accepted())
    ann = queue_texts(outbox, ANN, ["1", "2", "3"])
    (bob,) = queue_texts(outbox, "+6598765432", ["bob"])
    outbox.process_due(clock.now())
    # Ann's first message waits for its retry and her later ones wait behind it; Bob's goes.
    assert [outbox.get(i).state for i in ann] == [OutboxState.PENDING] * 3
    assert outbox.get(bob).state is OutboxState.SENT
    advance(clock, 3)
    outbox.process_due(clock.now())
    assert [outbox.get(i).state for i in ann] == [OutboxState.SENT] * 3
    assert provider.bodies() == ["bob", "1", "2", "3"]


def test_a_crash_mid_send_is_reconciled_not_resent(
    context: Any, clock: FixedClock, provider: FakeProvider
) -> None:
    outbox = outbox_for(context, clock, provider)
    got, lost = queue_texts(outbox, ANN, ["got"]) + queue_texts(outbox, "+6598765432", ["lost"])
    for message in outbox.claim(clock.now(), 10):
        if message.id == got:
            provider.held[message.idempotency_key] = "P-before-crash"
    # The app died here: both rows are left sending. A new service opens the same file.
    restarted = outbox_for(context, clock, provider)
    assert restarted.recover_after_crash(clock.now()) == 2
    assert outbox.get(got).state is OutboxState.SENT
    assert outbox.get(got).provider_id == "P-before-crash"
    assert outbox.get(lost).state is OutboxState.PENDING
    restarted.process_due(clock.now())
    assert outbox.get(lost).state is OutboxState.SENT
    assert [message.payload["body"] for message in provider.calls] == ["lost"]


def test_an_adapter_that_raises_leaves_the_message_unknown(
    outbox: OutboxService, provider: FakeProvider, clock: FixedClock, monkeypatch: Any
) -> None:
    def broken(message: Any) -> SendOutcome:
        raise RuntimeError("bug")

    monkeypatch.setattr(provider, "send", broken)
    (message_id,) = queue_texts(outbox, ANN, ["hello"])
    outbox.process_due(clock.now())
    assert outbox.get(message_id).state is OutboxState.UNKNOWN


def test_without_a_provider_messages_wait_without_counting_attempts(
    services: Any, clock: FixedClock
) -> None:
    message_id = services.outbox.enqueue(Channel.EMAIL, "ann@example.com", {"subject": "Hi"})
    services.outbox.process_due(clock.now())
    waiting = services.outbox.get(message_id)
    assert (waiting.state, waiting.attempts) == (OutboxState.PENDING, 0)
    assert waiting.last_error_code == "no_provider"
    assert "email" in waiting.last_error
    assert "Settings > Providers" in waiting.last_error_hint


def test_cancel_and_retry_now(
    outbox: OutboxService, provider: FakeProvider, clock: FixedClock
) -> None:
    provider.then(Step(SendOutcome.permanent("21211", "Invalid number")))
    bad, kept = queue_texts(outbox, ANN, ["bad"]) + queue_texts(outbox, "+6598765432", ["k"])
    outbox.cancel(kept)
    assert outbox.get(kept).state is OutboxState.CANCELLED
    outbox.process_due(clock.now())
    assert outbox.get(bad).state is OutboxState.FAILED
    with pytest.raises(ConflictError, match="already failed"):
        outbox.cancel(bad)
    outbox.retry_now(bad)
    assert (outbox.get(bad).state, outbox.get(bad).attempts) == (OutboxState.PENDING, 0)
    outbox.process_due(clock.now())
    assert outbox.get(bad).state is OutboxState.SENT
    with pytest.raises(ConflictError, match="already sent"):
        outbox.retry_now(bad)
    assert provider.bodies() == ["bad"]


def test_the_ui_lists_an_invoices_messages_and_counts_per_state(
    services: Any, clock: FixedClock
) -> None:
    services.settings.save_business(BusinessSettings(company_name="Acme"))
    customer = services.contacts.create(Contact(first_name="Ann", email="ann@example.com"))
    content = InvoiceContent(
        contact_id=customer.id,
        currency="USD",
        issue_date=date(2026, 3, 1),
        due_date=date(2026, 3, 31),
        lines=(LineItem("Work", Decimal(1), 10000),),
    )
    invoice_id = services.invoices.issue(services.invoices.save_draft(content)).id
    outbox = services.outbox
    email = outbox.enqueue(
        Channel.EMAIL, "ann@example.com", {"subject": "Invoice"}, invoice_id=invoice_id
    )
    text = outbox.enqueue(Channel.SMS, ANN, {"body": "Invoice"}, invoice_id=invoice_id)
    outbox.enqueue(Channel.SMS, ANN, {"body": "Other"})
    assert [message.id for message in outbox.for_invoice(invoice_id)] == [email, text]
    outbox.cancel(text)
    counts = outbox.counts()
    assert (counts[OutboxState.PENDING], counts[OutboxState.CANCELLED]) == (2, 1)
    assert counts[OutboxState.SENT] == 0
