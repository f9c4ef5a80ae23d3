"""The SMTP adapter against the sandbox's aiosmtpd servers (STARTTLS and implicit TLS)."""

from __future__ import annotations

import base64
import socket
from collections.abc import Iterator
from dataclasses import replace
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from leadcartel_desktop.domain.errors import UserFacingError
from leadcartel_desktop.domain.outbox import Channel, OutcomeKind
from leadcartel_desktop.domain.providers import SmtpSecurity, SmtpSettings
from leadcartel_desktop.providers.factory import DefaultProviderFactory
from leadcartel_desktop.providers.smtp import SmtpProvider
from leadcartel_desktop.sandbox import FaultKind, Sandbox
from tests.integration.provider_support import (
    HOLD_SECONDS,
    factory,
    free_port,
    row,
    sandbox_secrets,
    sandbox_settings,
)

PDF = b"%PDF-1.7\n% an invoice\n"
CUSTOMER = "kunde@example.de"


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    with Sandbox(tmp_path_factory.mktemp("sandbox")) as running:
        yield running


@pytest.fixture(autouse=True)
def clean(sandbox: Sandbox) -> None:
    sandbox.reset()


@pytest.fixture
def providers() -> Iterator[DefaultProviderFactory]:
    built = factory()
    yield built
    built.close()


def email(sandbox: Sandbox, providers: DefaultProviderFactory, *, implicit_tls: bool = False,
          **smtp: object) -> SmtpProvider:  # fmt: skip
    settings = sandbox_settings(sandbox, implicit_tls=implicit_tls)
    settings = replace(settings, smtp=replace(settings.smtp, **smtp))
    provider = providers.provider_for(Channel.EMAIL, settings, sandbox_secrets(sandbox))
    assert isinstance(provider, SmtpProvider)
    return provider


def invoice_email(key: str = "row-42") -> object:
    payload = {
        "subject": "Rechnung RE-2026-0042",
        "body": "Guten Tag,\n\nanbei die Rechnung über 1.234,50 €.\n",
        "html": "<p>Guten Tag,</p><p>anbei die Rechnung über 1.234,50 €.</p>",
        "to_name": "Zoë Ångström",
        "attachments": [{
            "filename": "Überweisung Q1.pdf",
            "content_type": "application/pdf",
            "data_base64": base64.b64encode(PDF).decode(),
        }],
    }  # fmt: skip
    return row(Channel.EMAIL, CUSTOMER, payload, key=key)


def parsed(raw: bytes) -> EmailMessage:
    message = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(message, EmailMessage)
    return message


@pytest.mark.parametrize("implicit_tls", [False, True], ids=["starttls", "tls"])
def test_the_email_arrives_with_names_and_attachment_intact(
    sandbox: Sandbox, providers: DefaultProviderFactory, implicit_tls: bool
):
    outcome = email(sandbox, providers, implicit_tls=implicit_tls).send(invoice_email())
    assert outcome.kind is OutcomeKind.ACCEPTED
    server = sandbox.smtps if implicit_tls else sandbox.smtp
    (raw,) = server.raw_messages()
    message = parsed(raw)
    (sender,) = message["From"].addresses
    assert (sender.display_name, sender.addr_spec) == ("Jürgen Müller", "billing@example.com")
    (recipient,) = message["To"].addresses
    assert (recipient.display_name, recipient.addr_spec) == ("Zoë Ångström", CUSTOMER)
    assert message["Subject"] == "Rechnung RE-2026-0042"
    (attachment,) = message.iter_attachments()
    assert attachment.get_filename() == "Überweisung Q1.pdf"
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content() == PDF
    body = message.get_body(("plain",))
    assert body is not None and "1.234,50 €" in body.get_content()
    html = message.get_body(("html",))
    assert html is not None and "<p>Guten Tag,</p>" in html.get_content()
    # The Message-ID names the outbox row, and is the provider id kept for it.
    assert message["Message-ID"] == outcome.provider_id == "<outbox.row-42@example.com>"
    assert raw.isascii()  # names and file names encoded by the email package, 7-bit throughout


