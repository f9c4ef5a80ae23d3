"""Delivery receipts against the sandbox: sent texts become delivered, or failed with a hint."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from leadcartel_desktop.app import AppContext
from leadcartel_desktop.domain.outbox import Channel, OutboxMessage, OutboxState
from leadcartel_desktop.domain.providers import ProviderKind, SecretName
from leadcartel_desktop.services.thread_views import MessageStatus
from tests.conftest import FixedClock
from tests.integration.send_support import sandbox_app
from tests.integration.thread_support import ada


def _two_texts_sent(
    context: AppContext, clock: FixedClock
) -> tuple[int, int, dict[str, OutboxMessage]]:
    """Ada's and Bob's contact ids, and the two texts sent to them by number."""
    services = context.services
    reached = ada(context)
    unreachable = ada(context, phone="+6598765432", email="bob@example.com")
    services.threads.compose(reached, Channel.SMS, "Your invoice is ready")
    services.threads.compose(unreachable, Channel.SMS, "Your invoice is ready")
    assert services.outbox.process_due(clock.now()) == 2
    sent = {m.recipient: m for m in services.outbox.in_state(OutboxState.SENT)}
    return reached, unreachable, sent


def test_texts_the_carrier_delivered_or_refused_are_settled_once(
    home: Path, clock: FixedClock, tmp_path: Path
) -> None:
    with sandbox_app(home, clock, tmp_path / "sb") as (context, sandbox, _keys):
        services = context.services
        reached, unreachable, sent = _two_texts_sent(context, clock)
        sandbox.twilio.set_status(sent["+6591234567"].provider_id, "delivered")
        sandbox.twilio.set_status(sent["+6598765432"].provider_id, "undelivered", 30003)

        first = services.delivery_receipts.pull(clock.now())
        again = services.delivery_receipts.pull(clock.now())

        assert (first.delivered, first.failed, first.problems) == (1, 1, ())
        assert (again.delivered, again.failed) == (0, 0)  # settled rows are not asked again
        (ok,) = services.threads.thread(reached)
        assert ok.status is MessageStatus.DELIVERED
        (bad,) = services.threads.thread(unreachable)
        assert bad.status is MessageStatus.FAILED and bad.error_code == "30003"
        assert "did not deliver" in bad.error and "out of coverage" in bad.hint


def test_texts_still_on_their_way_stay_sent(home: Path, clock: FixedClock, tmp_path: Path) -> None:
    with sandbox_app(home, clock, tmp_path / "sb") as (context, sandbox, _keys):
        services = context.services
        contact_id = ada(context)
        services.threads.compose(contact_id, Channel.SMS, "On its way")
        services.outbox.process_due(clock.now())
        (row,) = services.outbox.in_state(OutboxState.SENT)
        sandbox.twilio.set_status(row.provider_id, "sending")

        pulled = services.delivery_receipts.pull(clock.now())

        assert (pulled.delivered, pulled.failed) == (0, 0)
        assert services.threads.thread(contact_id)[0].status is MessageStatus.SENT


def test_nothing_is_asked_without_recent_texts_or_when_twilio_cannot_answer(
    home: Path, clock: FixedClock, tmp_path: Path
) -> None:
    with sandbox_app(home, clock, tmp_path / "sb") as (context, sandbox, _keys):
        services = context.services
        contact_id = ada(context)
        assert services.delivery_receipts.pull(clock.now()).problems == ()  # nothing sent yet
        services.threads.compose(contact_id, Channel.SMS, "Hello")
        services.outbox.process_due(clock.now())
        sandbox.twilio.auth_token = "changed on the website"  # any question would be refused

        later = services.delivery_receipts.pull(clock.now() + timedelta(days=4))
        assert (later.delivered, later.failed, later.problems) == (0, 0, ())  # too old to ask

        refused = services.delivery_receipts.pull(clock.now())
        assert refused.delivered == 0 and len(refused.problems) == 1
        assert refused.problems[0].startswith("Delivery receipts from Twilio:")
        assert services.threads.thread(contact_id)[0].status is MessageStatus.SENT


def test_texts_through_the_cloud_account_get_their_receipts(
    home: Path, clock: FixedClock, tmp_path: Path
) -> None:
    with sandbox_app(home, clock, tmp_path / "sb") as (context, sandbox, _keys):
        services = context.services
        services.providers.save(replace(services.providers.settings(), sms=ProviderKind.CLOUD))
        services.providers.save_secret(SecretName.CLOUD_TOKEN, sandbox.credentials.cloud_token)
        reached, unreachable, sent = _two_texts_sent(context, clock)
        failed = sandbox.cloud.messages[sent["+6598765432"].provider_id]
        failed.update(status="failed", error="Carrier rejected the number")

        pulled = services.delivery_receipts.pull(clock.now())

        assert (pulled.delivered, pulled.failed, pulled.problems) == (1, 1, ())
        assert services.threads.thread(reached)[0].status is MessageStatus.DELIVERED
        (bad,) = services.threads.thread(unreachable)
        assert (bad.status, bad.error_code) == (MessageStatus.FAILED, "failed")
        assert bad.error.endswith("Carrier rejected the number")


def test_a_network_login_page_is_a_problem_reported_not_a_crash(
    home: Path, clock: FixedClock, tmp_path: Path
) -> None:
    from tests.integration.provider_support import login_page_server

    with sandbox_app(home, clock, tmp_path / "sb") as (context, _sandbox, _keys):
        services = context.services
        _reached, _unreachable, _sent = _two_texts_sent(context, clock)
        with login_page_server() as portal:
            settings = services.providers.settings()
            services.providers.save(
                replace(settings, twilio=replace(settings.twilio, base_url=portal))
            )
            pulled = services.delivery_receipts.pull(clock.now())
        assert (pulled.delivered, pulled.failed) == (0, 0)
        (problem,) = pulled.problems
        assert problem.startswith("Delivery receipts from Twilio:")
        assert "could not be read" in problem
        assert services.outbox.counts()[OutboxState.SENT] == 2


def test_texts_the_cloud_never_settles_do_not_hold_back_the_others(
    home: Path, clock: FixedClock, tmp_path: Path, monkeypatch: Any
) -> None:
    from leadcartel_desktop.providers import cloud_receipts

    monkeypatch.setattr(cloud_receipts, "MAX_PER_PULL", 1)  # one question a pull, of 3 texts
    with sandbox_app(home, clock, tmp_path / "sb") as (context, sandbox, _keys):
        services = context.services
        services.providers.save(replace(services.providers.settings(), sms=ProviderKind.CLOUD))
        services.providers.save_secret(SecretName.CLOUD_TOKEN, sandbox.credentials.cloud_token)
        _two_texts_sent(context, clock)
        later = ada(context, phone="+6590000001", email="cy@example.com")
        services.threads.compose(later, Channel.SMS, "Hello")
        services.outbox.process_due(clock.now())
        for message in sandbox.cloud.messages.values():
            message["status"] = "sent"  # a carrier that never reports delivery...
        (newest,) = [m for m in sandbox.cloud.messages.values() if m["to"] == "+6590000001"]
        newest["status"] = "delivered"  # ...except for the newest text

        for _ in range(40):
            services.delivery_receipts.pull(clock.now())
            if services.threads.thread(later)[0].status is MessageStatus.DELIVERED:
                break
        assert services.threads.thread(later)[0].status is MessageStatus.DELIVERED
