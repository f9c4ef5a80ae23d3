"""The Send dialog for a paid invoice: no message asks for payment; a copy by PDF or print."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from leadcartel_desktop.domain.payments import PaymentMethod
from leadcartel_desktop.ui.context import UiContext
from tests.conftest import FixedClock
from tests.integration.send_support import draft_for_ada, gc_on_main_thread, sandbox_app
from tests.ui.invoice_support import make_ui
from tests.ui.test_send_dialog import open_dialog


@pytest.fixture
def ui(qtbot: Any, home: Path, clock: FixedClock, tmp_path: Path) -> Iterator[UiContext]:
    with gc_on_main_thread(), sandbox_app(home, clock, tmp_path / "sandbox") as (context, *_):
        yield from make_ui(qtbot, context)


def test_a_paid_invoice_offers_only_a_copy(qtbot: Any, ui: UiContext) -> None:
    services = ui.services
    invoice_id = draft_for_ada(services)
    total = services.invoices.issue(invoice_id).totals().total
    services.payments.record(invoice_id, total, date(2026, 3, 2), PaymentMethod.CASH)
    dialog = open_dialog(qtbot, ui, invoice_id)

    assert "Paid in full" in dialog.summary.text()
    assert "paid in full" in dialog.why.text() and dialog.why.isVisibleTo(dialog)
    assert not any(box.isEnabled() or box.isChecked() for box, _ in dialog.message_boxes)
    assert not dialog.send_button.isEnabled()
    dialog.download.setChecked(True)
    assert dialog.send_button.isEnabled()
    with qtbot.waitSignal(dialog.sent, timeout=10_000) as sent:
        qtbot.mouseClick(dialog.send_button, Qt.MouseButton.LeftButton)
    assert sent.args == [invoice_id, True, False]
    assert services.outbox.for_invoice(invoice_id) == []


def test_a_text_empty_without_the_payment_link_is_refused_as_typed(
    qtbot: Any, ui: UiContext
) -> None:
    dialog = open_dialog(qtbot, ui, draft_for_ada(ui.services))
    dialog.subject.setText("   ")
    assert dialog.error.text().startswith("Subject:"), dialog.error.text()
    assert not dialog.send_button.isEnabled()
    dialog.subject.setText("Invoice {invoice_number}")
    assert dialog.send_button.isEnabled()
    dialog.sms.setChecked(True)
    dialog.sms_message.setPlainText("{payment_link}")
    assert dialog.error.text().startswith("SMS message:"), dialog.error.text()
    assert not dialog.send_button.isEnabled()
