"""Pause and resume keep a provider's Retry-After and pace the rest again, through the sandbox.

Real SQLite, the loopback Twilio sandbox, and a hand-moved clock: pausing leaves each row's due
time alone (the claim-time gate holds what falls due), and resuming paces the rows from then,
none sooner than it was due before the pause.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from leadcartel_desktop.app import AppContext, build_context
from leadcartel_desktop.domain.campaigns import CampaignStatus
from leadcartel_desktop.domain.outbox import OutboxState
from leadcartel_desktop.domain.send_windows import zone
from leadcartel_desktop.sandbox import Sandbox
from leadcartel_desktop.services.campaign_gate import PAUSED_UNTIL
from leadcartel_desktop.services.sending import SendingPorts
from tests.conftest import FixedClock
from tests.integration.campaign_support import add_contact, text_draft
from tests.integration.outbox_support import Switch, advance
from tests.integration.provider_support import factory, sandbox_secrets, sandbox_settings
from tests.integration.sandbox_support import clock_at_real_time

PHONES = ("+6591234561", "+6591234562", "+6591234563")
MINUTE = timedelta(minutes=1)


@pytest.fixture
def clock() -> FixedClock:
    return clock_at_real_time()  # the sandbox stamps what it receives with the real time


def open_app(home: Path, clock: FixedClock, sandbox: Sandbox) -> AppContext:
    context = build_context(
        home, clock, SendingPorts(factory(clock), sandbox_secrets(sandbox), Switch())
    )
    context.services.providers.save(sandbox_settings(sandbox))
    return context


@pytest.fixture
def app(home: Path, clock: FixedClock, sandbox: Sandbox) -> Iterator[AppContext]:
    context = open_app(home, clock, sandbox)
    yield context
    context.close()


def zone_at(clock: FixedClock, local_hour: int) -> str:
    """A fixed-offset zone where the local hour is `local_hour` now (the tests run at any hour)."""
    offset = (local_hour - clock.now().hour) % 24
    offset = offset - 24 if offset > 12 else offset
    return f"Etc/GMT{-offset:+d}"  # POSIX signs: Etc/GMT-3 is three hours ahead of UTC


def contacts(services: Any, clock: FixedClock, count: int, local_hour: int = 12) -> tuple[int, ...]:
    ids = []
    for n, phone in enumerate(PHONES[:count]):
        contact_id = add_contact(services, f"Guest{n}", phone)
        services.contact_tags.set_time_zone(contact_id, zone_at(clock, local_hour))
        ids.append(contact_id)
    return tuple(ids)


def dues(services: Any, campaign_id: int) -> dict[int, datetime | None]:
    return {row.contact_id: row.due_at for row in services.campaigns.recipients(campaign_id)}


def sent_to(sandbox: Sandbox) -> list[str]:
    return [item.data["to"] for item in sandbox.received("twilio", "sms")]


def launch_with_a_429(
    services: Any, sandbox: Sandbox, clock: FixedClock, people: tuple[int, ...], retry_after: int
) -> tuple[int, datetime]:
    """Launch at one a minute; the first text gets 429 with Retry-After: returns its due time."""
    sandbox.controls("twilio").fail_next("429", retry_after=str(retry_after))
    campaign_id = services.campaigns.save_draft(text_draft(people, per_minute=1))
    services.campaigns.launch(campaign_id)
    assert services.outbox.process_due(clock.now()) == 1
    waiting = dues(services, campaign_id)[people[0]]
    assert waiting is not None and waiting >= clock.now() + timedelta(seconds=retry_after)
    assert sent_to(sandbox) == []
    return campaign_id, waiting


def test_a_retry_after_outlives_pause_and_resume_and_the_rest_are_paced_from_then(
    app: AppContext, sandbox: Sandbox, clock: FixedClock
) -> None:
    services = app.services
    ann, bob, cid = contacts(services, clock, 3)
    campaign_id, ann_due = launch_with_a_429(services, sandbox, clock, (ann, bob, cid), 600)
    services.campaigns.pause(campaign_id)
    advance(clock, 300)  # Bob's and Cid's slots pass while paused
    assert services.outbox.process_due(clock.now()) == 0
    assert sent_to(sandbox) == []

    services.campaigns.resume(campaign_id)
    resumed = clock.now()
    assert services.campaigns.status(campaign_id) is CampaignStatus.RUNNING
    assert dues(services, campaign_id) == {
        bob: resumed,  # never tried: paced from the resume, one a minute
        cid: resumed + MINUTE,
        ann: ann_due,  # the provider asked for 600 s; the pause does not shorten it
    }

    assert services.outbox.process_due(clock.now()) == 1
    advance(clock, 59.999)
    assert services.outbox.process_due(clock.now()) == 0
    advance(clock, 0.001)
    assert services.outbox.process_due(clock.now()) == 1
    clock.instant = ann_due - timedelta(microseconds=1)
    assert services.outbox.process_due(clock.now()) == 0
    clock.instant = ann_due
    assert services.outbox.process_due(clock.now()) == 1
    assert sent_to(sandbox) == [PHONES[1], PHONES[2], PHONES[0]]
    assert services.campaigns.progress(campaign_id).sent == 3


def test_a_campaign_paused_and_resumed_at_once_keeps_its_schedule(
    app: AppContext, sandbox: Sandbox, clock: FixedClock
) -> None:
    services = app.services
    people = contacts(services, clock, 3)
    campaign_id, _ = launch_with_a_429(services, sandbox, clock, people, 600)
    before = dues(services, campaign_id)
    services.campaigns.pause(campaign_id)
    (held, *_) = services.campaigns.recipients(campaign_id)
    assert "paused" in held.hint
    services.campaigns.resume(campaign_id)
    assert dues(services, campaign_id) == before  # nobody goes sooner than planned


def test_a_retry_after_that_ran_out_while_paused_takes_the_next_paced_slot(
    app: AppContext, sandbox: Sandbox, clock: FixedClock
) -> None:
    services = app.services
    ann, bob = contacts(services, clock, 2)
    campaign_id, ann_due = launch_with_a_429(services, sandbox, clock, (ann, bob), 600)
    services.campaigns.pause(campaign_id)
    clock.instant = ann_due + timedelta(minutes=5)
    assert services.outbox.process_due(clock.now()) == 0  # both fall due and are held
    assert {row.next_attempt_at for row in services.outbox.in_state(OutboxState.PENDING)} == {
        PAUSED_UNTIL
    }
    services.campaigns.resume(campaign_id)
    assert dues(services, campaign_id) == {ann: clock.now(), bob: clock.now() + MINUTE}


def test_a_restart_while_paused_keeps_the_retry_after(
    home: Path, sandbox: Sandbox, clock: FixedClock
) -> None:
    first = open_app(home, clock, sandbox)
    try:
        services = first.services
        ann, bob = contacts(services, clock, 2)
        campaign_id, ann_due = launch_with_a_429(services, sandbox, clock, (ann, bob), 600)
        services.campaigns.pause(campaign_id)
    finally:
        first.close()
    advance(clock, 120)
    again = open_app(home, clock, sandbox)
    try:
        services = again.services
        assert services.campaigns.status(campaign_id) is CampaignStatus.PAUSED
        assert services.outbox.process_due(clock.now()) == 0  # Bob's slot passed: held
        assert sent_to(sandbox) == []
        services.campaigns.resume(campaign_id)
        assert dues(services, campaign_id) == {bob: clock.now(), ann: ann_due}
    finally:
        again.close()


def test_a_retry_after_ending_in_quiet_hours_waits_for_the_morning_after_resume(
    app: AppContext, sandbox: Sandbox, clock: FixedClock
) -> None:
    """It is 20:xx where Ann lives; the provider asks for an hour, which ends after 21:00."""
    services = app.services
    (ann,) = contacts(services, clock, 1, local_hour=20)
    campaign_id, ann_due = launch_with_a_429(services, sandbox, clock, (ann,), 3600)
    services.campaigns.pause(campaign_id)
    services.campaigns.resume(campaign_id)
    due = dues(services, campaign_id)[ann]
    assert due is not None and due > ann_due
    local = due.astimezone(zone(zone_at(clock, 20)))
    assert (local.hour, local.minute) == (8, 0)
    assert local.date() == ann_due.astimezone(local.tzinfo).date() + timedelta(days=1)
