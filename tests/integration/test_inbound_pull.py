"""Inbound pull against the sandbox: replies stored once, STOP and START applied per channel."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.domain.outbox import Channel, OutboxState
from leadcartel_desktop.domain.providers import ProviderKind, SecretName
from leadcartel_desktop.sandbox.controls import FaultKind
from leadcartel_desktop.services.thread_views import Direction, MessageStatus
from tests.conftest import FixedClock
from tests.integration.send_support import sandbox_app
from tests.integration.thread_support import ada

ADA = "+6591234567"


def test_an_inbound_stop_opts_out_and_a_queued_message_to_them_is_not_sent(
    home: Path, clock: FixedClock, tmp_path: Path
) -> None:
    with sandbox_app(home, clock, tmp_path / "sb") as (context, sandbox, _keys):
        services = context.services
        contact_id = ada(context)
        queued = services.threads.compose(contact_id, Channel.SMS, "Your invoice is ready")
        sandbox.controls("twilio").receive(ADA, " stop ")

        pulled = services.inbound.pull(clock.now())
        services.outbox.process_due(clock.now())

        assert (pulled.new, pulled.opted_out, pulled.opted_in) == (1, 1, 0)
        assert services.threads.is_opted_out(Channel.SMS, ADA)
        assert not services.threads.is_opted_out(Channel.WHATSAPP, ADA)  # per channel
        assert sandbox.received("twilio", "sms") == []
        row = services.outbox.in_state(OutboxState.CANCELLED)[0]
        assert row.last_error_code == "opted_out" and "opted out" in row.last_error
        thread = services.threads.thread(contact_id)
        assert (thread[0].id, thread[0].status) == (queued, MessageStatus.CANCELLED)
        assert thread[1].direction is Direction.IN and thread[1].body == " stop "
        assert "opt-out register" in thread[0].hint


def test_pulling_twice_stores_each_reply_once_and_start_opts_back_in(
    home: Path, clock: FixedClock, tmp_path: Path
) -> None:
    with sandbox_app(home, clock, tmp_path / "sb") as (context, sandbox, _keys):
        services = context.services
        contact_id = ada(context)
        twilio = sandbox.controls("twilio")
        twilio.receive(ADA, "STOP")
        twilio.receive(ADA, "Start")
        twilio.receive(f"whatsapp:{ADA}", "Hello on WhatsApp")

        first = services.inbound.pull(clock.now())
        again = services.inbound.pull(clock.now())
        twilio.receive(ADA, "One more thing")
        third = services.inbound.pull(clock.now())

        assert (first.new, first.opted_out, first.opted_in) == (3, 1, 1)
        assert (again.new, third.new) == (0, 1)
        assert not services.threads.is_opted_out(Channel.SMS, ADA)  # STOP, then START
        bodies = [(m.channel, m.body) for m in services.threads.thread(contact_id)]
        assert sorted(bodies) == sorted([
            (Channel.SMS, "STOP"), (Channel.SMS, "Start"),
            (Channel.WHATSAPP, "Hello on WhatsApp"), (Channel.SMS, "One more thing"),
        ])  # fmt: skip
        assert services.threads.threads()[0].unread == 4
        with context.database.unit_of_work(read_only=True) as uow:
            marks = {name: uow.messages.mark(name) for name in ("twilio:sms", "twilio:whatsapp")}
        newest = max(m.at for m in services.threads.thread(contact_id))
        assert marks["twilio:sms"] == newest.isoformat()  # the next pull starts there
        assert marks["twilio:whatsapp"] is not None
        assert not services.threads.needs_whatsapp_template(contact_id)  # the window opened


def test_many_replies_are_followed_across_pages(
    home: Path, clock: FixedClock, tmp_path: Path
) -> None:
    with sandbox_app(home, clock, tmp_path / "sb") as (context, sandbox, _keys):
        for n in range(130):
            sandbox.controls("twilio").receive(f"+1555010{n:04d}", f"reply {n}")
        assert context.services.inbound.pull(clock.now()).new == 130
        rows = context.services.threads.threads(limit=1000)
        assert len(rows) == 130 and all(row.contact_id is None for row in rows)


def test_an_unknown_sender_is_kept_and_joins_the_contact_made_later(
    home: Path, clock: FixedClock, tmp_path: Path
) -> None:
    with sandbox_app(home, clock, tmp_path / "sb") as (context, sandbox, _keys):
        services = context.services
        sandbox.controls("twilio").receive("+6581234567", "Who am I?")
        services.inbound.pull(clock.now())
        assert [r.contact_id for r in services.threads.threads()] == [None]
        bob = services.contacts.create(Contact("Bob", "", "", phone="+65 8123 4567"))
        services.inbound.pull(clock.now())
        assert bob.id is not None
        assert [m.body for m in services.threads.thread(bob.id)] == ["Who am I?"]


def test_a_provider_failure_is_reported_and_the_next_pull_catches_up(
    home: Path, clock: FixedClock, tmp_path: Path
) -> None:
    with sandbox_app(home, clock, tmp_path / "sb") as (context, sandbox, _keys):
        services = context.services
        twilio = sandbox.controls("twilio")
        twilio.receive(ADA, "Hi")
        twilio.fail_next(FaultKind.UNAVAILABLE, methods={"GET"})
        failed = services.inbound.pull(clock.now())
        assert failed.new == 0 and failed.problems and "Twilio" in failed.problems[0]
        assert services.inbound.pull(clock.now()).new == 1


def test_the_periodic_job_pulls_replies(home: Path, clock: FixedClock, tmp_path: Path) -> None:
    from leadcartel_desktop.ui.periodic_sync import run_periodic

    with sandbox_app(home, clock, tmp_path / "sb") as (context, sandbox, _keys):
        ada(context)
        sandbox.controls("twilio").receive(ADA, "Quit")
        run = run_periodic(context.services, clock.now())
        assert run.problems == ()
        assert context.services.threads.is_opted_out(Channel.SMS, ADA)


def test_cloud_conversations_are_pulled_incrementally(
    home: Path, clock: FixedClock, tmp_path: Path
) -> None:
    with sandbox_app(home, clock, tmp_path / "sb") as (context, sandbox, _keys):
        services = context.services
        settings = services.providers.settings()
        cloud = ProviderKind.CLOUD
        services.providers.save(replace(settings, sms=cloud, whatsapp=cloud, email=cloud))
        services.providers.save_secret(SecretName.CLOUD_TOKEN, sandbox.credentials.cloud_token)
        contact_id = ada(context)
        services.threads.compose(contact_id, Channel.EMAIL, "Your invoice", "Invoice INV-1")
        services.outbox.process_due(clock.now())  # an outbound message in the conversation
        inbox = sandbox.controls("cloud")
        inbox.receive(ADA, "stop", kind="SMS")
        inbox.receive("ada@example.com", "Thanks, paid.", kind="Email", subject="Re: Invoice")

        first = services.inbound.pull(clock.now())
        again = services.inbound.pull(clock.now())
        inbox.receive(ADA, "Hi on WhatsApp", kind="WhatsApp")
        third = services.inbound.pull(clock.now())

        assert (first.new, first.opted_out, again.new, third.new) == (2, 1, 0, 1)
        assert services.threads.is_opted_out(Channel.SMS, ADA)
        thread = services.threads.thread(contact_id)
        assert (thread[0].direction, thread[0].channel) == (Direction.OUT, Channel.EMAIL)
        assert thread[0].status is MessageStatus.SENT
        # Two conversations (the cloud's contact for the email has no phone): replies from both,
        # the WhatsApp one pulled last; the first two may share a millisecond.
        replies = {(m.direction, m.channel): m for m in thread[1:3]}
        assert set(replies) == {(Direction.IN, Channel.SMS), (Direction.IN, Channel.EMAIL)}
        email = replies[(Direction.IN, Channel.EMAIL)]
        assert email.subject == "Re: Invoice" and email.body == "Thanks, paid."
        assert (thread[3].direction, thread[3].channel) == (Direction.IN, Channel.WHATSAPP)
        assert len(thread) == 4


def test_more_conversations_than_one_page_are_all_pulled(
    home: Path, clock: FixedClock, tmp_path: Path
) -> None:
    with sandbox_app(home, clock, tmp_path / "sb") as (context, sandbox, _keys):
        services = context.services
        settings = services.providers.settings()
        services.providers.save(replace(settings, sms=ProviderKind.CLOUD))
        services.providers.save_secret(SecretName.CLOUD_TOKEN, sandbox.credentials.cloud_token)
        inbox = sandbox.controls("cloud")
        phones = [f"+659100{n:04d}" for n in range(105)]  # a campaign's worth of STOP replies
        for phone in phones:
            inbox.receive(phone, "STOP", kind="SMS")

        pulled = services.inbound.pull(clock.now())

        assert (pulled.new, pulled.opted_out, pulled.problems) == (105, 105, ())
        assert all(services.threads.is_opted_out(Channel.SMS, phone) for phone in phones)


def test_an_email_unsubscribe_by_subject_or_first_line_opts_out_of_email(
    home: Path, clock: FixedClock, tmp_path: Path
) -> None:
    with sandbox_app(home, clock, tmp_path / "sb") as (context, sandbox, _keys):
        services = context.services
        settings = services.providers.settings()
        services.providers.save(replace(settings, email=ProviderKind.CLOUD))
        services.providers.save_secret(SecretName.CLOUD_TOKEN, sandbox.credentials.cloud_token)
        inbox = sandbox.controls("cloud")
        # The List-Unsubscribe mailto link: the subject says it, the body is empty.
        inbox.receive("ann@example.com", "", kind="Email", subject="unsubscribe")
        # A reply: the word on its own first line, the campaign quoted below.
        quoted = "Unsubscribe\n\nOn Tue, Acme Shop wrote:\n> Spring sale starts today"
        inbox.receive("bob@example.com", quoted, kind="Email", subject="Re: Spring sale")
        inbox.receive("cy@example.com", "Please stop by on Tuesday", kind="Email", subject="Hi")

        pulled = services.inbound.pull(clock.now())

        assert (pulled.new, pulled.opted_out) == (3, 2)
        assert services.threads.is_opted_out(Channel.EMAIL, "ann@example.com")
        assert services.threads.is_opted_out(Channel.EMAIL, "bob@example.com")
        assert not services.threads.is_opted_out(Channel.EMAIL, "cy@example.com")
