"""The invoice list shows 'Waiting to send' while an issued invoice's messages are queued."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from leadcartel_desktop.app import AppContext
from leadcartel_desktop.domain.outbox import Channel
from leadcartel_desktop.services.send_invoice import DEFAULT_TEMPLATES as T
from leadcartel_desktop.services.send_invoice import WAITING
from leadcartel_desktop.ui.payments.invoice_model import InvoiceColumn, InvoiceTableModel
from leadcartel_desktop.ui.tasks import TaskRunner
from tests.conftest import FixedClock
from tests.integration.send_support import draft_for_ada, gc_on_main_thread, sandbox_app


@pytest.fixture
def app(qtbot: Any, home: Path, clock: FixedClock, tmp_path: Path) -> Iterator[AppContext]:
    with (
        gc_on_main_thread(),
        sandbox_app(home, clock, tmp_path / "sb", configure=False) as (
            context,
            *_,
        ),
    ):
        yield context


def statuses(qtbot: Any, app: AppContext) -> dict[str, str]:
    errors: list[BaseException] = []
    tasks = TaskRunner(errors.append)
    model = InvoiceTableModel(app.services, tasks)
    model.refresh()
    qtbot.waitUntil(lambda: model.has_loaded)
    for row in range(model.rowCount()):
        model.index(row, 0).data()
    qtbot.waitUntil(model.is_fully_loaded)
    found = {
        str(model.index(row, InvoiceColumn.NUMBER).data()): str(
            model.index(row, InvoiceColumn.STATUS).data()
        )
        for row in range(model.rowCount())
    }
    tasks.wait_for_done()
    assert not errors, errors
    return found


def test_queued_invoice_waits_to_send_until_accepted(qtbot: Any, app: AppContext) -> None:
    services = app.services
    queued = draft_for_ada(services)
    plain = services.invoices.save_draft(services.invoices.get(queued).content)
    texts = {"subject": T.subject, "message": T.message, "sms_message": T.sms_message}
    result = services.send_invoice.send(queued, [Channel.SMS], **texts, send_key="k")
    services.invoices.issue(plain)

    shown = statuses(qtbot, app)
    assert shown[result.invoice.number] == WAITING
    assert shown[services.invoices.get(plain).number] != WAITING

    services.outbox.cancel(result.message_ids[Channel.SMS])
    assert statuses(qtbot, app)[result.invoice.number] != WAITING
