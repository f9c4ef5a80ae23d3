"""Send invoice with no provider set: email and SMS can be ticked and say their message waits
in the outbox (as the compose box says); WhatsApp says why it is the exception."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt

from leadcartel_desktop.domain.outbox import Channel, OutboxState
from leadcartel_desktop.ui.context import UiContext
from leadcartel_desktop.ui.invoices.send_dialog import SendInvoiceDialog
from tests.integration.send_support import draft_for_ada
from tests.ui.invoice_support import make_ui, set_up_business

WAITS = "(the message waits in the outbox until then)"


@pytest.fixture
def ui(qtbot: Any, context: Any) -> Iterator[UiContext]:
    set_up_business(context.services)  # a new book: no provider is set for any channel
    yield from make_ui(qtbot, context)


def _opened(qtbot: Any, ui: UiContext, invoice_id: int) -> SendInvoiceDialog:
    dialog = SendInvoiceDialog(ui, invoice_id)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.loaded, timeout=10_000):
        dialog.show()
    return dialog


def test_email_and_sms_wait_in_the_outbox_and_whatsapp_says_why_not(
    qtbot: Any, ui: UiContext
) -> None:
    invoice_id = draft_for_ada(ui.services)
    dialog = _opened(qtbot, ui, invoice_id)

    assert dialog.email.isEnabled() and dialog.sms.isEnabled()
    assert not dialog.whatsapp.isEnabled()
    lines = dialog.why.text().splitlines()
    assert lines[0] == (
        f"Email with the PDF: No provider is set for email: choose one in Settings > Providers "
        f"{WAITS}"
    )
    assert lines[1] == (
        f"SMS link: No provider is set for SMS: choose one in Settings > Providers {WAITS}"
    )
    assert lines[2].startswith("WhatsApp link: No provider is set for WhatsApp: choose one")
    assert "needs the provider first" in lines[2]
    assert "template" in lines[2]  # the reason it differs, not only the missing provider

    dialog.sms.setChecked(True)
    assert dialog.send_button.isEnabled()
    with qtbot.waitSignal(dialog.sent, timeout=10_000):
        qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    (row,) = ui.services.outbox.for_invoice(invoice_id)
    assert row.channel is Channel.SMS and row.state is OutboxState.PENDING  # waits, queued
