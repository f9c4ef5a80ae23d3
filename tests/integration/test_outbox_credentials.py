"""A provider refusing the credentials (401/403) pauses its channel instead of failing messages.

The refusal is about the account, not the message: the provider processed nothing. The row
that met it waits again (not counted as an attempt), the channel's other rows are not tried
with the same credentials, other channels keep sending, and everything goes, once each, after
the provider settings or a secret are saved (or the app restarts).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Any

import pytest

from leadcartel_desktop.app import AppContext, build_context
from leadcartel_desktop.domain.campaigns import CampaignStatus
from leadcartel_desktop.domain.errors import UserFacingError
from leadcartel_desktop.domain.outbox import Channel, OutboxMessage, OutboxState, SendOutcome
from leadcartel_desktop.domain.providers import SecretName
from leadcartel_desktop.providers.texts import CREDENTIALS_HINT
from leadcartel_desktop.sandbox import Sandbox
from leadcartel_desktop.services.sending import SendingPorts
from tests.conftest import FixedClock
from tests.integration.campaign_support import add_contact, text_draft
from tests.integration.outbox_support import (
    FakeProvider,
    FakeProviders,
    Step,
    Switch,
    accepted,
    advance,
    timed_out_after_recording,
)
from tests.integration.provider_support import (
    DictSecrets,
    factory,
    sandbox_secrets,
    sandbox_settings,
)
from tests.integration.sandbox_support import bodies, clock_at_real_time

PHONES = ("+6591234561", "+6591234562", "+6591234563", "+6591234564")
NEW_TOKEN = "rotated-auth-token-0123456789abcdef"
WAIT = 30.0


@pytest.fixture
def clock() -> FixedClock:
    return clock_at_real_time()  # the sandbox stamps messages with the real time


@pytest.fixture
def secrets(sandbox: Sandbox) -> DictSecrets:
    return sandbox_secrets(sandbox)


def open_on(home: Path, clock: FixedClock, sandbox: Sandbox, secrets: DictSecrets) -> AppContext:
    context = build_context(home, clock, SendingPorts(factory(clock), secrets, Switch()))
    context.services.providers.save(sandbox_settings(sandbox))
    return context


@pytest.fixture
def app(
    home: Path, clock: FixedClock, sandbox: Sandbox, secrets: DictSecrets
) -> Iterator[AppContext]:
    context = open_on(home, clock, sandbox, secrets)
    yield context
    context.close()


def texts(app: AppContext, *phones: str) -> list[int]:
    return [app.services.outbox.enqueue(Channel.SMS, to, {"body": f"Hi {to}"}) for to in phones]


def revoke_token(sandbox: Sandbox) -> None:
    """The account's token is revoked at Twilio (rotated): every request is refused (401)."""
    sandbox.twilio.auth_token = NEW_TOKEN


def enter_new_token(app: AppContext) -> None:
    """The operator enters the new token in Settings > Providers and saves."""
    settings = app.services.provider_settings
    settings.save(settings.settings(), {SecretName.TWILIO_AUTH_TOKEN: NEW_TOKEN})


def requests_made(sandbox: Sandbox, at_least: int = 0) -> int:
    """Requests the Twilio sandbox answered (each is timed just after its answer is written)."""
    controls = sandbox.controls("twilio")
    controls.wait_for_handling_times(at_least)
    return len(controls.handling_times())


def to_numbers(sandbox: Sandbox) -> list[str]:
    return [item.data["to"] for item in sandbox.received("twilio", "sms")]


def daytime_zone(clock: FixedClock) -> str:
    offset = (12 - clock.now().hour) % 24
    offset = offset - 24 if offset > 12 else offset
    return f"Etc/GMT{-offset:+d}"


