"""The worker sleeps until the next row it can send, not past it.

Rows of a channel that cannot send now (credentials refused, no provider) stay due; judged by
them, the worker found nothing to start and slept a whole poll while another channel's row
fell due (a paced campaign became a burst per poll).
"""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

from leadcartel_desktop.domain.outbox import Channel, OutboxState, SendOutcome
from leadcartel_desktop.services.outbox import OutboxService
from leadcartel_desktop.services.outbox_worker import OutboxWorker
from tests.conftest import FixedClock
from tests.integration.outbox_support import FakeProvider, FakeProviders, Step, Switch, advance

POLL = 3600.0  # a poll the test would never see the end of
WAIT = 20.0


def test_an_email_due_soon_goes_while_sms_is_paused(context: Any, clock: FixedClock) -> None:
    sms, email = FakeProvider(), FakeProvider()
    sms.then(Step(SendOutcome.refused_credentials("20003", "Twilio refused the credentials")))
    outbox = OutboxService(
        context.database.unit_of_work,
        clock,
        FakeProviders({Channel.SMS: sms, Channel.EMAIL: email}),
    )
    worker = OutboxWorker(outbox, Switch(), clock, poll_seconds=POLL)
    worker.start()
    try:
        outbox.enqueue(Channel.SMS, "+6591234561", {"body": "hi"})
        assert worker.wait_settled(WAIT)
        assert Channel.SMS in outbox.paused()
        due = clock.now() + timedelta(seconds=1)
        message_id = outbox.enqueue(
            Channel.EMAIL, "a@example.com", {"subject": "s", "body": "b"}, not_before=due
        )
        assert worker.wait_settled(WAIT)  # it now sleeps until the email is due
        advance(clock, 1)  # no notify: only its own wake-up can send it
        sent = threading.Event()
        outbox.on_change(lambda: outbox.get(message_id).state is OutboxState.SENT and sent.set())
        assert sent.wait(WAIT) or outbox.get(message_id).state is OutboxState.SENT
    finally:
        worker.stop()


def test_the_next_due_time_leaves_out_the_channels_that_cannot_send(
    context: Any, clock: FixedClock
) -> None:
    outbox = OutboxService(context.database.unit_of_work, clock, FakeProviders({}))
    outbox.enqueue(Channel.SMS, "+6591234561", {"body": "hi"})  # due now
    later = clock.now() + timedelta(minutes=5)
    outbox.enqueue(Channel.EMAIL, "a@example.com", {"subject": "s"}, not_before=later)
    assert outbox.next_due_at() == clock.now()
    assert outbox.next_due_at([Channel.SMS]) == later
    assert outbox.next_due_at([Channel.SMS, Channel.EMAIL]) is None
