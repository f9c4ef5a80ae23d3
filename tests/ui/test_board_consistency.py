"""The board stays equal to the database: moves answered late, refused, or changed elsewhere."""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox

from leadcartel_desktop.domain.deals import DealStatus
from leadcartel_desktop.services.deal_views import DealFilter
from leadcartel_desktop.ui.opportunities.board import BoardView
from tests.integration.deal_support import Book, sales_book
from tests.ui.opportunities_support import PaneHarness


@pytest.fixture
def book(services: Any) -> Book:
    return sales_book(services)


@pytest.fixture
def harness(qtbot: Any, context: Any, book: Book) -> Iterator[PaneHarness]:
    harness = PaneHarness(qtbot, context)
    yield harness
    for box in harness.pane.findChildren(QMessageBox):
        box.close()
    harness.close()


class HeldCommits:
    """Holds the database lane (one thread, first in first out) so the moves shown meanwhile
    queue behind it; release() lets them commit, in order, as a slow disk would."""

    def __init__(self, harness: PaneHarness) -> None:
        self._gate = threading.Event()
        self._started = threading.Event()

        def hold() -> None:
            self._started.set()
            self._gate.wait(30)

        harness.tasks.run(hold)
        assert self._started.wait(10), "the database lane did not start"

    def release(self) -> None:
        self._gate.set()


def ui_columns(board: BoardView) -> list[list[int]]:
    return [[card.id for card in column.model.cards] for column in board.columns]


def db_columns(book: Book, filters: DealFilter | None = None) -> list[list[int]]:
    board = book.services.deals.board(book.pipeline_id, filters or DealFilter())
    return [[card.id for card in column.cards] for column in board.columns]


def assert_board_equals_database(board: BoardView, book: Book) -> None:
    db = book.services.deals.board(book.pipeline_id, board.filters)
    assert ui_columns(board) == [[card.id for card in column.cards] for column in db.columns]
    for widget, column in zip(board.columns, db.columns, strict=True):
        assert widget.model.totals() == column.totals, column.stage.name
        assert widget.model.rowCount() == column.count, column.stage.name
        assert widget.model.cards == column.cards, column.stage.name  # fresh cards too


def settle(harness: PaneHarness) -> None:
    board = harness.pane.board
    harness.qtbot.waitUntil(
        lambda: not board._pending and harness.tasks.is_idle() and not board.is_loading,
        timeout=20_000,
    )


def message_texts(harness: PaneHarness) -> list[str]:
    texts = []
    for box in harness.pane.findChildren(QMessageBox):
        texts.append(box.text())
        box.close()
    return texts


# Moves answered after later moves were shown ------------------------------------------------------
def test_an_answer_counted_before_a_later_move_does_not_misplace_the_card(
    harness: PaneHarness, book: Book
) -> None:
    a = book.deal("A")
    book.deal("B")
    c = book.deal("C")
    harness.open_board()
    board = harness.pane.board
    held = HeldCommits(harness)
    board.move_deal(c, book.stage_ids[0], 1)  # A C B: its answer will say row 1...
    board.move_deal(a, book.stage_ids[1], 0)  # ...but once A leaves, C is on row 0: C B
    assert harness.names(0) == ["C", "B"]
    held.release()
    settle(harness)
    assert book.column(0) == ["C", "B"]
    assert harness.names(0) == ["C", "B"]
    assert harness.names(1) == ["A"]
    assert_board_equals_database(board, book)
    assert harness.resets == 0