def test_the_envelope_is_the_settings_sender_and_the_row_recipient(
    sandbox: Sandbox, providers: DefaultProviderFactory
):
    email(sandbox, providers).send(invoice_email())
    (received,) = sandbox.received("smtp")
    assert received.data["mail_from"] == "billing@example.com"
    assert received.data["rcpt_tos"] == [CUSTOMER]


@pytest.mark.parametrize("implicit_tls", [False, True], ids=["starttls", "tls"])
def test_a_self_signed_certificate_is_refused(
    tmp_path: Path, providers: DefaultProviderFactory, implicit_tls: bool
):
    with Sandbox(tmp_path / "untrusted", untrusted=True) as untrusted:
        provider = email(untrusted, providers, implicit_tls=implicit_tls)
        outcome = provider.send(invoice_email())
        assert (outcome.kind, outcome.code) == (OutcomeKind.PERMANENT, "tls")
        assert "The server's certificate is not trusted" in outcome.message
        with pytest.raises(UserFacingError, match="certificate is not trusted"):
            provider.check()
        assert untrusted.received() == []


def test_wrong_credentials_get_their_own_message(
    sandbox: Sandbox, providers: DefaultProviderFactory
):
    sandbox.controls("smtp").fail_next(FaultKind.UNAUTHORIZED)
    outcome = email(sandbox, providers).send(invoice_email())
    # The account, not the message: the outbox pauses the channel until the settings change.
    assert (outcome.kind, outcome.code) == (OutcomeKind.CREDENTIALS, "535")
    assert "refused the credentials" in outcome.message
    secrets = sandbox_secrets(sandbox)
    secrets.values["smtp_password"] = "wrong"
    wrong = providers.provider_for(Channel.EMAIL, sandbox_settings(sandbox), secrets)
    with pytest.raises(UserFacingError, match="refused the credentials"):
        wrong.check()
    assert sandbox.received() == []


def test_a_temporary_refusal_is_retried_and_nothing_was_kept(
    sandbox: Sandbox, providers: DefaultProviderFactory
):
    sandbox.controls("smtp").fail_next(FaultKind.SERVER_ERROR)
    outcome = email(sandbox, providers).send(invoice_email())
    assert outcome.kind is OutcomeKind.RETRY
    assert "451" in outcome.message
    assert sandbox.received() == []


def test_a_refused_recipient_is_permanent(sandbox: Sandbox, providers: DefaultProviderFactory):
    sandbox.controls("smtp").fail_next(FaultKind.INVALID_NUMBER)
    outcome = email(sandbox, providers).send(invoice_email())
    assert (outcome.kind, outcome.code) == (OutcomeKind.PERMANENT, "550")


def test_accepted_then_timed_out_stays_unknown_for_the_operator(
    sandbox: Sandbox, providers: DefaultProviderFactory
):
    sandbox.controls("smtp").fail_next(FaultKind.ACCEPT_THEN_TIMEOUT, hold_seconds=HOLD_SECONDS)
    provider = email(sandbox, providers)
    message = invoice_email()
    outcome = provider.send(message)
    assert outcome.kind is OutcomeKind.AMBIGUOUS
    assert len(sandbox.smtp.raw_messages()) == 1  # the server kept it
    reconciled = provider.reconcile(message)  # SMTP cannot be asked
    assert reconciled is not None and reconciled.kind is OutcomeKind.AMBIGUOUS
    assert "Sent folder" in reconciled.message


def test_no_server_listening_is_retried_with_a_no_network_message(
    sandbox: Sandbox, providers: DefaultProviderFactory
):
    provider = email(sandbox, providers, port=free_port())
    outcome = provider.send(invoice_email())
    assert outcome.kind is OutcomeKind.RETRY
    assert outcome.message.startswith("Cannot reach the SMTP server at 127.0.0.1:")
    assert "no network connection" in outcome.message
    with pytest.raises(UserFacingError, match="Cannot reach"):
        provider.check()


def test_check_signs_in(sandbox: Sandbox, providers: DefaultProviderFactory):
    assert email(sandbox, providers).check() == (
        "Signed in to 127.0.0.1 as sandbox (STARTTLS, certificate verified)."
    )
    assert "TLS, certificate verified" in email(sandbox, providers, implicit_tls=True).check()


