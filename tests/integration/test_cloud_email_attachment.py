"""An invoice email through the cloud carries the PDF: uploaded, then sent as its URL."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import pytest

from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.domain.outbox import Channel, OutboxMessage, OutboxState, OutcomeKind
from leadcartel_desktop.domain.providers import ProviderKind, SecretName
from leadcartel_desktop.providers.cloud_messages import CloudMessageProvider
from leadcartel_desktop.providers.factory import DefaultProviderFactory
from leadcartel_desktop.sandbox import FaultKind, Sandbox
from leadcartel_desktop.services.send_invoice import DEFAULT_TEMPLATES
from tests.conftest import FixedClock
from tests.integration.provider_support import (
    HOLD_SECONDS,
    factory,
    row,
    sandbox_secrets,
    sandbox_settings,
)
from tests.integration.send_support import draft_for_ada, sandbox_app

T = DEFAULT_TEMPLATES
TEXTS = {"subject": T.subject, "message": T.message, "sms_message": T.sms_message}
EMAIL = "ann@example.com"
CLOUD_LIMIT = 5_000_000  # HighLevel's upload takes files of up to 5 MB


def pdf_of(payload: dict[str, object]) -> tuple[str, bytes]:
    (attachment,) = payload["attachments"]  # type: ignore[misc]
    return attachment["filename"], base64.b64decode(attachment["data_base64"])


# Send invoice with email through the cloud -------------------------------------------------


def test_without_the_cloud_link_the_cloud_email_carries_the_pdf_it_promised(
    home: Path, clock: FixedClock, tmp_path: Path
) -> None:
    with sandbox_app(home, clock, tmp_path / "sb") as (context, sandbox, _keys):
        services = context.services
        services.providers.save(sandbox_settings(sandbox, email=ProviderKind.CLOUD))
        services.providers.save_secret(SecretName.CLOUD_TOKEN, sandbox.credentials.cloud_token)
        invoice_id = draft_for_ada(services)
        sandbox.controls("cloud").fail_next(FaultKind.UNAVAILABLE)  # the invoice is not made

        result = services.send_invoice.send(invoice_id, [Channel.EMAIL], **TEXTS, send_key="k")
        assert "the email carries the PDF and your payment instructions" in result.note
        services.outbox.process_due(clock.now())

        (queued,) = services.outbox.for_invoice(invoice_id)
        assert services.outbox.get(queued.id).state is OutboxState.SENT
        (email,) = sandbox.received("cloud", "email")
        assert "Please find attached invoice" in email.data["body"]
        assert "Payment instructions:" in email.data["body"]
        (url,) = email.data["attachments"]
        uploaded = sandbox.cloud.uploads[url]
        filename, pdf = pdf_of(queued.payload)
        assert (uploaded["filename"], uploaded["contentType"], uploaded["content"]) == (
            filename,
            "application/pdf",
            pdf,
        )
        assert pdf.startswith(b"%PDF") and uploaded["contactId"] == email.data["contactId"]


def test_with_the_cloud_link_the_cloud_email_carries_the_link_and_the_pdf(
    home: Path, clock: FixedClock, tmp_path: Path
) -> None:
    with sandbox_app(home, clock, tmp_path / "sb") as (context, sandbox, _keys):
        services = context.services
        services.providers.save(sandbox_settings(sandbox, email=ProviderKind.CLOUD))
        services.providers.save_secret(SecretName.CLOUD_TOKEN, sandbox.credentials.cloud_token)
        invoice_id = draft_for_ada(services)

        result = services.send_invoice.send(invoice_id, [Channel.EMAIL], **TEXTS, send_key="k")
        assert result.note == ""
        services.outbox.process_due(clock.now())

        link = services.send_invoice.review(invoice_id).values["payment_link"]
        (email,) = sandbox.received("cloud", "email")
        # "Please find attached" holds here too: the PDF goes with the link.
        assert "Please find attached invoice" in email.data["body"]
        assert f"Pay online: {link}" in email.data["body"]
        (url,) = email.data["attachments"]
        (queued,) = services.outbox.for_invoice(invoice_id)
        assert sandbox.cloud.uploads[url]["content"] == pdf_of(queued.payload)[1]


# The adapter ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    with Sandbox(tmp_path_factory.mktemp("sandbox")) as running:
        yield running


@pytest.fixture(autouse=True)
def clean(request: pytest.FixtureRequest) -> None:
    """The adapter tests share one sandbox; the Send invoice tests start their own."""
    if "providers" in request.fixturenames:
        request.getfixturevalue("sandbox").reset()


@pytest.fixture
def providers() -> Iterator[DefaultProviderFactory]:
    built = factory()
    yield built
    built.close()


def email_provider(sandbox: Sandbox, providers: DefaultProviderFactory) -> CloudMessageProvider:
    settings = sandbox_settings(sandbox, email=ProviderKind.CLOUD)
    provider = providers.provider_for(Channel.EMAIL, settings, sandbox_secrets(sandbox))
    assert isinstance(provider, CloudMessageProvider)
    return provider


def attachment(filename: str, content: bytes) -> dict[str, str]:
    data = base64.b64encode(content).decode("ascii")
    return {"filename": filename, "content_type": "application/pdf", "data_base64": data}


def email_row(*files: dict[str, str]) -> OutboxMessage:
    payload = {"subject": "Invoice INV-7", "body": "Attached.", "attachments": list(files)}
    return row(Channel.EMAIL, EMAIL, {**payload, "contact": {"first_name": "Ann"}})


def test_each_attachment_is_uploaded_and_sent_in_order(
    sandbox: Sandbox, providers: DefaultProviderFactory
) -> None:
    files = (
        attachment("INV-7.pdf", b"%PDF-1.7 one\r\n\x00\xff"),
        attachment("terms.pdf", b"%PDF 2"),
    )
    outcome = email_provider(sandbox, providers).send(email_row(*files))
    assert outcome.kind is OutcomeKind.ACCEPTED
    (email,) = sandbox.received("cloud", "email")
    kept = [sandbox.cloud.uploads[url] for url in email.data["attachments"]]
    assert [(k["filename"], k["content"]) for k in kept] == [
        ("INV-7.pdf", b"%PDF-1.7 one\r\n\x00\xff"),
        ("terms.pdf", b"%PDF 2"),
    ]


@pytest.mark.parametrize("fault", [FaultKind.UNAVAILABLE, FaultKind.ACCEPT_THEN_TIMEOUT])
def test_a_failed_upload_sends_nothing_and_is_tried_again(
    sandbox: Sandbox, providers: DefaultProviderFactory, fault: FaultKind
) -> None:
    provider = email_provider(sandbox, providers)
    contact_id = provider.client.upsert_contact(Contact(first_name="Ann", email=EMAIL))
    payload = {"subject": "Invoice INV-7", "body": "Attached.", "cloud_contact_id": contact_id}
    message = row(Channel.EMAIL, EMAIL, {**payload, "attachments": [attachment("a.pdf", b"%P")]})
    sandbox.controls("cloud").fail_next(fault, hold_seconds=HOLD_SECONDS)  # the upload's POST

    first = provider.send(message)
    assert first.kind is OutcomeKind.RETRY  # no message went yet: the upload repeats safely
    assert sandbox.received("cloud", "email") == []
    second = provider.send(message)
    assert second.kind is OutcomeKind.ACCEPTED
    (email,) = sandbox.received("cloud", "email")
    assert [sandbox.cloud.uploads[url]["content"] for url in email.data["attachments"]] == [b"%P"]


def test_an_attachment_over_the_clouds_limit_is_refused_before_anything_goes(
    sandbox: Sandbox, providers: DefaultProviderFactory
) -> None:
    big = attachment("INV-7.pdf", b"%PDF" + b"0" * CLOUD_LIMIT)
    outcome = email_provider(sandbox, providers).send(email_row(big))
    assert outcome.kind is OutcomeKind.PERMANENT
    assert "INV-7.pdf is 5.0 MB" in outcome.message and "over SMTP" in outcome.message
    assert sandbox.received("cloud") == []  # not even the contact


def test_an_unreadable_attachment_is_refused_before_anything_goes(
    sandbox: Sandbox, providers: DefaultProviderFactory
) -> None:
    broken = {"filename": "INV-7.pdf", "content_type": "application/pdf", "data_base64": "%%"}
    outcome = email_provider(sandbox, providers).send(email_row(broken))
    assert outcome.kind is OutcomeKind.PERMANENT
    assert "attachment 1 is not valid base64" in outcome.message
    assert sandbox.received("cloud") == []


def test_a_text_message_carries_no_attachment(
    sandbox: Sandbox, providers: DefaultProviderFactory
) -> None:
    settings = sandbox_settings(sandbox, sms=ProviderKind.CLOUD)
    provider = providers.provider_for(Channel.SMS, settings, sandbox_secrets(sandbox))
    payload = {"body": "Hi", "attachments": [attachment("a.pdf", b"%P")]}
    outcome = provider.send(row(Channel.SMS, "+6591234567", payload))
    assert outcome.kind is OutcomeKind.ACCEPTED
    assert sandbox.received("cloud", "upload") == []
    (sms,) = sandbox.received("cloud", "sms")
    assert sms.data["attachments"] == []
