"""Send invoice: issue and queue once per send key, the PDF in the email, merge fields."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from leadcartel_desktop.domain.errors import ValidationError
from leadcartel_desktop.domain.outbox import Channel
from leadcartel_desktop.services.send_invoice import DEFAULT_TEMPLATES, WAITING
from tests.conftest import FixedClock
from tests.integration.send_support import draft_for_ada, sandbox_app

T = DEFAULT_TEMPLATES


def texts(**changes: str) -> dict[str, str]:
    return {"subject": T.subject, "message": T.message, "sms_message": T.sms_message, **changes}


def test_review_lists_channels_and_values(home: Path, clock: FixedClock, tmp_path: Path) -> None:
    with sandbox_app(home, clock, tmp_path / "sb") as (context, _sandbox, _keys):
        invoice_id = draft_for_ada(context.services)
        review = context.services.send_invoice.review(invoice_id)
        assert review.is_draft
        assert review.email == "ada@example.com"
        assert review.phone == "+6591234567"
        assert [c.possible for c in review.channels] == [True, True, True]  # email, SMS, WhatsApp
        assert review.values["customer_first_name"] == "Ada"
        text = context.services.send_invoice.preview(review, "Dear {customer_first_name}")
        assert text == "Dear Ada"


def test_no_provider_says_why(home: Path, clock: FixedClock, tmp_path: Path) -> None:
    with sandbox_app(home, clock, tmp_path / "sb", configure=False) as (context, _sb, _keys):
        review = context.services.send_invoice.review(draft_for_ada(context.services))
        assert all(not c.possible for c in review.channels)
        assert "Settings > Providers" in review.channels[0].reason


def test_unknown_merge_field_is_refused(home: Path, clock: FixedClock, tmp_path: Path) -> None:
    with sandbox_app(home, clock, tmp_path / "sb") as (context, _sandbox, _keys):
        send = context.services.send_invoice
        invoice_id = draft_for_ada(context.services)
        with pytest.raises(ValidationError, match=r"\{customer_age\}"):
            send.send(
                invoice_id, [Channel.EMAIL], **texts(subject="Hi {customer_age}"), send_key="k1"
            )
        assert context.services.invoices.get(invoice_id).is_draft


def test_send_twice_queues_one_row_per_channel(
    home: Path, clock: FixedClock, tmp_path: Path
) -> None:
    with sandbox_app(home, clock, tmp_path / "sb") as (context, _sandbox, _keys):
        services = context.services
        invoice_id = draft_for_ada(services)
        both = [Channel.EMAIL, Channel.SMS]
        first = services.send_invoice.send(invoice_id, both, **texts(), send_key="key-1")
        second = services.send_invoice.send(invoice_id, both, **texts(), send_key="key-1")
        assert first.message_ids == second.message_ids
        rows = services.outbox.for_invoice(invoice_id)
        assert sorted(row.channel for row in rows) == sorted(both)
        invoice = services.invoices.get(invoice_id)
        assert not invoice.is_draft and invoice.number
        email = next(row for row in rows if row.channel is Channel.EMAIL)
        attachment = email.payload["attachments"][0]  # type: ignore[index]
        assert attachment["filename"] == f"{invoice.number}.pdf"
        assert base64.b64decode(attachment["data_base64"]).startswith(b"%PDF")
        assert email.payload["subject"] == f"Invoice {invoice.number} from Cartel Consulting"
        assert "Hi Ada," in str(email.payload["body"])
        assert "IBAN DE02" in str(email.payload["body"])
        sms = next(row for row in rows if row.channel is Channel.SMS)
        assert str(sms.payload["body"]).startswith(f"Hi Ada, invoice {invoice.number}")
        assert services.send_invoice.delivery(invoice_id) == WAITING


def test_queued_messages_reach_the_sandbox(home: Path, clock: FixedClock, tmp_path: Path) -> None:
    with sandbox_app(home, clock, tmp_path / "sb") as (context, sandbox, _keys):
        services = context.services
        invoice_id = draft_for_ada(services)
        services.send_invoice.send(invoice_id, [Channel.EMAIL], **texts(), send_key="key-2")
        services.outbox.process_due(clock.now())
        assert services.send_invoice.delivery(invoice_id) == "Sent"
        assert len(sandbox.received("smtp")) == 1


def test_an_invoice_sent_twice_shows_once_per_channel_in_the_customers_thread(
    home: Path, clock: FixedClock, tmp_path: Path
) -> None:
    with sandbox_app(home, clock, tmp_path / "sb") as (context, _sandbox, _keys):
        services = context.services
        invoice_id = draft_for_ada(services)
        both = [Channel.EMAIL, Channel.SMS]
        services.send_invoice.send(invoice_id, both, **texts(), send_key="key-t")
        services.send_invoice.send(invoice_id, both, **texts(), send_key="key-t")
        contact_id = services.invoices.get(invoice_id).content.contact_id
        thread = services.threads.thread(contact_id)
        number = services.invoices.get(invoice_id).number
        assert sorted(message.channel for message in thread) == sorted(both)
        email = next(message for message in thread if message.channel is Channel.EMAIL)
        assert email.subject == f"Invoice {number} from Cartel Consulting"
        assert all(message.direction.value == "out" for message in thread)
