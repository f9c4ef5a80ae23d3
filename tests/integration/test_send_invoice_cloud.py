"""Send invoice with the cloud account: created there once, its hosted link in the messages."""

from __future__ import annotations

from pathlib import Path

from leadcartel_desktop.domain.outbox import Channel
from leadcartel_desktop.domain.providers import SecretName
from leadcartel_desktop.services.send_invoice import DEFAULT_TEMPLATES
from tests.conftest import FixedClock
from tests.integration.send_support import draft_for_ada, sandbox_app

T = DEFAULT_TEMPLATES
TEXTS = {"subject": T.subject, "message": T.message, "sms_message": T.sms_message}


def test_cloud_invoice_is_created_once_and_its_link_sent(
    home: Path, clock: FixedClock, tmp_path: Path
) -> None:
    with sandbox_app(home, clock, tmp_path / "sb") as (context, sandbox, _keys):
        services = context.services
        services.providers.save_secret(SecretName.CLOUD_TOKEN, sandbox.credentials.cloud_token)
        invoice_id = draft_for_ada(services)
        both = [Channel.EMAIL, Channel.SMS]
        first = services.send_invoice.send(invoice_id, both, **TEXTS, send_key="c-1")
        second = services.send_invoice.send(invoice_id, both, **TEXTS, send_key="c-2")

        assert first.note == second.note == ""
        created = list(sandbox.cloud.invoices.invoices.values())
        assert len(created) == 1
        link = services.send_invoice.review(invoice_id).values["payment_link"]
        assert link.startswith("http")
        rows = services.outbox.for_invoice(invoice_id)
        sms = [row for row in rows if row.channel is Channel.SMS]
        email = [row for row in rows if row.channel is Channel.EMAIL]
        assert sms and all(link in str(row.payload["body"]) for row in sms)
        assert email and all(link in str(row.payload["body"]) for row in email)
        assert all("Payment instructions" not in str(row.payload["body"]) for row in email)


def test_cloud_failure_falls_back_to_pdf_and_instructions(
    home: Path, clock: FixedClock, tmp_path: Path
) -> None:
    with sandbox_app(home, clock, tmp_path / "sb") as (context, sandbox, _keys):
        services = context.services  # the cloud is set up, but its token is missing
        invoice_id = draft_for_ada(services)
        result = services.send_invoice.send(invoice_id, [Channel.EMAIL], **TEXTS, send_key="f")

        assert "could not be created in the cloud" in result.note
        assert not sandbox.cloud.invoices.invoices
        (row,) = services.outbox.for_invoice(invoice_id)
        assert "Payment instructions:" in str(row.payload["body"])
        assert row.payload["attachments"]
