"""The cloud email's PDF upload with a non-ASCII file name."""

from __future__ import annotations

from leadcartel_desktop.domain.outbox import OutcomeKind
from tests.integration import test_cloud_email_attachment as base
from tests.integration.test_cloud_email_attachment import (
    attachment,
    email_provider,
    email_row,
)

sandbox = base.sandbox
clean = base.clean
providers = base.providers


def test_non_ascii_file_name_arrives_intact(sandbox, providers) -> None:
    outcome = email_provider(sandbox, providers).send(
        email_row(attachment("Facture-Müller-Nº7.pdf", b"%PDF x"))
    )
    assert outcome.kind is OutcomeKind.ACCEPTED, outcome
    (email,) = sandbox.received("cloud", "email")
    (url,) = email.data["attachments"]
    assert sandbox.cloud.uploads[url]["filename"] == "Facture-Müller-Nº7.pdf"
