"""The operator settles unknown messages: it arrived (mark sent) or send again (same key)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from email import message_from_bytes
from pathlib import Path
from typing import Any

import pytest

from leadcartel_desktop.app import AppContext, build_context
from leadcartel_desktop.domain.errors import ConflictError
from leadcartel_desktop.domain.outbox import Channel, OutboxState, SendOutcome
from leadcartel_desktop.domain.providers import SecretName
from leadcartel_desktop.providers.keychain import KeyringSecretStore
from leadcartel_desktop.sandbox import FaultKind, Sandbox
from leadcartel_desktop.services.outbox import OutboxService
from leadcartel_desktop.services.outbox_view import OutboxFilter
from leadcartel_desktop.services.sending import SendingPorts
from tests.conftest import FixedClock
from tests.integration.outbox_support import (
    FakeProvider,
    Step,
    Switch,
    outbox_for,
    queue_texts,
    timed_out_after_recording,
)
from tests.integration.provider_support import HOLD_SECONDS, factory, sandbox_settings
from tests.integration.sandbox_support import MemoryKeyring, clock_at_real_time

ANN = "+6591234567"


@pytest.fixture
def provider() -> FakeProvider:
    return FakeProvider()


@pytest.fixture
def outbox(context: Any, clock: FixedClock, provider: FakeProvider) -> OutboxService:
    return outbox_for(context, clock, provider, rng=random.Random(7))


def _unknown(outbox: OutboxService, clock: FixedClock, provider: FakeProvider, step: Step) -> int:
    provider.then(step)
    (message_id,) = queue_texts(outbox, ANN, ["Invoice INV-1"])
    outbox.process_due(clock.now())
    assert outbox.get(message_id).state is OutboxState.UNKNOWN
    return message_id


def test_it_arrived_marks_the_message_sent_and_it_is_never_sent_again(
    outbox: OutboxService, clock: FixedClock, provider: FakeProvider
) -> None:
    message_id = _unknown(outbox, clock, provider, timed_out_after_recording())
    assert outbox.resolve_unknown(message_id, arrived=True) is OutboxState.SENT
    settled = outbox.get(message_id)
    assert (settled.state, settled.attempts) == (OutboxState.SENT, 1)
    assert "operator" in settled.last_error
    assert outbox.process_due(clock.now()) == 0
    assert outbox.reconcile_unknown(clock.now()) == 0
    assert len(provider.calls) == 1


def test_send_again_resends_with_the_same_idempotency_key(
    outbox: OutboxService, clock: FixedClock, provider: FakeProvider
) -> None:
    # The provider cannot tell (like SMTP), and it did not keep the first attempt.
    provider.unsure = 1
    message_id = _unknown(outbox, clock, provider, Step(SendOutcome.ambiguous("Read timed out")))
    assert outbox.resolve_unknown(message_id, arrived=False) is OutboxState.PENDING
    assert outbox.process_due(clock.now()) == 1
    first, second = provider.calls
    assert first.idempotency_key == second.idempotency_key
    sent = outbox.get(message_id)
    assert (sent.state, sent.attempts) == (OutboxState.SENT, 2)
    assert len(provider.received) == 1


def test_send_again_when_the_provider_has_it_after_all_marks_it_sent_instead(
    outbox: OutboxService, clock: FixedClock, provider: FakeProvider
) -> None:
    message_id = _unknown(outbox, clock, provider, timed_out_after_recording())
    assert outbox.resolve_unknown(message_id, arrived=False) is OutboxState.SENT
    assert outbox.get(message_id).provider_id == provider.held[provider.calls[0].idempotency_key]
    assert outbox.process_due(clock.now()) == 0
    assert len(provider.calls) == 1


@pytest.mark.parametrize("arrived", [True, False])
def test_only_an_unknown_message_can_be_settled(
    outbox: OutboxService, clock: FixedClock, provider: FakeProvider, arrived: bool
) -> None:
    waiting, done = queue_texts(outbox, ANN, ["one"]) + queue_texts(outbox, "+6598765432", ["2"])
    outbox.process_due(clock.now())  # both sent
    outbox.enqueue(Channel.SMS, ANN, {"body": "three"})
    pending = outbox.listing(OutboxFilter.WAITING)[0].id
    for message_id, says in ((pending, "still waiting"), (done, "already sent")):
        with pytest.raises(ConflictError, match=says):
            outbox.resolve_unknown(message_id, arrived=arrived)
    assert outbox.get(pending).state is OutboxState.PENDING
    assert outbox.get(waiting).state is OutboxState.SENT


def test_the_listing_filters_by_state_and_names_the_invoice(
    outbox: OutboxService, clock: FixedClock, provider: FakeProvider
) -> None:
    message_id = _unknown(outbox, clock, provider, timed_out_after_recording())
    failed = outbox.enqueue(Channel.SMS, "+12", {"body": "x"})
    provider.then(Step(SendOutcome.permanent("21211", "Bad number", "Fix it")))
    outbox.process_due(clock.now())
    later = outbox.enqueue(Channel.SMS, ANN, {"body": "waits behind the unknown one"})
    assert [row.id for row in outbox.listing(OutboxFilter.ALL)] == [later, failed, message_id]
    assert [row.id for row in outbox.listing(OutboxFilter.UNKNOWN)] == [message_id]
    assert [row.id for row in outbox.listing(OutboxFilter.WAITING)] == [later]
    (shown,) = outbox.listing(OutboxFilter.FAILED)
    assert (shown.last_error_code, shown.last_error, shown.last_error_hint) == (
        "21211",
        "Bad number",
        "Fix it",
    )
    assert outbox.listing(OutboxFilter.SENT) == []


# With the real sandbox SMTP server ------------------------------------------------------------


@pytest.fixture
def smtp_app(home: Path, sandbox: Sandbox, keychain: MemoryKeyring) -> Iterator[AppContext]:
    clock = clock_at_real_time()
    ports = SendingPorts(factory(clock), KeyringSecretStore(), Switch())
    context = build_context(home, clock, ports)
    context.services.providers.save(sandbox_settings(sandbox))
    password = sandbox.credentials.smtp_password
    context.services.providers.save_secret(SecretName.SMTP_PASSWORD, password)
    yield context
    context.close()


def _email_left_unknown(app: AppContext, sandbox: Sandbox) -> int:
    sandbox.controls("smtp").fail_next(FaultKind.ACCEPT_THEN_TIMEOUT, hold_seconds=HOLD_SECONDS)
    outbox = app.services.outbox
    payload = {"subject": "Invoice INV-3", "body": "Please find it attached."}
    message_id: int = outbox.enqueue(Channel.EMAIL, "ann@example.com", payload)
    outbox.process_due(app.services.clock.now())
    assert outbox.get(message_id).state is OutboxState.UNKNOWN
    outbox.reconcile_unknown(app.services.clock.now())  # SMTP cannot be asked: still unknown
    assert outbox.get(message_id).state is OutboxState.UNKNOWN
    return message_id


def test_smtp_send_again_resends_under_the_same_message_id(
    smtp_app: AppContext, sandbox: Sandbox
) -> None:
    outbox = smtp_app.services.outbox
    message_id = _email_left_unknown(smtp_app, sandbox)
    assert outbox.resolve_unknown(message_id, arrived=False) is OutboxState.PENDING
    outbox.process_due(smtp_app.services.clock.now())
    sent = outbox.get(message_id)
    first, second = (message_from_bytes(raw) for raw in sandbox.smtp.raw_messages())
    assert first["Message-ID"] == second["Message-ID"] == sent.provider_id
    assert (sent.state, sent.attempts) == (OutboxState.SENT, 2)


def test_smtp_it_arrived_keeps_the_one_copy(smtp_app: AppContext, sandbox: Sandbox) -> None:
    outbox = smtp_app.services.outbox
    message_id = _email_left_unknown(smtp_app, sandbox)
    assert outbox.resolve_unknown(message_id, arrived=True) is OutboxState.SENT
    outbox.process_due(smtp_app.services.clock.now())
    assert len(sandbox.smtp.raw_messages()) == 1
    assert outbox.get(message_id).state is OutboxState.SENT