def test_three_hundred_moves_answered_late_leave_the_board_equal_to_the_database(
    harness: PaneHarness, book: Book
) -> None:
    currencies = ["USD", "EUR", "JPY"]
    ids = [
        book.deal(f"D{i}", stage=i % 4, value=100 + i, currency=currencies[i % 3])
        for i in range(20)
    ]
    harness.open_board()
    board = harness.pane.board
    rng = random.Random(7)
    intended = ui_columns(board)
    moved = 0
    for batch in range(6):
        # Fifty moves shown while the database is busy, then committed one after another.
        held = HeldCommits(harness)
        for _ in range(50):
            deal = rng.choice(ids)
            stage = rng.choice(book.stage_ids)
            index = rng.choice([0, 1, 2, 99])
            source = next(column for column in intended if deal in column)
            target = intended[book.stage_ids.index(stage)]
            same = source is target
            row = max(0, min(index, len(target) - (1 if same else 0)))
            if not (same and source.index(deal) == row):
                source.remove(deal)
                target.insert(row, deal)
                moved += 1
            board.move_deal(deal, stage, index)
        assert ui_columns(board) == intended, f"batch {batch}: the moves were not shown at once"
        held.release()
        settle(harness)
        assert db_columns(book) == intended, f"batch {batch}: the database differs"
        assert ui_columns(board) == intended, f"batch {batch}: the board differs"
    assert moved > 200
    assert_board_equals_database(board, book)
    assert harness.resets == 0  # every move shown row by row, nothing reloaded
    assert message_texts(harness) == []


# A move the service refuses because the board is out of date ------------------------------------
def test_a_move_of_a_deal_moved_to_another_pipeline_takes_it_off_and_says_why(
    qtbot: Any, harness: PaneHarness, book: Book, services: Any
) -> None:
    a = book.deal("A", value=700)
    book.deal("B", value=250)
    harness.open_board()
    other = services.pipelines.create("Other", [("X", 5)])
    stage = services.pipelines.get(other).stages[0].id
    # Another window moves A to another pipeline; this board still shows it.
    services.deals.update(
        a, replace(services.deals.get(a).draft(), pipeline_id=other, stage_id=stage)
    )
    board = harness.pane.board
    with qtbot.waitSignal(board.move_failed, timeout=10_000):
        board.move_deal(a, book.stage_ids[1], 0)
    texts = message_texts(harness)
    assert any("another pipeline" in text for text in texts), texts
    settle(harness)
    assert board.place_of(a) is None
    assert harness.names(0) == ["B"]
    assert harness.names(1) == []
    assert harness.column(0).header.text() == "Lead · 10% · 1 deal · $2.50"
    assert harness.column(1).header.text() == "Qualified · 25% · 0 deals"
    assert_board_equals_database(board, book)
    assert services.deals.get(a).pipeline_id == other


# A move of a deal whose status or close date changed elsewhere -----------------------------------
def test_a_deal_marked_lost_elsewhere_leaves_the_open_board_when_moved(
    harness: PaneHarness, book: Book, services: Any
) -> None:
    a = book.deal("A", value=1000)
    book.deal("B", value=300)
    book.deal("Q", value=50, stage=1)
    harness.open_board()
    services.deals.set_status(a, DealStatus.LOST, "gone")  # the open board still shows it
    board = harness.pane.board
    board.move_deal(a, book.stage_ids[1], 0)
    settle(harness)
    assert board.place_of(a) is None
    assert harness.names(0) == ["B"]
    assert harness.names(1) == ["Q"]
    assert harness.column(0).header.text() == "Lead · 10% · 1 deal · $3.00"
    assert harness.column(1).header.text() == "Qualified · 25% · 1 deal · $0.50"
    assert_board_equals_database(board, book)
    assert services.deals.get(a).stage_id == book.stage_ids[1]  # the move itself was kept
    assert harness.resets == 0  # one card taken off, not a reload
    assert message_texts(harness) == []


