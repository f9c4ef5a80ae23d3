"""Send invoice by WhatsApp: a template outside the 24-hour window, out once through Twilio."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from leadcartel_desktop.domain.errors import ValidationError
from leadcartel_desktop.domain.outbox import Channel, OutboxState, OutcomeKind
from leadcartel_desktop.domain.providers import CloudSettings, ProviderKind, SecretName
from leadcartel_desktop.sandbox import Sandbox
from leadcartel_desktop.services.send_invoice import DEFAULT_TEMPLATES, WhatsAppRequest
from leadcartel_desktop.services.whatsapp_sending import WhatsAppWindow
from tests.conftest import FixedClock
from tests.integration.provider_support import factory, row, sandbox_secrets, sandbox_settings
from tests.integration.send_support import draft_for_ada, sandbox_app

T = DEFAULT_TEMPLATES
TEXTS = {"subject": T.subject, "message": T.message, "sms_message": T.sms_message}
SID = "HX" + "b5c2e1f0a9d84c7e" * 2


def test_whatsapp_is_offered_with_a_provider_and_needs_a_template(
    home: Path, clock: FixedClock, tmp_path: Path
) -> None:
    with sandbox_app(home, clock, tmp_path / "sb") as (context, _sandbox, _keys):
        review = context.services.send_invoice.review(draft_for_ada(context.services))
        choice = review.choice(Channel.WHATSAPP)
        assert choice is not None and choice.possible and choice.recipient == "+6591234567"
        assert review.whatsapp_needs_template  # no inbound message is stored yet
        assert review.whatsapp_twilio


def test_whatsapp_is_not_offered_without_a_provider(
    home: Path, clock: FixedClock, tmp_path: Path
) -> None:
    with sandbox_app(home, clock, tmp_path / "sb") as (context, _sandbox, _keys):
        services = context.services
        services.providers.save(replace(services.providers.settings(), whatsapp=ProviderKind.NONE))
        invoice_id = draft_for_ada(services)
        choice = services.send_invoice.review(invoice_id).choice(Channel.WHATSAPP)
        assert choice is not None and not choice.possible
        assert "WhatsApp" in choice.reason
        request = WhatsAppRequest(SID)
        with pytest.raises(ValidationError, match="WhatsApp: "):
            services.send_invoice.send(
                invoice_id, [Channel.WHATSAPP], **TEXTS, send_key="k", whatsapp=request
            )
        assert services.invoices.get(invoice_id).is_draft


def test_outside_the_window_a_missing_template_is_refused_before_issuing(
    home: Path, clock: FixedClock, tmp_path: Path
) -> None:
    with sandbox_app(home, clock, tmp_path / "sb") as (context, _sandbox, _keys):
        services = context.services
        invoice_id = draft_for_ada(services)
        send = services.send_invoice.send
        with pytest.raises(ValidationError, match="WhatsApp template: Outside WhatsApp's 24-hour"):
            send(invoice_id, [Channel.WHATSAPP], **TEXTS, send_key="k")
        with pytest.raises(ValidationError, match="WhatsApp template: a Twilio Content SID"):
            send(
                invoice_id, [Channel.WHATSAPP], **TEXTS, send_key="k", whatsapp=WhatsAppRequest("x")
            )
        unknown = WhatsAppRequest(SID, "1={nickname}")
        with pytest.raises(ValidationError, match=r"WhatsApp variables: unknown merge field"):
            send(invoice_id, [Channel.WHATSAPP], **TEXTS, send_key="k", whatsapp=unknown)
        assert services.invoices.get(invoice_id).is_draft
        assert services.outbox.for_invoice(invoice_id) == []


LINKED = WhatsAppRequest(SID, "1={customer_first_name}; 2={payment_link}")
EMPTY_LINK = r"WhatsApp variables: variable 2 \(\{payment_link\}\) is empty"


def test_without_a_cloud_account_an_empty_variable_is_refused_before_issuing(
    home: Path, clock: FixedClock, tmp_path: Path
) -> None:
    with sandbox_app(home, clock, tmp_path / "sb") as (context, _sandbox, _keys):
        services = context.services
        services.providers.save(replace(services.providers.settings(), cloud=CloudSettings()))
        invoice_id = draft_for_ada(services)
        both = [Channel.EMAIL, Channel.WHATSAPP]
        with pytest.raises(ValidationError, match=EMPTY_LINK):
            services.send_invoice.send(invoice_id, both, **TEXTS, send_key="k", whatsapp=LINKED)
        assert services.outbox.for_invoice(invoice_id) == []
        assert services.invoices.get(invoice_id).is_draft


def test_when_the_cloud_fails_to_make_the_link_nothing_is_queued(
    home: Path, clock: FixedClock, tmp_path: Path
) -> None:
    with sandbox_app(home, clock, tmp_path / "sb") as (context, _sandbox, _keys):
        services = context.services  # the cloud is set up, but its token is missing
        invoice_id = draft_for_ada(services)
        both = [Channel.EMAIL, Channel.WHATSAPP]
        with pytest.raises(ValidationError, match=EMPTY_LINK):
            services.send_invoice.send(invoice_id, both, **TEXTS, send_key="k", whatsapp=LINKED)
        assert services.outbox.for_invoice(invoice_id) == []  # not even the email
        # Issued (the link could only come after); Send again without {payment_link} works.
        assert not services.invoices.get(invoice_id).is_draft
        result = services.send_invoice.send(
            invoice_id, both, **TEXTS, send_key="k", whatsapp=WhatsAppRequest(SID)
        )
        assert set(result.message_ids) == set(both)


def test_the_clouds_payment_link_can_fill_a_variable(
    home: Path, clock: FixedClock, tmp_path: Path
) -> None:
    with sandbox_app(home, clock, tmp_path / "sb") as (context, sandbox, _keys):
        services = context.services
        services.providers.save_secret(SecretName.CLOUD_TOKEN, sandbox.credentials.cloud_token)
        invoice_id = draft_for_ada(services)
        result = services.send_invoice.send(
            invoice_id, [Channel.WHATSAPP], **TEXTS, send_key="k", whatsapp=LINKED
        )
        assert result.note == ""
        link = services.send_invoice.review(invoice_id).values["payment_link"]
        (row,) = services.outbox.for_invoice(invoice_id)
        assert link.startswith("http")
        assert row.payload["template_variables"] == {"1": "Ada", "2": link}


def test_the_template_goes_out_once_with_its_rendered_variables(
    home: Path, clock: FixedClock, tmp_path: Path
) -> None:
    with sandbox_app(home, clock, tmp_path / "sb") as (context, sandbox, _keys):
        services = context.services
        invoice_id = draft_for_ada(services)
        request = WhatsAppRequest(SID)  # the default variables line
        for _press in range(2):  # the same send key twice: one row
            result = services.send_invoice.send(
                invoice_id, [Channel.WHATSAPP], **TEXTS, send_key="wa-1", whatsapp=request
            )
        (row,) = services.outbox.for_invoice(invoice_id)
        assert row.id == result.message_ids[Channel.WHATSAPP]
        number = services.invoices.get(invoice_id).number
        variables = {"1": "Ada", "2": number, "3": "€120.00", "4": "Mar 31, 2026"}
        assert row.payload["template_variables"] == variables
        services.outbox.process_due(clock.now())
        services.outbox.process_due(clock.now() + timedelta(hours=1))
        (received,) = sandbox.received("twilio", "whatsapp")
        assert received.data["to"] == "whatsapp:+6591234567"
        assert received.data["content_sid"] == SID
        assert received.data["content_variables"] == variables
        assert services.outbox.get(row.id).state is OutboxState.SENT
        assert services.send_invoice.delivery(invoice_id) == "Sent"


def test_a_template_accepted_but_unanswered_is_reconciled_not_resent(
    home: Path, clock: FixedClock, tmp_path: Path
) -> None:
    with sandbox_app(home, clock, tmp_path / "sb") as (context, sandbox, _keys):
        services = context.services
        invoice_id = draft_for_ada(services)
        sandbox.controls("twilio").fail_next("accept_then_timeout", hold_seconds=2)
        result = services.send_invoice.send(
            invoice_id,
            [Channel.WHATSAPP],
            **TEXTS,
            send_key="wa-2",
            whatsapp=WhatsAppRequest(SID),
        )
        message_id = result.message_ids[Channel.WHATSAPP]
        services.outbox.process_due(clock.now())
        assert services.outbox.get(message_id).state is OutboxState.UNKNOWN
        later = clock.now() + timedelta(minutes=5)
        clock.instant = later
        services.outbox.reconcile_unknown(later)
        services.outbox.process_due(later)
        (received,) = sandbox.received("twilio", "whatsapp")
        settled = services.outbox.get(message_id)
        assert (settled.state, settled.provider_id) == (OutboxState.SENT, received.data["sid"])


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({"template_id": "HX12", "template_variables": {"1": "Ada"}}, "21655"),
        ({"template_id": SID, "template_variables": {"1": ""}}, "21656"),
    ],
)
def test_the_sandbox_refuses_bad_content_as_twilio_does(
    tmp_path: Path, payload: dict[str, object], code: str
) -> None:
    """A payload the app would never queue, straight to the adapter: refused, not retried."""
    providers = factory()
    with Sandbox(tmp_path / "sb") as sandbox:
        provider = providers.provider_for(
            Channel.WHATSAPP, sandbox_settings(sandbox), sandbox_secrets(sandbox)
        )
        outcome = provider.send(row(Channel.WHATSAPP, "+6591234567", payload))
        assert (outcome.kind, outcome.code) == (OutcomeKind.PERMANENT, code)
        assert outcome.hint
        assert sandbox.received("twilio") == []
    providers.close()


def test_a_later_inbound_lookup_opens_the_window_for_free_text(
    home: Path, clock: FixedClock, tmp_path: Path
) -> None:
    class Inbound:
        def __init__(self, at: datetime) -> None:
            self.at = at

        def last_inbound_at(self, channel: Channel, address: str) -> datetime | None:
            return self.at if channel is Channel.WHATSAPP and address == "+6591234567" else None

    window = WhatsAppWindow(Inbound(clock.now() - timedelta(hours=2)), clock)
    assert not window.needs_template("+6591234567")
    assert window.needs_template("+6599999999")
    clock.instant += timedelta(hours=22)
    assert window.needs_template("+6591234567")
    with pytest.raises(ValueError, match="clock"):
        WhatsAppWindow(Inbound(clock.now()))


def test_the_cloud_sends_the_template_id_with_its_whatsapp_message(tmp_path: Path) -> None:
    providers = factory()
    with Sandbox(tmp_path / "sb") as sandbox:
        settings = sandbox_settings(sandbox, whatsapp=ProviderKind.CLOUD)
        provider = providers.provider_for(Channel.WHATSAPP, settings, sandbox_secrets(sandbox))
        payload = {
            "body": "WhatsApp template tmpl_1: 1=Ada",
            "template_id": "tmpl_1",
            "template_variables": {"1": "Ada"},
            "contact": {"first_name": "Ada"},
        }
        outcome = provider.send(row(Channel.WHATSAPP, "+6591234567", payload))
        assert outcome.kind is OutcomeKind.ACCEPTED
        (received,) = sandbox.received("cloud", "whatsapp")
        assert received.data["templateId"] == "tmpl_1"
    providers.close()
