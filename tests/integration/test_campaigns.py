"""Campaigns on the outbox: build, pacing, windows at claim time, pause, resume, cancel, consent."""

from __future__ import annotations

import random
import threading
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest

from leadcartel_desktop.domain.campaigns import AudienceSpec, CampaignStatus, LeftOutReason
from leadcartel_desktop.domain.errors import ConflictError, ValidationError
from leadcartel_desktop.domain.outbox import Channel, OutboxState
from leadcartel_desktop.services.outbox import OutboxService
from leadcartel_desktop.services.outbox_worker import ChannelLimit, OutboxWorker
from tests.conftest import FixedClock
from tests.integration.campaign_support import add_contact, save_business, text_draft
from tests.integration.outbox_support import FakeProvider, Switch, advance, outbox_for, refused

WAIT = 20.0
PHONES = ("+6591234561", "+6591234562", "+6591234563")


@pytest.fixture
def provider() -> FakeProvider:
    return FakeProvider()


@pytest.fixture
def outbox(context: Any, clock: FixedClock, provider: FakeProvider) -> OutboxService:
    return outbox_for(context, clock, provider, rng=random.Random(5))


@pytest.fixture
def three(services: Any) -> tuple[int, ...]:
    return tuple(add_contact(services, f"Guest{n}", phone) for n, phone in enumerate(PHONES))


def rows(context: Any, campaign_id: int) -> list[Any]:
    with context.database.unit_of_work(read_only=True) as uow:
        return [uow.outbox.get(status.outbox_id) for status in
                uow.campaigns.recipients(campaign_id, 100) if status.outbox_id]  # fmt: skip


def test_launch_queues_one_keyed_paced_row_per_contact_once(
    context: Any, services: Any, clock: FixedClock, three: tuple[int, ...]
) -> None:
    campaign_id = services.campaigns.save_draft(text_draft(three, per_minute=60))
    result = services.campaigns.launch(campaign_id)
    assert (result.queued, result.left_out) == (3, 0)
    queued = rows(context, campaign_id)
    assert [row.idempotency_key for row in queued] == [
        f"campaign:{campaign_id}:contact:{contact_id}" for contact_id in three
    ]
    assert [row.next_attempt_at for row in queued] == [
        clock.instant + timedelta(seconds=i) for i in range(3)
    ]
    assert queued[0].payload == {"body": "Hi Guest0, spring sale at !"}
    with pytest.raises(ConflictError):
        services.campaigns.launch(campaign_id)
    again = services.outbox.enqueue(
        Channel.SMS, PHONES[0], {"body": "again"}, cause=queued[0].idempotency_key
    )
    assert again == queued[0].id
    assert services.campaigns.progress(campaign_id).queued == 3


def test_messages_go_at_their_paced_times_and_the_campaign_ends_done(
    services: Any, clock: FixedClock, outbox: OutboxService, provider: FakeProvider, three: Any
) -> None:
    campaign_id = services.campaigns.save_draft(text_draft(three, per_minute=60))
    services.campaigns.launch(campaign_id)
    assert outbox.process_due(clock.now()) == 1
    advance(clock, 0.999)
    assert outbox.process_due(clock.now()) == 0
    advance(clock, 0.001)
    assert outbox.process_due(clock.now()) == 1
    assert services.campaigns.status(campaign_id) is CampaignStatus.RUNNING
    advance(clock, 1)
    outbox.process_due(clock.now())
    assert provider.bodies() == [f"Hi Guest{n}, spring sale at !" for n in range(3)]
    progress = services.campaigns.progress(campaign_id)
    assert (progress.sent, progress.queued) == (3, 0)
    assert services.campaigns.status(campaign_id) is CampaignStatus.DONE
    (summary,) = services.campaigns.list()
    assert (summary.status, summary.progress.sent) == (CampaignStatus.DONE, 3)


