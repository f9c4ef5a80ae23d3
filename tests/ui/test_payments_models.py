"""The lazy table models: qtmodeltester, paging by id, placeholders and stale results."""

from __future__ import annotations

from typing import Any

import pytest

from leadcartel_desktop.ui.payments.invoice_model import InvoiceColumn, InvoiceTableModel
from leadcartel_desktop.ui.payments.transaction_model import TransactionTableModel
from leadcartel_desktop.ui.tasks import TaskRunner
from leadcartel_desktop.ui.widgets.lazy_table_model import ID_ROLE, PLACEHOLDER
from tests.ui.payments_book import Book, make_book


@pytest.fixture
def book(context: Any) -> Book:
    return make_book(context.services)


@pytest.fixture
def tasks(qtbot: Any) -> Any:
    errors: list[BaseException] = []
    runner = TaskRunner(errors.append)
    yield runner
    runner.wait_for_done()
    assert not errors, errors


def loaded(qtbot: Any, model: Any) -> Any:
    model.refresh()
    qtbot.waitUntil(lambda: model.has_loaded)
    for row in range(model.rowCount()):
        model.index(row, 0).data()  # what a view does when it paints
    qtbot.waitUntil(model.is_fully_loaded)
    return model


def test_invoice_model_passes_modeltester(
    qtbot: Any, qtmodeltester: Any, context: Any, book: Book, tasks: TaskRunner
) -> None:
    model = loaded(qtbot, InvoiceTableModel(context.services, tasks))
    assert model.rowCount() == len(book.ids)
    qtmodeltester.check(model, force_py=True)
    qtmodeltester.check(model)


def test_transaction_model_passes_modeltester(
    qtbot: Any, qtmodeltester: Any, context: Any, book: Book, tasks: TaskRunner
) -> None:
    model = loaded(qtbot, TransactionTableModel(context.services, tasks))
    assert model.rowCount() == 2
    qtmodeltester.check(model, force_py=True)
    qtmodeltester.check(model)


def test_empty_models_pass_modeltester(
    qtbot: Any, qtmodeltester: Any, context: Any, tasks: TaskRunner
) -> None:
    for model in (
        InvoiceTableModel(context.services, tasks),
        TransactionTableModel(context.services, tasks),
    ):
        loaded(qtbot, model)
        assert model.rowCount() == 0
        qtmodeltester.check(model, force_py=True)


def test_rows_are_fetched_a_page_at_a_time(
    qtbot: Any, context: Any, book: Book, tasks: TaskRunner
) -> None:
    model = InvoiceTableModel(context.services, tasks)
    model.PAGE_SIZE = 3
    model.refresh()
    qtbot.waitUntil(lambda: model.has_loaded)
    assert model.rowCount() == 7
    # The first page comes with the ids; the others wait until they are shown.
    assert [model.row_at(row) is not None for row in range(7)] == [True] * 3 + [False] * 4
    assert model.index(4, InvoiceColumn.NUMBER).data() == PLACEHOLDER
    assert model.index(4, 0).data(ID_ROLE) == model.id_at(4)
    with qtbot.waitSignal(model.dataChanged) as changed:
        pass
    top, bottom = changed.args[0], changed.args[1]
    assert (top.row(), bottom.row()) == (3, 5)
    assert [model.row_at(row) is not None for row in range(7)] == [True] * 6 + [False]
    assert model.index(4, InvoiceColumn.NUMBER).data() != PLACEHOLDER


def test_a_newer_query_wins_over_a_slower_older_one(
    qtbot: Any, context: Any, book: Book, tasks: TaskRunner
) -> None:
    from leadcartel_desktop.domain.invoice_status import StatusFilter

    model = InvoiceTableModel(context.services, tasks)
    model.set_status_filter(StatusFilter.OVERDUE)
    model.set_status_filter(StatusFilter.CANCELLED)  # before the first answer arrives
    with qtbot.waitSignal(model.loaded):
        pass
    qtbot.waitUntil(tasks.is_idle)
    assert [model.id_at(row) for row in range(model.rowCount())] == [book.ids["cancelled"]]
