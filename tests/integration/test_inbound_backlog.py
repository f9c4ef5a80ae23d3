"""A backlog longer than a provider's page limit: every reply stored, the oldest STOP honoured."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from leadcartel_desktop.domain.outbox import Channel
from leadcartel_desktop.domain.providers import ProviderKind, SecretName
from leadcartel_desktop.providers import cloud_conversations, twilio_inbound
from leadcartel_desktop.providers.inbound_mark import InboundMark
from leadcartel_desktop.services import inbound
from tests.conftest import FixedClock
from tests.integration.send_support import sandbox_app
from tests.integration.thread_support import ada

ADA = "+6591234567"
PAGE = int(twilio_inbound.PAGE_SIZE)


@pytest.fixture
def two_pages(monkeypatch: pytest.MonkeyPatch) -> int:
    """Twilio's batch cut to two pages (200 replies), so a backlog needs no 5,000 messages."""
    monkeypatch.setattr(twilio_inbound, "MAX_PAGES", 2)
    return 2 * PAGE


def test_a_backlog_past_the_page_limit_is_stored_whole_in_one_pull(
    home: Path, clock: FixedClock, tmp_path: Path, two_pages: int
) -> None:
    with sandbox_app(home, clock, tmp_path / "sb") as (context, sandbox, _keys):
        ada(context)
        twilio = sandbox.controls("twilio")
        twilio.receive(ADA, "STOP")  # the oldest: the end a cut-short listing misses
        backlog = two_pages + 50
        for n in range(backlog - 1):
            twilio.receive(f"+1555{n:07d}", f"reply {n}")

        pulled = context.services.inbound.pull(clock.now())

        assert (pulled.new, pulled.opted_out, pulled.problems) == (backlog, 1, ())
        assert context.services.threads.is_opted_out(Channel.SMS, ADA)
        with context.database.unit_of_work(read_only=True) as uow:
            mark = uow.messages.mark("twilio:sms")
        assert mark is not None and not mark.startswith("{")  # through: a plain instant again
        assert context.services.inbound.pull(clock.now()).new == 0


def test_a_pull_cut_short_says_so_and_the_next_one_goes_on_where_it_stopped(
    home: Path,
    clock: FixedClock,
    tmp_path: Path,
    two_pages: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """One batch per pull (the app closed in between): the mark keeps the next page."""
    monkeypatch.setattr(inbound, "MAX_ROUNDS", 1)
    with sandbox_app(home, clock, tmp_path / "sb") as (context, sandbox, _keys):
        ada(context)
        twilio = sandbox.controls("twilio")
        twilio.receive(ADA, "Stop")
        for n in range(two_pages + 49):
            twilio.receive(f"+1555{n:07d}", f"reply {n}")

        first = context.services.inbound.pull(clock.now())
        with context.database.unit_of_work(read_only=True) as uow:
            mark = uow.messages.mark("twilio:sms")
        assert first.new == two_pages and first.opted_out == 0
        assert first.problems and "more are waiting" in first.problems[0]
        assert mark is not None
        kept = InboundMark.read(mark, clock.now())
        assert kept.resume and kept.since < kept.newest  # not moved past what was missed

        second = context.services.inbound.pull(clock.now())

        assert (second.new, second.opted_out, second.problems) == (50, 1, ())
        assert context.services.threads.is_opted_out(Channel.SMS, ADA)


def test_a_saved_next_page_the_provider_refuses_is_listed_again_from_the_top(
    home: Path,
    clock: FixedClock,
    tmp_path: Path,
    two_pages: int,
    caplog: pytest.LogCaptureFixture,
) -> None:
    with sandbox_app(home, clock, tmp_path / "sb") as (context, sandbox, _keys):
        twilio = sandbox.controls("twilio")
        for n in range(30):
            twilio.receive(f"+1555{n:07d}", f"reply {n}")
        since = clock.now() - timedelta(days=1)
        gone = "/2010-04-01/Accounts/ACgone/Messages.json?PageToken=PAgone"
        with context.database.unit_of_work() as uow:
            uow.messages.set_mark("twilio:sms", InboundMark(since, since, gone).text(), since)
            uow.commit()

        with caplog.at_level(logging.WARNING):
            pulled = context.services.inbound.pull(clock.now())

        assert (pulled.new, pulled.problems) == (30, ())
        assert "saved next page refused" in caplog.text


def test_more_cloud_conversations_than_the_page_limit_are_all_pulled(
    home: Path, clock: FixedClock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cloud_conversations, "CONVERSATION_PAGES", 1)
    with sandbox_app(home, clock, tmp_path / "sb") as (context, sandbox, _keys):
        services = context.services
        services.providers.save(replace(services.providers.settings(), sms=ProviderKind.CLOUD))
        services.providers.save_secret(SecretName.CLOUD_TOKEN, sandbox.credentials.cloud_token)
        inbox = sandbox.controls("cloud")
        phones = [f"+659100{n:04d}" for n in range(cloud_conversations.CONVERSATIONS_LIMIT + 30)]
        for phone in phones:
            inbox.receive(phone, "STOP", kind="SMS")

        pulled = services.inbound.pull(clock.now())

        assert (pulled.new, pulled.opted_out, pulled.problems) == (len(phones), len(phones), ())
        assert all(services.threads.is_opted_out(Channel.SMS, phone) for phone in phones)