def test_a_401_makes_one_request_the_rows_wait_and_the_channel_pauses(
    app: AppContext, sandbox: Sandbox, clock: FixedClock
) -> None:
    outbox = app.services.outbox
    ids = texts(app, *PHONES)
    revoke_token(sandbox)

    assert outbox.process_due(clock.now()) == 4  # the first refused, the rest left alone
    assert requests_made(sandbox, 1) == 1  # one request with the bad credentials, not four
    rows = [outbox.get(message_id) for message_id in ids]
    assert [row.state for row in rows] == [OutboxState.PENDING] * 4
    assert [row.attempts for row in rows] == [0] * 4  # not held against the recipients
    for row in rows:
        assert "refused the credentials" in row.last_error
        assert "refused the credentials: fix them in Settings > Providers" in row.last_error_hint
        assert row.next_attempt_at is not None and row.next_attempt_at <= clock.now()
    assert rows[0].last_error_code == "20003"  # Twilio's own code for it
    assert "Twilio refused the credentials" in (outbox.refused(Channel.SMS) or "")
    assert outbox.refused(Channel.EMAIL) is None
    assert set(outbox.status().paused) == {Channel.SMS}
    assert outbox.status().counts[OutboxState.FAILED] == 0

    # Time passes, more texts are queued: nothing is tried with the same credentials.
    advance(clock, 3600)
    texts(app, "+6591234565")
    outbox.process_due(clock.now())
    outbox.reconcile_unknown(clock.now())
    assert requests_made(sandbox) == 1
    assert outbox.counts()[OutboxState.PENDING] == 5

    enter_new_token(app)
    assert outbox.refused(Channel.SMS) is None
    assert outbox.status().paused == {}
    outbox.process_due(clock.now())
    assert sorted(to_numbers(sandbox)) == sorted([*PHONES, "+6591234565"])  # each once
    assert outbox.counts()[OutboxState.SENT] == 5
    assert [outbox.get(message_id).attempts for message_id in ids] == [1] * 4


def test_other_channels_keep_sending_while_sms_is_paused(
    app: AppContext, sandbox: Sandbox, clock: FixedClock
) -> None:
    outbox = app.services.outbox
    sandbox.controls("twilio").fail_next("401", count=10)
    (sms,) = texts(app, PHONES[0])
    email = outbox.enqueue(
        Channel.EMAIL, "ann@example.com", {"subject": "Hello", "body": "The email goes"}
    )
    outbox.process_due(clock.now())
    assert outbox.get(sms).state is OutboxState.PENDING
    assert outbox.get(email).state is OutboxState.SENT
    assert len(sandbox.received("smtp")) == 1
    assert set(outbox.paused()) == {Channel.SMS}


def test_the_worker_stops_claiming_then_sends_once_the_new_token_is_saved(
    app: AppContext, sandbox: Sandbox, clock: FixedClock
) -> None:
    outbox = app.services.outbox
    revoke_token(sandbox)
    worker = app.start_sending()
    ids = texts(app, *PHONES)
    assert worker.wait_settled(WAIT)
    refused = requests_made(sandbox, 1)
    assert 1 <= refused <= 2, refused  # the ramp lets two go at once, never all four
    assert outbox.counts()[OutboxState.PENDING] == 4
    assert outbox.counts()[OutboxState.FAILED] == 0

    # Queued while paused, and the clock moves on: the worker leaves the channel alone.
    texts(app, "+6591234565")
    advance(clock, 600)
    worker.notify()
    assert worker.wait_settled(WAIT)
    assert requests_made(sandbox) == refused
    assert to_numbers(sandbox) == []

    enter_new_token(app)  # wakes the worker
    assert worker.wait_settled(WAIT)
    assert outbox.counts()[OutboxState.SENT] == 5, outbox.counts()
    assert sorted(to_numbers(sandbox)) == sorted([*PHONES, "+6591234565"])
    assert [outbox.get(message_id).attempts for message_id in ids] == [1] * 4


def test_retry_on_a_waiting_message_tries_the_channel_again(
    app: AppContext, sandbox: Sandbox, clock: FixedClock
) -> None:
    """The provider unblocked the account (nothing to change in the app): Retry resumes."""
    outbox = app.services.outbox
    sandbox.controls("twilio").fail_next("401")
    ids = texts(app, *PHONES[:3])
    outbox.process_due(clock.now())
    assert outbox.refused(Channel.SMS)
    outbox.process_due(clock.now())
    assert to_numbers(sandbox) == []
    assert outbox.retry_now(ids[1]) is OutboxState.PENDING
    assert outbox.refused(Channel.SMS) is None
    outbox.process_due(clock.now())
    assert sorted(to_numbers(sandbox)) == sorted(PHONES[:3])