def test_scheduled_in_the_business_zone_it_waits_for_that_instant(
    services: Any, clock: FixedClock, outbox: OutboxService, provider: FakeProvider, three: Any
) -> None:
    save_business(services, time_zone="Europe/Berlin")
    clock.instant = datetime(2026, 3, 28, 12, 0, tzinfo=UTC)
    when = services.campaigns.schedule_time(date(2026, 3, 29), time(9, 0))
    assert when.utc == datetime(2026, 3, 29, 7, 0, tzinfo=UTC)
    campaign_id = services.campaigns.save_draft(text_draft(three[:1]))
    services.campaigns.launch(campaign_id, when.utc)
    assert services.campaigns.status(campaign_id) is CampaignStatus.SCHEDULED
    clock.instant = when.utc - timedelta(microseconds=1)
    assert outbox.process_due(clock.now()) == 0
    clock.instant = when.utc
    assert outbox.process_due(clock.now()) == 1
    assert len(provider.received) == 1


def test_pause_holds_the_rest_resume_paces_them_again_cancel_keeps_what_was_sent(
    context: Any,
    services: Any,
    clock: FixedClock,
    outbox: OutboxService,
    provider: FakeProvider,
    three: Any,
) -> None:
    campaign_id = services.campaigns.save_draft(text_draft(three, per_minute=60))
    services.campaigns.launch(campaign_id)
    outbox.process_due(clock.now())
    services.campaigns.pause(campaign_id)
    assert services.campaigns.status(campaign_id) is CampaignStatus.PAUSED
    advance(clock, 3600)
    assert outbox.process_due(clock.now()) == 0
    assert services.campaigns.progress(campaign_id).queued == 2
    with pytest.raises(ConflictError):
        services.campaigns.pause(campaign_id)  # already paused
    services.campaigns.resume(campaign_id)
    assert [row.next_attempt_at for row in rows(context, campaign_id)[1:]] == [
        clock.instant,
        clock.instant + timedelta(seconds=1),
    ]
    assert outbox.process_due(clock.now()) == 1
    assert services.campaigns.cancel(campaign_id) == 1
    advance(clock, 3600)
    assert outbox.process_due(clock.now()) == 0
    progress = services.campaigns.progress(campaign_id)
    assert (progress.sent, progress.cancelled, progress.queued) == (2, 1, 0)
    assert len(provider.received) == 2
    statuses = services.campaigns.recipients(campaign_id)
    assert [status.state for status in statuses] == [
        OutboxState.SENT,
        OutboxState.SENT,
        OutboxState.CANCELLED,
    ]
    assert services.campaigns.status(campaign_id) is CampaignStatus.CANCELLED


def test_a_paused_campaign_row_made_due_by_a_check_is_held_at_claim(
    context: Any, services: Any, clock: FixedClock, outbox: OutboxService, three: Any
) -> None:
    campaign_id = services.campaigns.save_draft(text_draft(three[:1]))
    services.campaigns.launch(campaign_id)
    services.campaigns.pause(campaign_id)
    (row,) = rows(context, campaign_id)
    with context.database.unit_of_work() as uow:  # as a reconcile that found nothing leaves it
        uow.outbox.record(row.id, OutboxState.PENDING, attempts=1, next_attempt_at=clock.now(),
                          now=clock.now())  # fmt: skip
        uow.commit()
    assert outbox.process_due(clock.now()) == 0
    held = outbox.get(row.id)
    assert (held.state, held.attempts) == (OutboxState.PENDING, 1)
    assert held.next_attempt_at is not None and held.next_attempt_at.year == 9999
    assert "paused" in held.last_error_hint


def test_pacing_keeps_texts_out_of_quiet_hours_and_a_late_retry_waits_for_morning(
    context: Any,
    services: Any,
    clock: FixedClock,
    outbox: OutboxService,
    provider: FakeProvider,
    three: Any,
) -> None:
    clock.instant = datetime(2026, 3, 10, 20, 59, 59, tzinfo=UTC)  # business zone UTC
    morning = datetime(2026, 3, 11, 8, 0, tzinfo=UTC)
    campaign_id = services.campaigns.save_draft(text_draft(three[:2], per_minute=1))
    services.campaigns.launch(campaign_id)
    first, second = rows(context, campaign_id)
    assert (first.next_attempt_at, second.next_attempt_at) == (clock.instant, morning)
    provider.then(refused())  # the first try is refused: it is retried after a backoff
    assert outbox.process_due(clock.now()) == 1
    retry_at = outbox.get(first.id).next_attempt_at
    assert retry_at is not None and retry_at.hour == 21  # into the quiet hours
    clock.instant = retry_at
    assert outbox.process_due(clock.now()) == 0  # claimed, then put back to wait
    waiting = outbox.get(first.id)
    assert (waiting.state, waiting.next_attempt_at, waiting.attempts) == (
        OutboxState.PENDING,
        morning,
        1,
    )
    assert "sending hours" in waiting.last_error_hint
    assert len(provider.calls) == 1
    clock.instant = morning
    assert outbox.process_due(clock.now()) == 2
    assert len(provider.received) == 2


