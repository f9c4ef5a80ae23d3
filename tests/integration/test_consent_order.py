"""STOP and START decided by when the person wrote them, whatever order the provider lists them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from itertools import count

from leadcartel_desktop.app import AppContext
from leadcartel_desktop.domain.outbox import Channel
from leadcartel_desktop.services.inbound import InboundService
from leadcartel_desktop.services.thread_ports import InboundBatch, InboundMessage
from tests.conftest import FixedClock
from tests.integration.thread_support import ada

ADA = "+6591234567"
_sids = count(1)


class ListedLate:
    """A provider list played back pull by pull (the pulls overlap, so a reply can come late)."""

    name = "late"

    def __init__(self, *pulls: Sequence[InboundMessage]) -> None:
        self._pulls = [list(pull) for pull in pulls]

    def fetch(self, mark: str | None, now: datetime) -> InboundBatch:
        batch = self._pulls.pop(0) if self._pulls else []
        return InboundBatch(batch, max((m.at for m in batch), default=now).isoformat())


def reply(
    body: str, at: datetime, channel: Channel = Channel.SMS, address: str = ADA, subject: str = ""
) -> InboundMessage:
    return InboundMessage(channel, f"SMorder{next(_sids):026d}", address, body, at, subject)


def pulled(context: AppContext, clock: FixedClock, *pulls: Sequence[InboundMessage]) -> list[int]:
    """Each pull's (opted out, opted in) counts, flattened."""
    source = ListedLate(*pulls)
    service = InboundService(context.database.unit_of_work, clock, lambda: [source])
    counts: list[int] = []
    for _ in pulls:
        result = service.pull(clock.now())
        counts += [result.opted_out, result.opted_in]
    return counts


def opted_out(context: AppContext, channel: Channel = Channel.SMS, address: str = ADA) -> bool:
    return context.services.threads.is_opted_out(channel, address)


def test_an_older_start_listed_after_a_newer_stop_changes_nothing(
    context: AppContext, clock: FixedClock
) -> None:
    contact_id = ada(context)
    t = clock.now()
    counts = pulled(context, clock, [reply("STOP", t + timedelta(minutes=5))],
                    [reply("START", t + timedelta(minutes=1))])  # fmt: skip
    assert opted_out(context)
    assert counts == [1, 0, 0, 0]  # the late START is stored, not counted as an opt-in
    assert [m.body for m in context.services.threads.thread(contact_id)] == ["START", "STOP"]


def test_an_older_stop_listed_after_a_newer_start_changes_nothing(
    context: AppContext, clock: FixedClock
) -> None:
    ada(context)
    t = clock.now()
    context.services.threads.unsubscribe(Channel.SMS, ADA)  # opted out before both replies
    clock.instant = t + timedelta(minutes=10)
    pulled(context, clock, [reply("start", t + timedelta(minutes=5))],
           [reply("Stop.", t + timedelta(minutes=1))])  # fmt: skip
    assert not opted_out(context)


def test_a_later_stop_keeps_an_earlier_start_listed_late_from_opting_back_in(
    context: AppContext, clock: FixedClock
) -> None:
    """STOP :01 and STOP :05 pulled, then START :03: the last word is the STOP at :05."""
    ada(context)
    t = clock.now()
    pulled(context, clock, [reply("STOP", t + timedelta(minutes=1)),
                            reply("STOP", t + timedelta(minutes=5))],
           [reply("START", t + timedelta(minutes=3))])  # fmt: skip
    assert opted_out(context)


def test_an_older_start_listed_late_does_not_undo_the_operators_unsubscribe(
    context: AppContext, clock: FixedClock
) -> None:
    ada(context)
    t = clock.now()
    pulled(context, clock, [reply("STOP", t - timedelta(minutes=30))])
    context.services.threads.unsubscribe(Channel.SMS, ADA, "asked by phone")  # at t
    pulled(context, clock, [reply("START", t - timedelta(minutes=2))])  # written before it
    assert opted_out(context)


def test_a_newer_start_still_opts_back_in_after_the_operators_unsubscribe(
    context: AppContext, clock: FixedClock
) -> None:
    ada(context)
    t = clock.now()
    context.services.threads.unsubscribe(Channel.SMS, ADA)
    assert pulled(context, clock, [reply("START", t + timedelta(minutes=2))]) == [0, 1]
    assert not opted_out(context)


def test_a_later_start_on_whatsapp_does_not_make_an_older_sms_stop_moot(
    context: AppContext, clock: FixedClock
) -> None:
    ada(context)
    t = clock.now()
    pulled(context, clock, [reply("START", t + timedelta(minutes=5), Channel.WHATSAPP)],
           [reply("STOP", t + timedelta(minutes=1))])  # fmt: skip
    assert opted_out(context, Channel.SMS)
    assert not opted_out(context, Channel.WHATSAPP)


def test_a_later_plain_message_does_not_make_an_older_stop_moot(
    context: AppContext, clock: FixedClock
) -> None:
    ada(context)
    t = clock.now()
    pulled(context, clock, [reply("see you at 5", t + timedelta(minutes=5))],
           [reply("STOP", t + timedelta(minutes=1))])  # fmt: skip
    assert opted_out(context)


def test_email_an_older_unsubscribe_listed_after_a_newer_start_by_subject_changes_nothing(
    context: AppContext, clock: FixedClock
) -> None:
    ada(context)
    t = clock.now()
    mail = "ada@example.com"
    context.services.threads.unsubscribe(Channel.EMAIL, mail)
    clock.instant = t + timedelta(minutes=10)
    pulled(context, clock,
           [reply("", t + timedelta(minutes=5), Channel.EMAIL, mail, subject="START")],
           [reply("unsubscribe\n\n> the campaign", t + timedelta(minutes=1), Channel.EMAIL,
                  mail)])  # fmt: skip
    assert not opted_out(context, Channel.EMAIL, mail)