def test_a_wrong_token_waits_until_the_right_one_is_saved(
    app: AppContext, sandbox: Sandbox, secrets: DictSecrets, clock: FixedClock
) -> None:
    outbox = app.services.outbox
    token = secrets.values[SecretName.TWILIO_AUTH_TOKEN]
    app.services.providers.save_secret(SecretName.TWILIO_AUTH_TOKEN, "not-the-token")
    ids = texts(app, *PHONES[:2])
    outbox.process_due(clock.now())
    assert [outbox.get(i).state for i in ids] == [OutboxState.PENDING] * 2
    assert outbox.refused(Channel.SMS)
    app.services.providers.save_secret(SecretName.TWILIO_AUTH_TOKEN, token)
    outbox.process_due(clock.now())
    assert [outbox.get(i).state for i in ids] == [OutboxState.SENT] * 2
    assert sorted(bodies(sandbox)) == [f"Hi {PHONES[0]}", f"Hi {PHONES[1]}"]


def test_a_restart_tries_again(
    home: Path, sandbox: Sandbox, secrets: DictSecrets, clock: FixedClock
) -> None:
    context = open_on(home, clock, sandbox, secrets)
    try:
        (first,) = texts(context, PHONES[0])
        sandbox.controls("twilio").fail_next("401")
        context.services.outbox.process_due(clock.now())
        assert context.services.outbox.get(first).state is OutboxState.PENDING
        assert context.services.outbox.refused(Channel.SMS)
    finally:
        context.close()
    restarted = build_context(home, clock, SendingPorts(factory(clock), secrets, Switch()))
    try:
        assert restarted.services.outbox.refused(Channel.SMS) is None
        restarted.services.outbox.process_due(clock.now())
        assert restarted.services.outbox.get(first).state is OutboxState.SENT
        assert to_numbers(sandbox) == [PHONES[0]]
    finally:
        restarted.close()


def test_a_401_mid_campaign_leaves_it_running_and_saving_the_settings_finishes_it(
    app: AppContext, sandbox: Sandbox, clock: FixedClock
) -> None:
    services = app.services
    contacts = []
    for n, phone in enumerate(PHONES):
        contact_id = add_contact(services, f"Guest{n}", phone)
        services.contact_tags.set_time_zone(contact_id, daytime_zone(clock))
        contacts.append(contact_id)
    campaign_id = services.campaigns.save_draft(text_draft(tuple(contacts)))
    services.campaigns.launch(campaign_id)
    (first,) = services.outbox.claim(clock.now(), 1)
    assert services.outbox.deliver(first) is OutboxState.SENT
    revoke_token(sandbox)
    for _ in range(5):
        services.outbox.process_due(clock.now())
        advance(clock, 3)
    assert requests_made(sandbox, 2) == 2  # the first text, then one refused
    progress = services.campaigns.progress(campaign_id)
    assert (progress.sent, progress.failed, progress.queued) == (1, 0, 3), progress
    assert services.campaigns.status(campaign_id) is not CampaignStatus.DONE
    waiting = [
        s for s in services.campaigns.recipients(campaign_id) if s.state is not OutboxState.SENT
    ]
    assert len(waiting) == 3
    assert all(s.state is OutboxState.PENDING for s in waiting)

    enter_new_token(app)
    for _ in range(5):
        services.outbox.process_due(clock.now())
        advance(clock, 3)
    assert sorted(to_numbers(sandbox)) == sorted(PHONES)  # each once, no Retry pressed
    assert services.campaigns.progress(campaign_id).sent == 4
    assert services.campaigns.status(campaign_id) is CampaignStatus.DONE