def test_a_board_of_every_status_keeps_a_lost_deal_but_the_open_board_lets_a_won_one_go(
    qtbot: Any, harness: PaneHarness, book: Book, services: Any
) -> None:
    a = book.deal("A", value=1000)
    b = book.deal("B", value=300)
    harness.open_board()
    board = harness.pane.board
    with qtbot.waitSignal(board.loaded, timeout=10_000):
        board.refresh(book.pipeline_id, DealFilter(statuses=frozenset()))  # every status
    services.deals.set_status(a, DealStatus.LOST, "gone")
    with qtbot.waitSignal(board.moved, timeout=10_000):
        board.move_deal(a, book.stage_ids[1], 0)
    card = board.card(a)
    assert card is not None and card.status == DealStatus.LOST  # this board shows lost deals
    assert harness.column(1).header.text() == "Qualified · 25% · 1 deal · $10.00"
    assert_board_equals_database(board, book)

    with qtbot.waitSignal(board.loaded, timeout=10_000):
        board.refresh(book.pipeline_id, DealFilter())  # open deals only: B
    services.deals.set_status(b, DealStatus.WON)  # B won elsewhere
    with qtbot.waitSignal(board.moved, timeout=10_000):
        board.move_deal(b, book.stage_ids[1], 0)
    settle(harness)
    assert board.place_of(b) is None
    assert [harness.names(0), harness.names(1)] == [[], []]
    assert harness.column(1).header.text() == "Qualified · 25% · 0 deals"
    assert_board_equals_database(board, book)


def test_a_deal_renamed_elsewhere_out_of_the_search_leaves_when_moved(
    qtbot: Any, harness: PaneHarness, book: Book, services: Any
) -> None:
    a = book.deal("Acme renewal")
    book.deal("Acme upsell")
    harness.open_board()
    board = harness.pane.board
    acme = DealFilter(search="acme")
    with qtbot.waitSignal(board.loaded, timeout=10_000):
        board.refresh(book.pipeline_id, acme)
    assert harness.names(0) == ["Acme renewal", "Acme upsell"]
    services.deals.update(a, replace(services.deals.get(a).draft(), name="Zed renewal"))
    board.move_deal(a, book.stage_ids[1], 0)
    settle(harness)
    assert board.place_of(a) is None
    assert harness.names(0) == ["Acme upsell"]
    assert harness.column(1).header.text() == "Qualified · 25% · 0 deals"
    assert_board_equals_database(board, book)


def test_a_lost_deal_leaves_while_other_moves_are_still_on_their_way(
    harness: PaneHarness, book: Book, services: Any
) -> None:
    a = book.deal("A", value=1000)
    b = book.deal("B", value=300)
    c = book.deal("C", value=20, currency="EUR")
    harness.open_board()
    services.deals.set_status(a, DealStatus.LOST, "gone")
    board = harness.pane.board
    held = HeldCommits(harness)
    board.move_deal(a, book.stage_ids[1], 0)
    board.move_deal(c, book.stage_ids[1], 0)  # C A
    board.move_deal(b, book.stage_ids[1], 2)  # C A B: B after A, which is about to leave
    held.release()
    settle(harness)
    assert harness.names(1) == ["C", "B"]
    assert book.column(1) == ["C", "B"]
    assert harness.column(1).header.text() == "Qualified · 25% · 2 deals · €0.20 · $3.00"
    assert harness.column(0).header.text() == "Lead · 10% · 0 deals"
    assert_board_equals_database(board, book)
    assert harness.resets == 0


def test_a_deal_whose_close_date_left_the_range_elsewhere_leaves_when_moved(
    qtbot: Any, harness: PaneHarness, book: Book, services: Any
) -> None:
    a = book.deal("A", close=date(2030, 3, 10))
    book.deal("B", close=date(2030, 3, 20))
    harness.open_board()
    board = harness.pane.board
    march = DealFilter(close_from=date(2030, 3, 1), close_to=date(2030, 3, 31))
    with qtbot.waitSignal(board.loaded, timeout=10_000):
        board.refresh(book.pipeline_id, march)
    draft = replace(services.deals.get(a).draft(), expected_close=date(2030, 5, 1))
    services.deals.update(a, draft)  # another window pushed it out of March
    board.move_deal(a, book.stage_ids[2], 0)
    settle(harness)
    assert board.place_of(a) is None
    assert harness.names(0) == ["B"]
    assert harness.column(2).header.text() == "Proposal · 50% · 0 deals"
    assert_board_equals_database(board, book)
