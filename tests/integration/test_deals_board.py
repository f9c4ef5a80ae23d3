"""The board through the real services: moves keep order, history and per-currency totals."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from leadcartel_desktop.domain.deals import DealStatus
from leadcartel_desktop.domain.errors import ValidationError
from leadcartel_desktop.services.deal_views import DealFilter
from tests.conftest import FixedClock
from tests.integration.deal_support import Book, Services, sales_book


@pytest.fixture
def book(services: Services) -> Book:
    return sales_book(services)


def test_new_deals_go_to_the_end_of_their_column(book: Book) -> None:
    for name in ("A", "B", "C"):
        book.deal(name)
    book.deal("D", stage=1)
    assert book.column(0) == ["A", "B", "C"]
    assert book.column(1) == ["D"]


def test_a_move_between_columns_keeps_stage_order_history_and_totals(
    book: Book, clock: FixedClock
) -> None:
    services = book.services
    created_at = clock.instant
    a = book.deal("A", value=1000)
    b = book.deal("B", value=250, currency="EUR")
    c = book.deal("C", value=2000, stage=1)
    book.deal("D", value=5, stage=1, currency="EUR")
    clock.instant = created_at + timedelta(hours=3)

    result = services.deals.move(a, book.stage_ids[1], 1)

    assert (result.from_stage_id, result.to_stage_id, result.index) == (
        book.stage_ids[0],
        book.stage_ids[1],
        1,
    )
    assert result.card.name == "A"
    assert result.card.stage_entered_at == clock.instant
    assert result.totals == {
        book.stage_ids[0]: {"EUR": 250},
        book.stage_ids[1]: {"USD": 3000, "EUR": 5},
    }
    detail = services.deals.get(a)
    assert detail.stage_id == book.stage_ids[1]
    assert detail.stage_entered_at == clock.instant
    assert book.column(0) == ["B"]
    assert book.column(1) == ["C", "A", "D"]
    history = services.deals.history(a)
    assert [(h.from_stage, h.to_stage, h.changed_at) for h in history] == [
        (None, "Lead", created_at),
        ("Lead", "Qualified", clock.instant),
    ]
    board = services.deals.board(book.pipeline_id)
    assert [column.totals for column in board.columns] == [
        {"EUR": 250},
        {"USD": 3000, "EUR": 5},
        {},
        {},
    ]
    assert services.deals.get(b).stage_id == book.stage_ids[0]
    assert services.deals.get(c).stage_id == book.stage_ids[1]


def test_a_move_within_a_column_reorders_without_history(book: Book, clock: FixedClock) -> None:
    services = book.services
    entered = clock.instant
    a, _, c = (book.deal(name) for name in ("A", "B", "C"))
    clock.instant = entered + timedelta(days=1)

    result = services.deals.move(c, book.stage_ids[0], 0)
    assert result.index == 0
    assert book.column(0) == ["C", "A", "B"]
    services.deals.move(a, book.stage_ids[0], 99)  # past the end: the last place
    assert book.column(0) == ["C", "B", "A"]
    assert services.deals.get(c).stage_entered_at == entered
    assert len(services.deals.history(c)) == 1
    assert result.totals == {book.stage_ids[0]: {"USD": 3000}}


def test_order_survives_gaps_running_out(book: Book) -> None:
    """Always dropping between the first two cards halves the gap until it must renumber."""
    services = book.services
    ids = [book.deal(f"D{n}") for n in range(4)]
    expected = [f"D{n}" for n in range(4)]
    for round_ in range(30):
        mover = ids[(round_ % 2) + 2]
        name = services.deals.get(mover).name
        expected.remove(name)
        expected.insert(1, name)
        services.deals.move(mover, book.stage_ids[0], 1)
        assert book.column(0) == expected
        ids = [services.deals.get(i).id for i in ids]
        ids.sort(key=lambda deal_id: expected.index(services.deals.get(deal_id).name))


def test_the_index_counts_only_the_cards_the_filter_shows(book: Book) -> None:
    services = book.services
    a = book.deal("A", stage=1)
    won = book.deal("Won one", stage=1)
    book.deal("C", stage=1)
    services.deals.set_status(won, DealStatus.WON)
    mover = book.deal("M")

    result = services.deals.move(mover, book.stage_ids[1], 1)  # after A among the open cards

    assert result.index == 1
    assert book.column(1) == ["A", "M", "C"]
    everything = DealFilter(statuses=frozenset())
    board = services.deals.board(book.pipeline_id, everything)
    assert [card.name for card in board.columns[1].cards] == ["A", "M", "Won one", "C"]
    assert services.deals.get(a).stage_id == book.stage_ids[1]


def test_two_currencies_are_never_added(book: Book) -> None:
    book.deal("A", value=1000, currency="USD")
    book.deal("B", value=1000, currency="EUR")
    book.deal("C", value=5, currency="JPY")
    book.deal("D", value=1, currency="USD")
    column = book.services.deals.board(book.pipeline_id).columns[0]
    assert column.totals == {"USD": 1001, "EUR": 1000, "JPY": 5}
    assert column.count == 4


def test_filters_by_status_close_date_and_search(book: Book) -> None:
    services = book.services
    book.deal("Website", contact=book.ann, close=date(2026, 4, 1))
    lost = book.deal("Logo", contact=book.bob, close=date(2026, 5, 1))
    book.deal("Hosting", close=None)
    services.deals.set_status(lost, DealStatus.LOST, "Too dear")

    def names(filters: DealFilter) -> list[str]:
        board = services.deals.board(book.pipeline_id, filters)
        return [card.name for card in board.columns[0].cards]

    assert names(DealFilter()) == ["Website", "Hosting"]
    assert names(DealFilter(statuses=frozenset({DealStatus.LOST}))) == ["Logo"]
    everything = frozenset(DealStatus)
    assert names(DealFilter(everything, close_from=date(2026, 4, 15))) == ["Logo"]
    assert names(DealFilter(everything, close_to=date(2026, 4, 15))) == ["Website"]
    assert names(DealFilter(everything, search="BOB")) == ["Logo"]
    assert names(DealFilter(everything, search="ann l")) == ["Website"]
    assert names(DealFilter(everything, search="host")) == ["Hosting"]
    assert names(DealFilter(everything, search="50%_")) == []


def test_editing_the_stage_moves_the_deal_to_the_end_with_history(book: Book) -> None:
    services = book.services
    book.deal("First", stage=2)
    deal_id = book.deal("Moved")
    draft = replace(services.deals.get(deal_id).draft(), stage_id=book.stage_ids[2])
    services.deals.update(deal_id, replace(draft, value_minor=777))
    assert book.column(2) == ["First", "Moved"]
    assert services.deals.get(deal_id).value_minor == 777
    assert [h.to_stage for h in services.deals.history(deal_id)] == ["Lead", "Proposal"]


def test_a_move_to_another_pipelines_stage_is_refused(book: Book) -> None:
    other = book.services.pipelines.create("Hiring", [("Applied", 5)])
    stage = book.services.pipelines.get(other).stages[0].id
    deal_id = book.deal("A")
    with pytest.raises(ValidationError) as raised:
        book.services.deals.move(deal_id, stage, 0)
    assert raised.value.field == "Stage"
    assert book.column(0) == ["A"]


def test_search_ignores_accents_and_case_beyond_ascii(book: Book) -> None:
    from leadcartel_desktop.domain.contact import Contact

    services = book.services
    zoe = services.contacts.create(Contact(first_name="Zoë", last_name="Zürcher")).id
    book.deal("Étiquettes de vin", contact=zoe)
    book.deal("Plain")
    everything = frozenset(DealStatus)

    def names(search: str) -> list[str]:
        board = services.deals.board(book.pipeline_id, DealFilter(everything, search=search))
        listed = services.deals.rows(book.pipeline_id, DealFilter(everything, search=search),
                                     "name", False)  # fmt: skip
        assert [row.name for row in listed] == [c.name for c in board.columns[0].cards]
        return [card.name for card in board.columns[0].cards]

    assert names("zurcher") == ["Étiquettes de vin"]
    assert names("ZÜRCHER") == ["Étiquettes de vin"]
    assert names("etiquettes") == ["Étiquettes de vin"]
    assert names("ÉTIQ") == ["Étiquettes de vin"]
    assert names("plain") == ["Plain"]
