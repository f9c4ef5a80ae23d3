"""An inbound ' stop ' reply: the next campaign leaves the contact out, a queued one is not sent."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from leadcartel_desktop.domain.campaigns import LeftOutReason
from leadcartel_desktop.domain.outbox import Channel, OutboxState
from leadcartel_desktop.services.inbound import InboundService
from leadcartel_desktop.services.thread_ports import InboundBatch, InboundMessage
from tests.conftest import FixedClock
from tests.integration.campaign_support import add_contact, text_draft
from tests.integration.outbox_support import FakeProvider, advance, outbox_for

ANN, BOB = "+6591234561", "+6591234562"


@dataclass
class Replies:
    """An InboundSource listing the replies a test puts in it."""

    name: str = "twilio:sms"
    messages: list[InboundMessage] = field(default_factory=list)

    def fetch(self, mark: str | None, now: datetime) -> InboundBatch:
        return InboundBatch(tuple(self.messages), str(len(self.messages)))


def test_a_stop_reply_leaves_the_contact_out_and_stops_the_queued_message(
    context: Any, services: Any, clock: FixedClock
) -> None:
    ann, bob = add_contact(services, "Ann", ANN), add_contact(services, "Bob", BOB)
    first = services.campaigns.save_draft(text_draft((ann, bob), name="First", per_minute=1))
    services.campaigns.launch(first)  # Ann at once, Bob a minute later
    provider = FakeProvider()
    outbox = outbox_for(context, clock, provider, rng=random.Random(1))
    assert outbox.process_due(clock.now()) == 1
    replies = Replies()
    source: Sequence[Replies] = (replies,)
    inbound = InboundService(context.database.unit_of_work, clock, lambda: source)
    replies.messages.append(InboundMessage(Channel.SMS, "SM1", BOB, " stop ", clock.now()))
    assert inbound.pull().opted_out == 1
    advance(clock, 60)
    assert outbox.process_due(clock.now()) == 0
    queued = {row.contact_id: row for row in services.campaigns.recipients(first)}
    assert (queued[bob].state, queued[bob].error_code) == (OutboxState.CANCELLED, "opted_out")
    second = services.campaigns.save_draft(text_draft((ann, bob), name="Second"))
    audience = services.campaigns.launch(second)
    assert (audience.queued, audience.left_out) == (1, 1)
    (left,) = [row for row in services.campaigns.recipients(second) if row.state is None]
    assert (left.contact_id, left.left_out_reason) == (bob, LeftOutReason.OPTED_OUT)
    assert [message.recipient for message in provider.received] == [ANN]
