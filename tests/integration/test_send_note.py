"""Send invoice's note when the cloud fails: what went instead of the payment link, and why."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from leadcartel_desktop.domain.outbox import Channel
from leadcartel_desktop.domain.providers import CloudSettings, SecretName
from leadcartel_desktop.services.send_invoice import DEFAULT_TEMPLATES
from tests.conftest import FixedClock
from tests.integration.send_support import draft_for_ada, sandbox_app

T = DEFAULT_TEMPLATES
TEXTS = {"subject": T.subject, "message": T.message, "sms_message": T.sms_message}


def test_a_text_only_send_says_it_goes_without_the_link(
    home: Path, clock: FixedClock, tmp_path: Path
) -> None:
    with sandbox_app(home, clock, tmp_path / "sb") as (context, sandbox, _keys):
        services = context.services
        services.providers.save_secret(SecretName.CLOUD_TOKEN, sandbox.credentials.cloud_token)
        sandbox.controls("cloud").fail_next("401")
        invoice_id = draft_for_ada(services)
        result = services.send_invoice.send(invoice_id, [Channel.SMS], **TEXTS, send_key="n")

        assert result.note.startswith(
            "The invoice could not be created in the cloud, so the messages go without an "
            "online payment link. The cloud said: "
        )
        assert "credentials" in result.note
        assert not sandbox.cloud.invoices.invoices
        assert "PDF" not in result.note


def test_no_note_without_a_cloud_account(home: Path, clock: FixedClock, tmp_path: Path) -> None:
    with sandbox_app(home, clock, tmp_path / "sb") as (context, _sandbox, _keys):
        services = context.services
        no_cloud = replace(services.providers.settings(), cloud=CloudSettings())
        services.providers.save(no_cloud)  # the PDF and instructions are the plan, no fallback
        invoice_id = draft_for_ada(services)
        result = services.send_invoice.send(invoice_id, [Channel.EMAIL], **TEXTS, send_key="n")
        assert result.note == ""