def test_the_test_button_keeps_its_wrong_credentials_message(
    app: AppContext, sandbox: Sandbox
) -> None:
    sandbox.controls("twilio").fail_next("401")
    with pytest.raises(UserFacingError) as refused:
        app.services.providers.test(Channel.SMS)
    assert "refused the credentials" in str(refused.value)
    assert CREDENTIALS_HINT in str(refused.value)
    assert app.services.outbox.refused(Channel.SMS) is None  # a Test pauses nothing


# With the scripted provider: reconciling, and the row's claim -------------------------------


class RefusingChecks(FakeProvider):
    """Reconciling meets a credentials refusal (the cloud answers its list call with 401)."""

    def reconcile(
        self, message: OutboxMessage, *, taken: Collection[str] = ()
    ) -> SendOutcome | None:
        self.reconciled += 1
        return SendOutcome.refused_credentials("401", "The cloud refused the credentials.")


def refused_step() -> Step:
    return Step(SendOutcome.refused_credentials("401", "The cloud refused the credentials."))


def scripted(context: Any, clock: FixedClock, provider: FakeProvider) -> Any:
    from leadcartel_desktop.services.outbox import OutboxService

    providers = FakeProviders(dict.fromkeys(Channel, provider))
    return OutboxService(context.database.unit_of_work, clock, providers), providers


def test_a_refused_check_keeps_the_row_unknown_and_pauses_the_channel(
    context: Any, clock: FixedClock
) -> None:
    provider = RefusingChecks().then(timed_out_after_recording())
    outbox, _providers = scripted(context, clock, provider)
    message_id = outbox.enqueue(Channel.CLOUD, "call", {"body": "x"})
    outbox.process_due(clock.now())
    assert outbox.get(message_id).state is OutboxState.UNKNOWN
    advance(clock, 60)
    outbox.reconcile_unknown(clock.now())
    assert outbox.get(message_id).state is OutboxState.UNKNOWN  # never failed, never resent
    assert outbox.refused(Channel.CLOUD) == "The cloud refused the credentials."
    advance(clock, 3600)
    outbox.reconcile_unknown(clock.now())
    assert provider.reconciled == 1  # not asked again with the same credentials
    assert len(provider.calls) == 1


def test_a_new_adapter_ends_the_pause_and_a_batch_claimed_before_it_is_not_sent(
    context: Any, clock: FixedClock
) -> None:
    provider = FakeProvider().then(refused_step())
    outbox, providers = scripted(context, clock, provider)
    ids = [outbox.enqueue(Channel.SMS, to, {"body": "b"}) for to in PHONES[:3]]
    batch = outbox.claim(clock.now(), 10)
    assert len(batch) == 3
    for message in batch:
        outbox.deliver(message)
    assert len(provider.calls) == 1  # the two claimed with it were put back, not sent
    assert [outbox.get(i).state for i in ids] == [OutboxState.PENDING] * 3
    assert outbox.claim(clock.now(), 10) == []  # the channel is paused
    assert outbox.claim(clock.now(), 10, Channel.SMS) == []
    # Settings saved: the source builds a new adapter for the channel.
    fixed = FakeProvider().then(accepted(), accepted(), accepted())
    providers.by_channel[Channel.SMS] = fixed
    assert outbox.refused(Channel.SMS) is None
    outbox.process_due(clock.now())
    assert [outbox.get(i).state for i in ids] == [OutboxState.SENT] * 3
    assert len(fixed.calls) == 3


def test_refused_credentials_are_never_counted_towards_giving_up(
    context: Any, clock: FixedClock
) -> None:
    provider = FakeProvider()
    outbox, providers = scripted(context, clock, provider)
    message_id = outbox.enqueue(Channel.SMS, PHONES[0], {"body": "b"})
    for _ in range(20):  # the credentials refused again after every save
        providers.by_channel[Channel.SMS] = FakeProvider().then(refused_step())
        outbox.process_due(clock.now())
        advance(clock, 1)
    row = outbox.get(message_id)
    assert (row.state, row.attempts) == (OutboxState.PENDING, 0)