def test_the_recipients_zone_decides_the_quiet_hours(
    context: Any, services: Any, clock: FixedClock, three: Any
) -> None:
    clock.instant = datetime(2026, 3, 10, 22, 0, tzinfo=UTC)
    services.contact_tags.set_time_zone(three[0], "America/New_York")  # 18:00 there
    campaign_id = services.campaigns.save_draft(text_draft(three[:2]))
    services.campaigns.launch(campaign_id)
    new_york, business = rows(context, campaign_id)
    assert new_york.next_attempt_at == clock.instant
    assert business.next_attempt_at == datetime(2026, 3, 11, 8, 0, tzinfo=UTC)


def test_opted_out_before_the_build_is_left_out_and_after_it_is_not_sent(
    context: Any, services: Any, clock: FixedClock, outbox: OutboxService, provider: FakeProvider
) -> None:
    ann, bob, cat = (add_contact(services, name, phone) for name, phone in
                     zip(("Ann", "Bob", "Cat"), PHONES, strict=True))  # fmt: skip
    with context.database.unit_of_work() as uow:
        uow.opt_outs.add(Channel.SMS, PHONES[0], "STOP", clock.now())
        uow.commit()
    campaign_id = services.campaigns.save_draft(text_draft((ann, bob, cat)))
    assert services.campaigns.launch(campaign_id).left_out == 1
    with context.database.unit_of_work() as uow:  # Bob replies STOP after the build
        uow.opt_outs.add(Channel.SMS, PHONES[1], "STOP", clock.now())
        uow.commit()
    services.contact_tags.set_do_not_contact(cat, Channel.SMS, True)
    advance(clock, 1)
    assert outbox.process_due(clock.now()) == 0
    assert provider.calls == []
    statuses = {status.contact_id: status for status in services.campaigns.recipients(campaign_id)}
    assert (statuses[ann].state, statuses[ann].left_out_reason) == (None, LeftOutReason.OPTED_OUT)
    assert (statuses[bob].state, statuses[bob].error_code) == (OutboxState.CANCELLED, "opted_out")
    assert (statuses[cat].state, statuses[cat].error_code) == (
        OutboxState.CANCELLED,
        "do_not_contact",
    )
    progress = services.campaigns.progress(campaign_id)
    assert (progress.left_out, progress.cancelled, progress.sent) == (1, 2, 0)


def test_a_campaign_message_waiting_for_tomorrow_does_not_hold_back_an_invoice_text(
    services: Any, clock: FixedClock, outbox: OutboxService, provider: FakeProvider, three: Any
) -> None:
    campaign_id = services.campaigns.save_draft(text_draft(three[:1]))
    services.campaigns.launch(campaign_id, clock.instant + timedelta(days=1))
    invoice_text = outbox.enqueue(Channel.SMS, PHONES[0], {"body": "Invoice INV-1"})
    assert outbox.process_due(clock.now()) == 1
    assert outbox.get(invoice_text).state is OutboxState.SENT
    assert services.campaigns.progress(campaign_id).queued == 1


