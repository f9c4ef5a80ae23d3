"""Campaigns through the real adapters to the sandbox servers: a crash mid-send, email headers."""

from __future__ import annotations

from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest

from leadcartel_desktop.app import build_context
from leadcartel_desktop.domain.errors import ConflictError
from leadcartel_desktop.domain.outbox import Channel, OutboxState
from leadcartel_desktop.sandbox import Sandbox
from leadcartel_desktop.services.sending import SendingPorts
from tests.conftest import FixedClock
from tests.integration.campaign_support import add_contact, save_business, text_draft
from tests.integration.outbox_support import Switch, advance
from tests.integration.provider_support import factory, sandbox_secrets, sandbox_settings
from tests.integration.sandbox_support import (
    MemoryKeyring,
    bodies,
    clock_at_real_time,
    open_app,
    twilio_settings,
)

PHONES = ("+6591234561", "+6591234562", "+6591234563")
WAIT = 30.0


def daytime_zone(clock: FixedClock) -> str:
    """A fixed-offset zone where it is about noon now (the test runs at any hour)."""
    offset = (12 - clock.now().hour) % 24
    offset = offset - 24 if offset > 12 else offset
    return f"Etc/GMT{-offset:+d}"  # POSIX signs: Etc/GMT-3 is three hours ahead of UTC


def test_provider_times_out_on_the_third_then_a_crash_each_contact_has_one_message(
    home: Path, sandbox: Sandbox, keychain: MemoryKeyring
) -> None:
    clock = clock_at_real_time()
    token = sandbox.credentials.twilio_auth_token
    app = open_app(home, clock, Switch(), twilio_settings(sandbox), token)
    try:
        services = app.services
        contacts = tuple(add_contact(services, f"Guest{n}", phone) for n, phone in
                         enumerate(PHONES))  # fmt: skip
        for contact_id in contacts:
            services.contact_tags.set_time_zone(contact_id, daytime_zone(clock))
        campaign_id = services.campaigns.save_draft(text_draft(contacts, per_minute=60))
        services.campaigns.launch(campaign_id)
        assert services.outbox.process_due(clock.now()) == 1
        advance(clock, 1)
        assert services.outbox.process_due(clock.now()) == 1
        advance(clock, 1)
        sandbox.controls("twilio").fail_next("accept_then_timeout", hold_seconds=3)
        (third,) = services.outbox.claim(clock.now(), 10)  # left sending by the "crash"
        outcome = services.provider_cache.provider(Channel.SMS).send(third)
        assert outcome.kind.value == "ambiguous"  # the provider kept it; the answer was lost
    finally:
        app.close()  # killed: the outcome is never recorded
    restarted = open_app(home, clock, Switch(), twilio_settings(sandbox), token)
    try:
        assert restarted.services.outbox.recover_after_crash(clock.now()) == 1
        advance(clock, 3600)
        assert restarted.start_sending().wait_settled(WAIT)
        with pytest.raises(ConflictError):
            restarted.services.campaigns.launch(campaign_id)
        received = sandbox.received("twilio")
        assert sorted(item.data["to"] for item in received) == list(PHONES)
        assert sorted(bodies(sandbox)) == [f"Hi Guest{n}, spring sale at !" for n in range(3)]
        statuses = restarted.services.campaigns.recipients(campaign_id)
        assert [status.state for status in statuses] == [OutboxState.SENT] * 3
        progress = restarted.services.campaigns.progress(campaign_id)
        assert (progress.sent, progress.queued) == (3, 0)
    finally:
        restarted.close()


def parsed(raw: bytes) -> EmailMessage:
    message = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(message, EmailMessage)
    return message


def test_an_email_campaign_arrives_with_its_footer_and_unsubscribe_headers(
    home: Path, sandbox: Sandbox, clock: FixedClock
) -> None:
    ports = SendingPorts(factory(clock), sandbox_secrets(sandbox), Switch())
    context: Any = build_context(home, clock, ports)
    try:
        services = context.services
        services.providers.save(sandbox_settings(sandbox))
        save_business(
            services,
            company_name="Zoë's <Shop>",
            unsubscribe_url="https://shop.example/unsubscribe?e={email}",
        )
        ann = add_contact(services, "<b>Ann</b>", "", "ann@example.com")
        draft = text_draft(
            (ann,),
            channel=Channel.EMAIL,
            subject="News for {first_name}",
            body="Dear {first_name},\n\nOur spring sale starts today at {business_name}.",
        )
        campaign_id = services.campaigns.save_draft(draft)
        services.campaigns.launch(campaign_id)
        assert services.outbox.process_due(clock.now()) == 1
        assert services.campaigns.progress(campaign_id).sent == 1
        (raw,) = sandbox.smtp.raw_messages()
    finally:
        context.close()
    message = parsed(raw)
    assert message["Subject"] == "News for <b>Ann</b>"
    assert message["List-Unsubscribe"] == (
        "<mailto:hello@shop.example?subject=unsubscribe>, "
        "<https://shop.example/unsubscribe?e=ann%40example.com>"
    )
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    plain = message.get_body(("plain",))
    assert plain is not None
    text = plain.get_content()
    assert "Dear <b>Ann</b>," in text
    for line in ("Zoë's <Shop>", "1 Main St", "12345 Springfield", 'reply with "unsubscribe"'):
        assert line in text
    html_part = message.get_body(("html",))
    assert html_part is not None
    html = html_part.get_content()
    assert "Dear &lt;b&gt;Ann&lt;/b&gt;," in html and "<b>Ann</b>" not in html
    assert "Zoë&#x27;s &lt;Shop&gt;" in html
    assert 'href="https://shop.example/unsubscribe?e=ann%40example.com"' in html