def test_a_server_without_starttls_is_refused_before_the_password_is_sent(
    sandbox: Sandbox, providers: DefaultProviderFactory
):
    class Keep:
        async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
            return "250 OK"

    plain = Controller(Keep(), hostname="127.0.0.1", port=free_port())
    plain.start()
    try:
        provider = email(sandbox, providers, port=plain.port, host="127.0.0.1")
        outcome = provider.send(invoice_email())
        assert (outcome.kind, outcome.code) == (OutcomeKind.PERMANENT, "starttls")
        assert "unencrypted" in outcome.message
    finally:
        plain.stop()


def test_a_bad_attachment_is_a_permanent_payload_error(
    sandbox: Sandbox, providers: DefaultProviderFactory
):
    broken = [{"filename": "a.pdf", "data_base64": "not base64!"}]
    message = row(Channel.EMAIL, CUSTOMER, {"subject": "x", "body": "y", "attachments": broken})
    outcome = email(sandbox, providers).send(message)
    assert (outcome.kind, outcome.code) == (OutcomeKind.PERMANENT, "payload")
    assert sandbox.received() == []


def test_no_user_name_means_no_sign_in_and_no_password_needed(sandbox: Sandbox):
    settings = SmtpSettings(
        host="127.0.0.1", port=sandbox.smtp.port, security=SmtpSecurity.STARTTLS,
        username="", from_address="a@example.com",
    )  # fmt: skip
    provider = SmtpProvider(settings, "", ca_bundle=str(sandbox.ca_bundle), timeout=2)
    outcome = provider.send(invoice_email())
    assert (outcome.kind, outcome.code) == (OutcomeKind.CREDENTIALS, "530")  # it wants AUTH
    assert "requires signing in" in outcome.message
    assert outcome.hint


def test_a_missing_ca_bundle_fails_plainly_and_sends_nothing(
    sandbox: Sandbox, providers: DefaultProviderFactory, tmp_path: Path
):
    missing = tmp_path / "no-such-ca.pem"
    settings = replace(sandbox_settings(sandbox), ca_bundle=str(missing))
    provider = providers.provider_for(Channel.EMAIL, settings, sandbox_secrets(sandbox))
    outcome = provider.send(invoice_email())
    assert (outcome.kind, outcome.code) == (OutcomeKind.PERMANENT, "config")
    assert str(missing) in outcome.message
    with pytest.raises(UserFacingError, match="certificate file"):
        provider.check()
    assert sandbox.received() == []


def test_line_breaks_in_a_subject_or_name_become_spaces_never_headers(
    sandbox: Sandbox, providers: DefaultProviderFactory
):
    message = invoice_email()
    payload = dict(message.payload)  # type: ignore[attr-defined]
    payload["subject"] = "Invoice 7\r\nBcc: evil@example.com"
    payload["to_name"] = "Zoë\nÅngström"
    outcome = email(sandbox, providers).send(replace(message, payload=payload))  # type: ignore[type-var]
    assert outcome.kind is OutcomeKind.ACCEPTED, outcome.message
    (raw,) = sandbox.smtp.raw_messages()
    got = parsed(raw)
    assert got["Subject"] == "Invoice 7 Bcc: evil@example.com"
    assert got["Bcc"] is None
    assert got["To"].addresses[0].display_name == "Zoë Ångström"
    (received,) = sandbox.received("smtp")
    assert received.data["rcpt_tos"] == [CUSTOMER]


def test_a_server_that_never_greets_is_named_as_such(
    sandbox: Sandbox, providers: DefaultProviderFactory
):
    with socket.socket() as silent:  # listens (the connection is made) but never speaks SMTP
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        provider = email(sandbox, providers, port=silent.getsockname()[1])
        outcome = provider.send(invoice_email())
        assert outcome.kind is OutcomeKind.RETRY
        assert "accepted the connection but did not answer" in outcome.message
        assert "no network connection" not in outcome.message
        with pytest.raises(UserFacingError, match="is it an SMTP server"):
            provider.check()
