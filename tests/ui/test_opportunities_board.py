"""The deal board: drag and drop and keyboard moves reach the database; headers keep count."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from leadcartel_desktop.ui.opportunities.column_model import DEAL_ID_ROLE, LINES_ROLE
from tests.conftest import FixedClock
from tests.integration.deal_support import Book, sales_book
from tests.ui.opportunities_support import PaneHarness


@pytest.fixture
def book(services: Any) -> Book:
    return sales_book(services)


@pytest.fixture
def harness(qtbot: Any, context: Any, book: Book) -> Iterator[PaneHarness]:
    harness = PaneHarness(qtbot, context)
    yield harness
    harness.close()


def open_board(harness: PaneHarness) -> None:
    harness.open_board()


def test_columns_follow_the_stages_with_their_cards_in_order(
    harness: PaneHarness, book: Book, clock: FixedClock
) -> None:
    for name in ("A", "B", "C"):
        book.deal(name, contact=book.ann)
    book.deal("D", stage=2)
    clock.instant += timedelta(days=3)
    open_board(harness)
    assert [c.model.stage.name for c in harness.pane.board.columns] == [
        "Lead",
        "Qualified",
        "Proposal",
        "Won",
    ]
    assert harness.names(0) == ["A", "B", "C"]
    assert harness.names(2) == ["D"]
    lines = harness.column(0).model.index(0, 0).data(LINES_ROLE)
    assert (lines.name, lines.contact, lines.value, lines.days) == (
        "A",
        "Ann Lee",
        "$10.00",
        "3 days in stage",
    )
    assert harness.column(1).header.text() == "Qualified · 25% · 0 deals"


def test_drop_into_another_column_moves_the_deal_there(
    harness: PaneHarness, book: Book, services: Any, clock: FixedClock
) -> None:
    a = book.deal("A", value=1000)
    book.deal("B", value=250, currency="EUR")
    book.deal("C", value=2000, stage=1)
    book.deal("D", value=5, stage=1)
    open_board(harness)
    clock.instant += timedelta(hours=2)

    harness.drop(a, to_position=1, before_row=1)

    assert harness.names(0) == ["B"]
    assert harness.names(1) == ["C", "A", "D"]
    assert book.column(1) == ["C", "A", "D"]  # the stored order
    assert services.deals.get(a).stage_id == book.stage_ids[1]
    last = services.deals.history(a)[-1]
    assert (last.from_stage, last.to_stage, last.changed_at) == (
        "Lead",
        "Qualified",
        clock.instant,
    )
    assert harness.column(0).header.text() == "Lead · 10% · 1 deal · €2.50"
    assert harness.column(1).header.text() == "Qualified · 25% · 3 deals · $30.05"
    card = harness.column(1).model.cards[1]
    assert card.stage_entered_at == clock.instant
    assert harness.resets == 0  # two columns changed row by row, nothing reloaded


def test_drop_within_a_column_keeps_the_new_order(
    harness: PaneHarness, book: Book, services: Any
) -> None:
    a = book.deal("A")
    book.deal("B")
    book.deal("C")
    open_board(harness)
    harness.drop(a, to_position=0, before_row=2)  # between B and C
    assert harness.names(0) == ["B", "A", "C"]
    assert book.column(0) == ["B", "A", "C"]
    harness.drop(a, to_position=0, before_row=3)  # after C: the end of the column
    assert harness.names(0) == ["B", "C", "A"]
    assert book.column(0) == ["B", "C", "A"]
    assert len(services.deals.history(a)) == 1  # same stage: no history row
    assert harness.resets == 0


def test_ctrl_arrows_move_the_selected_card_and_focus_follows(
    qtbot: Any, harness: PaneHarness, book: Book, services: Any
) -> None:
    book.deal("A")
    b = book.deal("B")
    book.deal("X", stage=1)
    open_board(harness)
    board = harness.pane.board
    assert board.select(b)
    view = harness.column(0).view
    qtbot.waitUntil(view.hasFocus)

    with qtbot.waitSignal(board.moved, timeout=10_000):
        qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)

    assert services.deals.get(b).stage_id == book.stage_ids[1]
    assert harness.names(1) == ["X", "B"]  # the same row, in the next column
    history = services.deals.history(b)
    assert (history[-1].from_stage, history[-1].to_stage) == ("Lead", "Qualified")
    target = harness.column(1).view
    assert target.hasFocus()
    assert target.current_deal_id() == b

    with qtbot.waitSignal(board.moved, timeout=10_000):
        qtbot.keyClick(target, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert harness.names(1) == ["B", "X"]
    assert book.column(1) == ["B", "X"]
    assert target.current_deal_id() == b

    with qtbot.waitSignal(board.moved, timeout=10_000):
        qtbot.keyClick(target, Qt.Key.Key_Left, Qt.KeyboardModifier.ControlModifier)
    assert services.deals.get(b).stage_id == book.stage_ids[0]
    assert harness.names(0) == ["B", "A"]
    assert harness.column(0).view.hasFocus()
    assert harness.resets == 0


def test_ctrl_left_on_the_first_stage_does_nothing(
    qtbot: Any, harness: PaneHarness, book: Book, services: Any
) -> None:
    a = book.deal("A")
    open_board(harness)
    harness.pane.board.select(a)
    view = harness.column(0).view
    qtbot.keyClick(view, Qt.Key.Key_Left, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(view, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    harness.idle()
    assert harness.names(0) == ["A"]
    assert services.deals.get(a).stage_id == book.stage_ids[0]


def test_headers_total_each_currency_apart(harness: PaneHarness, book: Book) -> None:
    book.deal("A", value=1000)
    book.deal("B", value=2050)
    book.deal("C", value=250, currency="EUR")
    book.deal("D", value=120_000, currency="JPY")
    open_board(harness)
    assert harness.column(0).header.text() == "Lead · 10% · 4 deals · €2.50 · ¥120,000 · $30.50"


def test_a_refused_move_puts_the_card_back(
    qtbot: Any, harness: PaneHarness, book: Book, services: Any
) -> None:
    a = book.deal("A")
    book.deal("B")
    open_board(harness)
    services.deals.delete(a)  # behind the board's back: the move will be refused
    board = harness.pane.board
    place = board.place_of(a)
    assert place is not None
    with qtbot.waitSignal(board.move_failed, timeout=10_000):
        board.move_deal(a, book.stage_ids[2], 0)
    assert harness.names(0) == ["A", "B"]
    assert harness.names(2) == []
    box = board.findChild(QMessageBox, "errorDialog")
    assert box is not None and "not found" in box.text().lower()
    box.close()


def test_a_move_of_a_deal_deleted_elsewhere_reads_the_board_again(
    qtbot: Any, harness: PaneHarness, book: Book, services: Any
) -> None:
    a = book.deal("A")
    book.deal("B")
    open_board(harness)
    services.deals.delete(a)  # another window deleted it: the card must not linger
    board = harness.pane.board
    with qtbot.waitSignal(board.loaded, timeout=10_000):
        board.move_deal(a, book.stage_ids[2], 0)
    assert harness.names(0) == ["B"]
    assert harness.column(0).header.text() == "Lead · 10% · 1 deal · $10.00"
    box = board.findChild(QMessageBox, "errorDialog")
    assert box is not None
    box.close()


def test_enter_opens_the_deal(qtbot: Any, harness: PaneHarness, book: Book) -> None:
    a = book.deal("A")
    open_board(harness)
    harness.pane.board.select(a)
    qtbot.keyClick(harness.column(0).view, Qt.Key.Key_Return)
    dialog = harness.pane.actions.last_dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.name.text() == "A")  # type: ignore[attr-defined]
    dialog.reject()


def test_column_model_passes_modeltester(
    qtmodeltester: Any, harness: PaneHarness, book: Book
) -> None:
    for name in ("A", "B"):
        book.deal(name)
    open_board(harness)
    model = harness.column(0).model
    qtmodeltester.check(model, force_py=True)
    qtmodeltester.check(model)
    qtmodeltester.check(harness.column(1).model, force_py=True)
    assert model.index(1, 0).data(DEAL_ID_ROLE) == model.cards[1].id
    assert model.flags(QModelIndex()) & Qt.ItemFlag.ItemIsDropEnabled
    assert model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsDragEnabled
    assert not model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsDropEnabled


def test_foreign_mime_data_is_refused(harness: PaneHarness, book: Book) -> None:
    from PySide6.QtCore import QMimeData

    book.deal("A")
    open_board(harness)
    data = QMimeData()
    data.setText("A")
    model = harness.column(1).model
    assert not model.canDropMimeData(data, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    assert not model.dropMimeData(data, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    QApplication.processEvents()
    assert harness.names(1) == []


def test_moves_made_before_the_first_commits_all_land(
    qtbot: Any, harness: PaneHarness, book: Book, services: Any
) -> None:
    a = book.deal("A", value=100)
    b = book.deal("B", value=200, currency="EUR")
    open_board(harness)
    board = harness.pane.board
    board.select(a)
    view = harness.column(0).view
    # Three key presses and a drop, none waiting for the database.
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(harness.column(1).view, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    harness.pane.board.move_deal(b, book.stage_ids[3], 0)
    qtbot.keyClick(harness.column(2).view, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    harness.idle()
    assert harness.names(3) == ["A", "B"]  # A kept its row (0) on the way across
    assert book.column(3) == ["A", "B"]
    assert services.deals.get(a).stage_id == book.stage_ids[3]
    assert [h.to_stage for h in services.deals.history(a)] == [
        "Lead",
        "Qualified",
        "Proposal",
        "Won",
    ]
    assert harness.column(0).header.text() == "Lead · 10% · 0 deals"
    assert harness.column(3).header.text() == "Won · 100% · 2 deals · €2.00 · $1.00"
    assert harness.pane.board.column_for(book.stage_ids[3]).view.current_deal_id() == a  # type: ignore[union-attr]


def test_a_drop_event_on_the_view_moves_the_card(
    qtbot: Any, harness: PaneHarness, book: Book, services: Any
) -> None:
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QDropEvent

    a = book.deal("A")
    book.deal("X", stage=1)
    book.deal("Y", stage=1)
    open_board(harness)
    source = harness.column(0).model
    mime = source.mimeData([source.index(0, 0)])
    target = harness.column(1).view
    second = target.visualRect(target.model().index(1, 0))
    # The upper edge of the second card: a drop between X and Y.
    point = QPointF(second.center().x(), second.top() + 2)
    event = QDropEvent(
        point,
        Qt.DropAction.MoveAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    event.ignore()  # as Qt delivers a drop: the view accepts it if it takes it
    # Straight to the view's handler: QApplication passes on no drop without a drag running.
    with qtbot.waitSignal(harness.pane.board.moved, timeout=10_000):
        target.dropEvent(event)
    assert event.isAccepted()
    assert harness.names(1) == ["X", "A", "Y"]
    assert book.column(1) == ["X", "A", "Y"]
    assert services.deals.get(a).stage_id == book.stage_ids[1]


def test_a_move_made_while_the_board_reloads_is_not_undone_by_the_reload(
    harness: PaneHarness, book: Book
) -> None:
    a = book.deal("A")
    book.deal("B")
    open_board(harness)
    board = harness.pane.board
    board.refresh(book.pipeline_id, board.filters)  # a filter change or a pipeline edit
    board.move_deal(a, book.stage_ids[1], 0)  # before that reload has answered
    harness.qtbot.waitUntil(lambda: harness.tasks.is_idle() and not board.is_loading)
    assert book.column(1) == ["A"]
    assert (harness.names(0), harness.names(1)) == (["B"], ["A"])
