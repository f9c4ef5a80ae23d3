"""The Twilio adapter against the sandbox's Twilio server: each outcome classified, no mocks."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest

from leadcartel_desktop.domain.errors import UserFacingError
from leadcartel_desktop.domain.outbox import Channel, OutcomeKind
from leadcartel_desktop.domain.providers import ProviderKind, ProviderSettings, TwilioSettings
from leadcartel_desktop.providers.factory import DefaultProviderFactory
from leadcartel_desktop.providers.twilio import TwilioProvider
from leadcartel_desktop.sandbox import FaultKind, Sandbox
from tests.conftest import FixedClock
from tests.integration.provider_support import (
    HOLD_SECONDS,
    DictSecrets,
    factory,
    free_port,
    login_page_server,
    row,
    sandbox_secrets,
    sandbox_settings,
)

NUMBER = "+6591234567"


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    with Sandbox(tmp_path_factory.mktemp("sandbox")) as running:
        yield running


@pytest.fixture(autouse=True)
def clean(sandbox: Sandbox) -> None:
    sandbox.reset()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime.now(UTC))


@pytest.fixture
def providers(clock: FixedClock) -> Iterator[DefaultProviderFactory]:
    built = factory(clock)
    yield built
    built.close()


def sms(sandbox: Sandbox, providers: DefaultProviderFactory, **changes: str) -> TwilioProvider:
    settings = sandbox_settings(sandbox)
    settings = replace(settings, twilio=replace(settings.twilio, **changes))
    provider = providers.provider_for(Channel.SMS, settings, sandbox_secrets(sandbox))
    assert isinstance(provider, TwilioProvider)
    return provider


def held(sandbox: Sandbox) -> list[dict[str, object]]:
    return [item.data for item in sandbox.received("twilio")]


def test_an_sms_is_accepted_with_twilios_sid(sandbox: Sandbox, providers: DefaultProviderFactory):
    outcome = sms(sandbox, providers).send(row(Channel.SMS, NUMBER, {"body": "Invoice INV-1"}))
    assert outcome.kind is OutcomeKind.ACCEPTED
    assert outcome.provider_status == "queued"
    (message,) = held(sandbox)
    assert message["sid"] == outcome.provider_id
    assert (message["to"], message["from"], message["body"]) == (
        NUMBER,
        sandbox.credentials.twilio_from,
        "Invoice INV-1",
    )


def test_whatsapp_uses_whatsapp_addresses_on_both_ends(
    sandbox: Sandbox, providers: DefaultProviderFactory
):
    provider = providers.provider_for(
        Channel.WHATSAPP, sandbox_settings(sandbox), sandbox_secrets(sandbox)
    )
    outcome = provider.send(row(Channel.WHATSAPP, NUMBER, {"body": "Hello"}))
    assert outcome.kind is OutcomeKind.ACCEPTED
    (message,) = sandbox.received("twilio", "whatsapp")
    assert message.data["to"] == f"whatsapp:{NUMBER}"
    assert message.data["from"] == f"whatsapp:{sandbox.credentials.whatsapp_from}"


def test_a_messaging_service_replaces_the_from_number(
    sandbox: Sandbox, providers: DefaultProviderFactory
):
    service = "MG" + "0" * 32
    provider = sms(sandbox, providers, messaging_service_sid=service)
    assert provider.send(row(Channel.SMS, NUMBER, {"body": "Hi"})).kind is OutcomeKind.ACCEPTED
    (message,) = held(sandbox)
    assert message["messaging_service_sid"] == service


def test_a_500_is_ambiguous_and_the_server_kept_nothing(
    sandbox: Sandbox, providers: DefaultProviderFactory
):
    sandbox.controls("twilio").fail_next(FaultKind.SERVER_ERROR)
    outcome = sms(sandbox, providers).send(row(Channel.SMS, NUMBER, {"body": "Hi"}))
    assert outcome.kind is OutcomeKind.AMBIGUOUS
    assert "500" in outcome.message
    assert held(sandbox) == []


@pytest.mark.parametrize("kind", [FaultKind.UNAVAILABLE])
def test_a_503_is_retried(sandbox: Sandbox, providers: DefaultProviderFactory, kind: FaultKind):
    sandbox.controls("twilio").fail_next(kind)
    outcome = sms(sandbox, providers).send(row(Channel.SMS, NUMBER, {"body": "Hi"}))
    assert outcome.kind is OutcomeKind.RETRY
    assert held(sandbox) == []


def test_429_with_retry_after_in_seconds(sandbox: Sandbox, providers: DefaultProviderFactory):
    sandbox.controls("twilio").fail_next(FaultKind.RATE_LIMIT, retry_after="2")
    outcome = sms(sandbox, providers).send(row(Channel.SMS, NUMBER, {"body": "Hi"}))
    assert outcome.kind is OutcomeKind.RETRY
    assert outcome.retry_after_seconds == 2
    assert held(sandbox) == []


def test_429_with_retry_after_as_an_http_date(
    sandbox: Sandbox, providers: DefaultProviderFactory, clock: FixedClock
):
    later = (clock.now() + timedelta(seconds=90)).replace(microsecond=0)
    sandbox.controls("twilio").fail_next(
        FaultKind.RATE_LIMIT, retry_after=format_datetime(later, usegmt=True)
    )
    outcome = sms(sandbox, providers).send(row(Channel.SMS, NUMBER, {"body": "Hi"}))
    assert outcome.kind is OutcomeKind.RETRY
    assert outcome.retry_after_seconds == 90  # measured against the injected clock


def test_accepted_then_timed_out_is_ambiguous_and_reconcile_finds_it(
    sandbox: Sandbox, providers: DefaultProviderFactory
):
    sandbox.controls("twilio").fail_next(FaultKind.ACCEPT_THEN_TIMEOUT, hold_seconds=HOLD_SECONDS)
    provider = sms(sandbox, providers)
    message = row(Channel.SMS, NUMBER, {"body": "Invoice INV-7 is due"})
    assert provider.send(message).kind is OutcomeKind.AMBIGUOUS
    found = provider.reconcile(message)
    assert found is not None and found.kind is OutcomeKind.ACCEPTED
    (kept,) = held(sandbox)  # exactly one message, and it is the one reconcile names
    assert found.provider_id == kept["sid"]


def test_reconcile_says_absent_when_twilio_has_no_such_message(
    sandbox: Sandbox, providers: DefaultProviderFactory
):
    provider = sms(sandbox, providers)
    provider.send(row(Channel.SMS, NUMBER, {"body": "Another text"}))
    assert provider.reconcile(row(Channel.SMS, NUMBER, {"body": "Never sent"})) is None


def test_reconcile_ignores_the_same_text_sent_before_the_row_existed(
    sandbox: Sandbox, providers: DefaultProviderFactory
):
    provider = sms(sandbox, providers)
    provider.send(row(Channel.SMS, NUMBER, {"body": "Your reminder"}))
    tomorrow = datetime.now(UTC) + timedelta(days=1)
    later_row = row(Channel.SMS, NUMBER, {"body": "Your reminder"}, created_at=tomorrow)
    assert provider.reconcile(later_row) is None


@pytest.mark.parametrize("natural", [True, False], ids=["invalid-number", "fault"])
def test_21211_is_permanent_and_names_the_bad_number(
    sandbox: Sandbox, providers: DefaultProviderFactory, natural: bool
):
    number = "+12" if natural else NUMBER
    if not natural:
        sandbox.controls("twilio").fail_next(FaultKind.INVALID_NUMBER)
    outcome = sms(sandbox, providers).send(row(Channel.SMS, number, {"body": "Hi"}))
    assert outcome.kind is OutcomeKind.PERMANENT
    assert outcome.code == "21211"
    assert number in outcome.message
    assert not outcome.opted_out


def test_21610_is_permanent_and_says_opted_out(sandbox: Sandbox, providers: DefaultProviderFactory):
    sandbox.controls("twilio").fail_next(FaultKind.UNSUBSCRIBED)
    outcome = sms(sandbox, providers).send(row(Channel.SMS, NUMBER, {"body": "Hi"}))
    assert (outcome.kind, outcome.code, outcome.opted_out) == (OutcomeKind.PERMANENT, "21610", True)
    assert NUMBER in outcome.message


def test_wrong_credentials_get_their_own_message(
    sandbox: Sandbox, providers: DefaultProviderFactory
):
    secrets = sandbox_secrets(sandbox)
    secrets.values["twilio_auth_token"] = "not-the-token"
    provider = providers.provider_for(Channel.SMS, sandbox_settings(sandbox), secrets)
    outcome = provider.send(row(Channel.SMS, NUMBER, {"body": "Hi"}))
    assert outcome.kind is OutcomeKind.CREDENTIALS  # the account, not the message
    assert "refused the credentials" in outcome.message
    with pytest.raises(UserFacingError, match="refused the credentials"):
        provider.check()
    sandbox.controls("twilio").fail_next(FaultKind.UNAUTHORIZED)  # the sandbox's own 401
    outcome = sms(sandbox, providers).send(row(Channel.SMS, NUMBER, {"body": "Hi"}))
    assert "refused the credentials" in outcome.message


def test_no_server_listening_is_retried_with_a_no_network_message(
    sandbox: Sandbox, providers: DefaultProviderFactory
):
    provider = sms(sandbox, providers, base_url=f"https://127.0.0.1:{free_port()}")
    outcome = provider.send(row(Channel.SMS, NUMBER, {"body": "Hi"}))
    assert outcome.kind is OutcomeKind.RETRY
    assert outcome.message.startswith("Cannot reach Twilio")
    assert "no network connection" in outcome.message
    with pytest.raises(UserFacingError, match="Cannot reach Twilio"):
        provider.check()


def test_an_unknown_host_is_retried_as_no_network(
    sandbox: Sandbox, providers: DefaultProviderFactory
):
    provider = sms(sandbox, providers, base_url="https://no-such-host.invalid")
    outcome = provider.send(row(Channel.SMS, NUMBER, {"body": "Hi"}))
    assert outcome.kind is OutcomeKind.RETRY
    assert "Cannot reach Twilio" in outcome.message


def test_a_self_signed_certificate_is_refused(tmp_path: Path, providers: DefaultProviderFactory):
    with Sandbox(tmp_path / "untrusted", untrusted=True) as untrusted:
        provider = providers.provider_for(
            Channel.SMS, sandbox_settings(untrusted), sandbox_secrets(untrusted)
        )
        outcome = provider.send(row(Channel.SMS, NUMBER, {"body": "Hi"}))
        assert outcome.kind is OutcomeKind.PERMANENT
        assert outcome.code == "tls"
        assert "the server's certificate is not trusted" in outcome.message.lower()
        with pytest.raises(UserFacingError, match="certificate is not trusted"):
            provider.check()
        assert untrusted.received() == []


def test_check_names_the_account_and_status_follows_the_message(
    sandbox: Sandbox, providers: DefaultProviderFactory
):
    provider = sms(sandbox, providers)
    assert provider.check() == "Connected to Twilio account 'Lead Cartel sandbox'."
    sid = provider.send(row(Channel.SMS, NUMBER, {"body": "Hi"})).provider_id
    assert provider.status(sid) == "delivered"


def test_check_without_a_sender_says_what_is_missing(
    sandbox: Sandbox, providers: DefaultProviderFactory
):
    provider = sms(sandbox, providers, from_number="")
    with pytest.raises(UserFacingError, match="no from number"):
        provider.check()
    outcome = provider.send(row(Channel.SMS, NUMBER, {"body": "Hi"}))
    assert (outcome.kind, outcome.code) == (OutcomeKind.PERMANENT, "config")


def test_connections_are_reused_between_sends(sandbox: Sandbox, providers: DefaultProviderFactory):
    provider = sms(sandbox, providers)
    for number in range(5):
        provider.send(row(Channel.SMS, NUMBER, {"body": f"Text {number}"}))
    assert provider is sms(sandbox, providers)  # the factory hands back the same adapter
    pool = provider.http.session.get_adapter(sandbox.twilio_url).poolmanager.pools
    assert len(pool.keys()) == 1


def test_an_http_address_is_refused_unless_it_is_loopback():
    settings = TwilioSettings(account_sid="AC1", from_number="+15005550006",
                              base_url="http://api.twilio.com")  # fmt: skip
    with pytest.raises(UserFacingError, match="must start with https://"):
        DefaultProviderFactory().provider_for(
            Channel.SMS,
            ProviderSettings(sms=ProviderKind.TWILIO, twilio=settings),
            DictSecrets({"twilio_auth_token": "x"}),
        )


@pytest.fixture
def login_page() -> Iterator[str]:
    with login_page_server() as url:
        yield url


def test_an_answer_that_is_not_twilios_is_told_plainly(
    sandbox: Sandbox, providers: DefaultProviderFactory, login_page: str
):
    provider = sms(sandbox, providers, base_url=login_page)
    with pytest.raises(UserFacingError, match="could not be read") as told:
        provider.check()
    assert "login page" in told.value.message
    outcome = provider.send(row(Channel.SMS, NUMBER, {"body": "Invoice INV-1"}))
    assert outcome.kind is OutcomeKind.AMBIGUOUS  # a 200 it cannot read: checked before resend
    assert "could not be read" in outcome.message
