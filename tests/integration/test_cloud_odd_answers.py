"""A cloud answering 200 with JSON of another shape: told plainly, never a traceback."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from leadcartel_desktop.domain.errors import UserFacingError
from leadcartel_desktop.domain.outbox import Channel, OutboxState, OutcomeKind
from leadcartel_desktop.domain.providers import ProviderKind, ProviderSettings, SecretName
from leadcartel_desktop.providers.cloud import CloudError
from leadcartel_desktop.providers.cloud_messages import CloudMessageProvider
from leadcartel_desktop.providers.factory import DefaultProviderFactory
from leadcartel_desktop.sandbox import Sandbox
from leadcartel_desktop.services.send_invoice import DEFAULT_TEMPLATES
from tests.conftest import FixedClock
from tests.integration.provider_support import (
    answering,
    factory,
    row,
    sandbox_secrets,
    sandbox_settings,
)
from tests.integration.send_support import draft_for_ada, sandbox_app

T = DEFAULT_TEMPLATES
TEXTS = {"subject": T.subject, "message": T.message, "sms_message": T.sms_message}
NUMBER = "+6591234567"
UNREADABLE = "could not be read"


def on(settings: ProviderSettings, url: str) -> ProviderSettings:
    return replace(settings, cloud=replace(settings.cloud, base_url=url))


# Send invoice: the documented fallback (the email with the PDF and payment instructions) -----


@pytest.mark.parametrize(
    "body",
    [b"{}", b'{"contact": null}', b'{"contact": {"id": ""}}', b'{"contact": "c1"}', b"[]", b'"ok"'],
)
def test_send_with_an_unreadable_cloud_issues_and_emails_the_pdf_instead(
    home: Path, clock: FixedClock, tmp_path: Path, body: bytes
) -> None:
    with (
        sandbox_app(home, clock, tmp_path / "sb") as (context, sandbox, _keys),
        answering(body) as url,
    ):
        services = context.services
        services.providers.save(on(sandbox_settings(sandbox), url))  # email over SMTP
        services.providers.save_secret(SecretName.CLOUD_TOKEN, sandbox.credentials.cloud_token)
        invoice_id = draft_for_ada(services)

        result = services.send_invoice.send(invoice_id, [Channel.EMAIL], **TEXTS, send_key="k1")

        assert result.invoice.number and not result.invoice.is_draft
        assert "could not be created in the cloud" in result.note
        assert "the email carries the PDF and your payment instructions" in result.note
        assert UNREADABLE in result.note
        (queued,) = services.outbox.for_invoice(invoice_id)
        assert "Payment instructions:" in str(queued.payload["body"])
        assert queued.payload["attachments"]
        services.outbox.process_due(clock.now())
        assert services.outbox.get(queued.id).state is OutboxState.SENT
        assert len(sandbox.received("smtp")) == 1
        # A later press tells the same, rather than failing the same way every time.
        again = services.send_invoice.send(invoice_id, [Channel.EMAIL], **TEXTS, send_key="k2")
        assert UNREADABLE in again.note
        assert again.invoice.number == result.invoice.number


# The Test button -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [b"[]", b"{}", b'{"location": "x"}', b'{"location": null}', b'{"location": {"id": "x"}}'],
)
def test_the_cloud_test_button_says_the_answer_could_not_be_read(
    home: Path, clock: FixedClock, tmp_path: Path, body: bytes
) -> None:
    with (
        sandbox_app(home, clock, tmp_path / "sb") as (context, sandbox, _keys),
        answering(body) as url,
    ):
        services = context.services
        settings = on(sandbox_settings(sandbox), url)
        services.providers.save(settings)
        services.providers.save_secret(SecretName.CLOUD_TOKEN, sandbox.credentials.cloud_token)
        with pytest.raises(UserFacingError, match=UNREADABLE):
            services.providers.test(Channel.CLOUD, settings)


# The adapter: every odd answer becomes an outcome the outbox knows ------------------------


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    with Sandbox(tmp_path_factory.mktemp("sandbox")) as running:
        yield running


@pytest.fixture
def providers() -> Iterator[DefaultProviderFactory]:
    built = factory()
    yield built
    built.close()


def sms_provider(
    sandbox: Sandbox, providers: DefaultProviderFactory, url: str
) -> CloudMessageProvider:
    settings = on(sandbox_settings(sandbox, sms=ProviderKind.CLOUD), url)
    provider = providers.provider_for(Channel.SMS, settings, sandbox_secrets(sandbox))
    assert isinstance(provider, CloudMessageProvider)
    return provider


@pytest.mark.parametrize("body", [b"{}", b"[]", b'{"messageId": null}', b'{"messageId": {}}'])
def test_a_message_answer_without_its_id_is_ambiguous(
    sandbox: Sandbox, providers: DefaultProviderFactory, body: bytes
) -> None:
    with answering(body) as url:
        message = row(Channel.SMS, NUMBER, {"body": "Hi", "cloud_contact_id": "c1"})
        outcome = sms_provider(sandbox, providers, url).send(message)
    # The cloud said 200: the message may have gone, so it is checked before any resend.
    assert outcome.kind is OutcomeKind.AMBIGUOUS
    assert UNREADABLE in outcome.message


@pytest.mark.parametrize("body", [b"{}", b"[]", b'{"contact": null}', b'{"contact": []}'])
def test_an_unreadable_contact_upsert_is_retried(
    sandbox: Sandbox, providers: DefaultProviderFactory, body: bytes
) -> None:
    with answering(body) as url:
        message = row(Channel.SMS, NUMBER, {"body": "Hi", "contact": {"first_name": "Ann"}})
        outcome = sms_provider(sandbox, providers, url).send(message)
    assert outcome.kind is OutcomeKind.RETRY  # no message went: the upsert repeats safely
    assert UNREADABLE in outcome.message


@pytest.mark.parametrize(
    "body", [b"[]", b'{"conversations": [{}]}', b'{"conversations": {"id": "x"}}']
)
def test_reconciling_against_an_unreadable_listing_waits(
    sandbox: Sandbox, providers: DefaultProviderFactory, body: bytes
) -> None:
    with answering(body) as url:
        message = row(Channel.SMS, NUMBER, {"body": "Hi", "cloud_contact_id": "c1"})
        found = sms_provider(sandbox, providers, url).reconcile(message)
    assert found is not None and found.kind is OutcomeKind.AMBIGUOUS
    assert "Cannot check with the cloud yet" in found.message and UNREADABLE in found.message


@pytest.mark.parametrize("body", [b"[]", b'{"message": "x"}', b'"sent"'])
def test_an_unreadable_message_status_is_a_cloud_error(
    sandbox: Sandbox, providers: DefaultProviderFactory, body: bytes
) -> None:
    with answering(body) as url:
        client = providers.cloud_client(
            on(sandbox_settings(sandbox), url), sandbox_secrets(sandbox)
        )
        with pytest.raises(CloudError, match=UNREADABLE):
            client.get_message("m1")
