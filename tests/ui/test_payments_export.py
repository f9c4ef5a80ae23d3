"""The Invoices tab's "Export PDFs…" and how a jump in the list waits for its rows."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel

from leadcartel_desktop.domain.invoice_status import StatusFilter
from leadcartel_desktop.ui.payments.invoices_tab import InvoicesTab
from leadcartel_desktop.ui.widgets import dialogs
from tests.ui.payments_book import Book, WindowHarness, make_book


@pytest.fixture
def book(context: Any) -> Book:
    return make_book(context.services)


@pytest.fixture
def harness(qtbot: Any, context: Any, book: Book) -> Iterator[WindowHarness]:
    harness = WindowHarness(qtbot, context)
    yield harness
    harness.close()


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


@pytest.fixture
def tab(qtbot: Any, harness: WindowHarness) -> InvoicesTab:
    assert harness.window.payments is not None
    tab = harness.window.payments.invoices
    qtbot.waitUntil(lambda: tab.model.has_loaded and tab.model.is_fully_loaded())
    return tab


def _export(qtbot: Any, tab: InvoicesTab) -> list[str]:
    messages: list[str] = []
    tab.message.connect(messages.append)
    tab.export_pdfs_action.trigger()
    run = tab.pdf_export
    assert run is not None
    assert run.dialog.isVisible()  # the progress dialog, with its Cancel button
    qtbot.waitUntil(run.is_finished, timeout=60_000)
    return messages


@pytest.mark.slow
def test_export_pdfs_writes_every_invoice_the_list_shows(
    qtbot: Any, tab: InvoicesTab, book: Book, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dialogs, "ask_folder", lambda *args: out)
    tab.model.set_status_filter(StatusFilter.OVERDUE)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 2)

    messages = _export(qtbot, tab)

    expected = {f"{book.numbers[name]}.pdf" for name in ("overdue", "partial")}
    assert {path.name for path in out.iterdir()} == expected
    assert messages == [f"2 PDFs saved in {out}"]


@pytest.mark.slow
def test_export_pdfs_writes_the_selected_invoices_when_several_are(
    qtbot: Any, tab: InvoicesTab, book: Book, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dialogs, "ask_folder", lambda *args: out)
    selection = tab.table.selectionModel()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for name in ("sent_eur", "draft"):
        position = tab.model.position_of(book.ids[name])
        assert position is not None
        selection.select(tab.model.index(position, 0), flags)

    _export(qtbot, tab)

    expected = {f"{book.numbers['sent_eur']}.pdf", f"Draft-{book.ids['draft']}.pdf"}
    assert {path.name for path in out.iterdir()} == expected


def test_no_folder_chosen_exports_nothing(
    tab: InvoicesTab, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dialogs, "ask_folder", lambda *args: None)

    tab.export_pdfs_action.trigger()

    assert tab.pdf_export is None


def test_a_jump_asks_for_its_rows_at_once_and_paints_when_they_are_in(
    qtbot: Any, tab: InvoicesTab
) -> None:
    model, view = tab.model, tab.table
    height = view.horizontalHeader().height() + 2 * view.rowHeight(0) + 4
    view.setFixedHeight(height)
    qtbot.waitUntil(lambda: view.height() == height)  # laid out small before it repaints
    model.PAGE_SIZE = 2
    with qtbot.waitSignal(model.loaded):
        tab.refresh()
    qtbot.waitUntil(model.is_id_list_complete)
    qtbot.waitUntil(lambda: view.verticalScrollBar().maximum() > 0)
    bar = view.verticalScrollBar()
    assert model.row_at(model.rowCount() - 1) is None

    bar.setValue(bar.maximum())

    # Asked for before any paint could ask, and the paint held back until the rows are in.
    assert tab.fetch_ahead.holding
    assert not view.viewport().updatesEnabled()
    qtbot.waitUntil(lambda: model.row_at(model.rowCount() - 1) is not None)
    qtbot.waitUntil(lambda: not tab.fetch_ahead.holding)
    assert view.viewport().updatesEnabled()