def test_whatsapp_outside_the_window_needs_a_template_whose_variables_are_filled(
    context: Any, services: Any, three: Any
) -> None:
    free_text = services.campaigns.audience_for(text_draft(three[:1], channel=Channel.WHATSAPP))
    assert [row.reason for row in free_text.left_out] == [LeftOutReason.NEEDS_TEMPLATE]
    template = "HX" + "0" * 32
    draft = text_draft(
        three[:1],
        channel=Channel.WHATSAPP,
        body="",
        whatsapp_template_id=template,
        whatsapp_variables={"1": "{first_name}", "2": "{business_name}"},
    )
    campaign_id = services.campaigns.save_draft(draft)
    with pytest.raises(ValidationError):  # no business name yet: variable 2 would be empty
        services.campaigns.launch(campaign_id)
    save_business(services, company_name="Acme Shop")
    assert services.campaigns.launch(campaign_id).queued == 1
    (row,) = rows(context, campaign_id)
    assert row.payload["template_id"] == template
    assert row.payload["template_variables"] == {"1": "Guest0", "2": "Acme Shop"}


def test_an_email_campaign_needs_the_business_email_for_unsubscribing(services: Any) -> None:
    ann = add_contact(services, "Ann", "", "ann@example.com")
    draft = text_draft((ann,), channel=Channel.EMAIL, subject="News")
    campaign_id = services.campaigns.save_draft(draft)
    with pytest.raises(ValidationError) as refused:
        services.campaigns.launch(campaign_id)
    assert refused.value.field == "Business email"
    save_business(services)
    assert services.campaigns.launch(campaign_id).queued == 1


def test_a_campaign_nobody_can_receive_is_refused(services: Any) -> None:
    nobody = add_contact(services, "Nobody", "", "n@x.example")
    campaign_id = services.campaigns.save_draft(text_draft((nobody,)))
    with pytest.raises(ValidationError) as refused:
        services.campaigns.launch(campaign_id)
    assert refused.value.field == "Recipients"
    assert services.campaigns.get(campaign_id).status is CampaignStatus.DRAFT


def test_two_workers_draining_one_campaign_send_three_messages(
    context: Any, services: Any, clock: FixedClock, provider: FakeProvider, three: Any
) -> None:
    campaign_id = services.campaigns.save_draft(text_draft(three))
    services.campaigns.launch(campaign_id, clock.instant + timedelta(seconds=1))
    provider.gate = threading.Event()
    one_each = {Channel.SMS: ChannelLimit(max_in_flight=1)}
    workers = [
        OutboxWorker(outbox_for(context, clock, provider), Switch(), clock, limits=one_each)
        for _ in range(2)
    ]
    for worker in workers:
        worker.start()
    try:
        # Both have started (a worker's start marks rows left sending as interrupted), then
        # the campaign becomes due.
        assert all(worker.wait_settled(WAIT) for worker in workers)
        advance(clock, 2)
        for worker in workers:
            worker.notify()
        assert _until(lambda: provider.in_flight == 2)  # one message in each worker
        provider.gate.set()
        assert _until(lambda: services.campaigns.progress(campaign_id).sent == 3)
    finally:
        for worker in workers:
            assert worker.stop(WAIT)
    assert len(provider.calls) == 3
    assert sorted(message.recipient for message in provider.received) == list(PHONES)


def test_ten_thousand_recipients_are_built_in_one_launch(
    context: Any, services: Any, clock: FixedClock
) -> None:
    with context.database.unit_of_work() as uow:
        uow.statements.many(
            "INSERT INTO contacts (first_name, phone) VALUES (:name, :phone)",
            [{"name": f"C{n}", "phone": f"+1555{n:07d}"} for n in range(10_000)],
        )
        uow.commit()
    services.contact_tags.tag(list(range(1, 10_001)), "All")
    draft = text_draft(audience=AudienceSpec(tags=("all",)), per_minute=600)
    campaign_id = services.campaigns.save_draft(draft)
    result = services.campaigns.launch(campaign_id)
    assert (result.queued, result.left_out) == (10_000, 0)
    assert result.last_due == clock.instant + timedelta(seconds=9_999 * 0.1)
    assert services.campaigns.progress(campaign_id).queued == 10_000
    assert len(services.campaigns.recipients(campaign_id)) == 10_000


def _until(condition: Any, timeout: float = WAIT) -> bool:
    """Poll a condition (a short Event wait between looks, no sleep)."""
    pause = threading.Event()
    for _ in range(int(timeout / 0.01)):
        if condition():
            return True
        pause.wait(0.01)
    return bool(condition())
