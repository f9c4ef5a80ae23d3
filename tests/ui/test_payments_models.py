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


def _slow_ids(monkeypatch: pytest.MonkeyPatch, services: Any, answer: Any = None) -> Any:
    """Hold the full id list back until the returned gate is set (`answer` rewrites it)."""
    import threading

    gate = threading.Event()
    original = services.invoice_list.invoice_ids

    def held(query: Any, today: Any) -> list[int]:
        gate.wait(10)
        ids = original(query, today)
        return ids if answer is None else answer(ids)

    monkeypatch.setattr(services.invoice_list, "invoice_ids", held)
    return gate


def test_the_first_page_is_shown_before_the_full_id_list_arrives(
    qtbot: Any, context: Any, book: Book, tasks: TaskRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = _slow_ids(monkeypatch, context.services)
    model = InvoiceTableModel(context.services, tasks)
    model.PAGE_SIZE = 3
    model.refresh()
    qtbot.waitUntil(lambda: model.has_loaded)

    # The row count and the first page, from a LIMIT query; the rest of the ids not yet.
    assert model.rowCount() == len(book.ids) == 7
    assert [model.row_at(row) is not None for row in range(7)] == [True] * 3 + [False] * 4
    assert not model.is_id_list_complete()
    assert model.id_at(5) is None
    assert model.index(5, InvoiceColumn.NUMBER).data() == PLACEHOLDER  # shown: wanted

    with qtbot.waitSignal(model.ids_loaded):
        gate.set()
    assert model.is_id_list_complete()
    assert model.id_at(5) is not None
    qtbot.waitUntil(lambda: model.row_at(5) is not None)  # the page it was waiting for
    assert model.row_at(3) is not None and model.row_at(0) is not None


def test_a_book_that_changed_between_the_two_reads_is_shown_as_it_is_now(
    qtbot: Any, context: Any, book: Book, tasks: TaskRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = _slow_ids(monkeypatch, context.services, lambda ids: ids[:-1])  # one went away
    model = InvoiceTableModel(context.services, tasks)
    model.PAGE_SIZE = 3
    model.refresh()
    qtbot.waitUntil(lambda: model.has_loaded)
    assert model.rowCount() == 7

    with qtbot.waitSignal(model.modelReset):
        gate.set()
    assert model.rowCount() == 6 and model.is_id_list_complete()


def test_a_small_list_needs_no_second_read(
    qtbot: Any, context: Any, book: Book, tasks: TaskRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[object] = []
    monkeypatch.setattr(
        context.services.invoice_list, "invoice_ids", lambda *args: calls.append(args) or []
    )
    model = loaded(qtbot, InvoiceTableModel(context.services, tasks))

    assert model.rowCount() == 7 and model.is_id_list_complete()
    assert calls == []
