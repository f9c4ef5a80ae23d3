"""The list and forecast views, the shared filters, the empty states and the pane in the window."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt

from leadcartel_desktop.domain.deals import DealStatus
from leadcartel_desktop.services.deal_views import DealFilter
from leadcartel_desktop.ui.opportunities.forecast_model import ForecastColumn, ForecastTableModel
from leadcartel_desktop.ui.opportunities.list_model import DealColumn, DealTableModel
from leadcartel_desktop.ui.opportunities.workspace import View
from leadcartel_desktop.ui.tasks import TaskRunner
from tests.integration.deal_support import Book, sales_book
from tests.ui.opportunities_support import PaneHarness


@pytest.fixture
def book(services: Any) -> Book:
    return sales_book(services)


@pytest.fixture
def harness(qtbot: Any, context: Any) -> Iterator[PaneHarness]:
    harness = PaneHarness(qtbot, context)
    yield harness
    harness.close()


@pytest.fixture
def tasks(qtbot: Any) -> Iterator[TaskRunner]:
    errors: list[BaseException] = []
    runner = TaskRunner(errors.append)
    yield runner
    runner.wait_for_done()
    assert not errors, errors


def column_text(model: DealTableModel, column: DealColumn) -> list[str]:
    return [model.index(row, column).data() for row in range(model.rowCount())]


def show_list(qtbot: Any, harness: PaneHarness) -> DealTableModel:
    harness.open_board()
    model = harness.pane.list_model
    harness.pane.show_view(View.LIST)
    qtbot.waitUntil(lambda: model.has_loaded and harness.tasks.is_idle())
    return model


def click_header(qtbot: Any, harness: PaneHarness, column: DealColumn) -> None:
    view = harness.pane.list_view
    header = view.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    harness.idle()


def test_list_sorts_by_raw_values(qtbot: Any, harness: PaneHarness, book: Book) -> None:
    # As text "$9.00" > "$10.00" > "$100.00"; by minor units it is the other way round.
    book.deal("Small", value=900)
    book.deal("Large", value=10_000, close=date(2026, 5, 1))
    book.deal("Middle", value=1_000, stage=2, close=date(2026, 4, 1))
    model = show_list(qtbot, harness)
    assert column_text(model, DealColumn.NAME) == ["Large", "Middle", "Small"]

    click_header(qtbot, harness, DealColumn.VALUE)
    assert column_text(model, DealColumn.VALUE) == ["$9.00", "$10.00", "$100.00"]
    click_header(qtbot, harness, DealColumn.VALUE)
    assert column_text(model, DealColumn.VALUE) == ["$100.00", "$10.00", "$9.00"]

    click_header(qtbot, harness, DealColumn.CLOSE)
    assert column_text(model, DealColumn.CLOSE) == ["Apr 1, 2026", "May 1, 2026", "—"]
    click_header(qtbot, harness, DealColumn.STAGE)
    assert column_text(model, DealColumn.STAGE) == ["Lead", "Lead", "Proposal"]


def test_list_follows_the_shared_filters(qtbot: Any, harness: PaneHarness, book: Book) -> None:
    book.deal("Alpha", contact=book.ann)
    won = book.deal("Beta")
    book.services.deals.set_status(won, DealStatus.WON)
    model = show_list(qtbot, harness)
    assert column_text(model, DealColumn.NAME) == ["Alpha"]

    harness.pane.filter_bar.status_boxes[DealStatus.WON].setChecked(True)
    qtbot.waitUntil(lambda: column_text(model, DealColumn.NAME) == ["Alpha", "Beta"])
    assert column_text(model, DealColumn.STATUS) == ["Open", "Won"]

    qtbot.keyClicks(harness.pane.filter_bar.search_box, "lee")  # Ann Lee, the contact
    qtbot.waitUntil(lambda: column_text(model, DealColumn.NAME) == ["Alpha"])


def test_board_filters_by_close_date_range(qtbot: Any, harness: PaneHarness, book: Book) -> None:
    book.deal("March", close=date(2026, 3, 20))
    book.deal("May", close=date(2026, 5, 2))
    book.deal("Undated")
    harness.open_board()
    bar = harness.pane.filter_bar
    bar.set_close_range(date(2026, 4, 1), date(2026, 6, 30))
    qtbot.waitUntil(lambda: harness.names(0) == ["May"])
    bar.set_close_range(None, None)
    qtbot.waitUntil(lambda: harness.names(0) == ["March", "May", "Undated"])


def test_forecast_for_a_small_fixed_set(qtbot: Any, harness: PaneHarness, book: Book) -> None:
    march, april = date(2026, 3, 15), date(2026, 4, 2)
    book.deal("A", value=10_001, stage=0, close=march)  # 10%: 1,000.1 -> 1,000
    book.deal("B", value=333, stage=2, close=march)  # 50%: 166.5 -> 167 (half up)
    book.deal("C", value=5_000, currency="EUR", stage=1, close=march)  # 25%: 1,250
    book.deal("D", value=2_000, stage=3, close=april)  # 100%
    book.deal("E", value=700, stage=2)  # no close date: 350
    harness.open_board()
    model = harness.pane.forecast_model
    harness.pane.show_view(View.FORECAST)
    qtbot.waitUntil(lambda: model.has_loaded and harness.tasks.is_idle())
    rows = [
        tuple(model.index(row, column).data() for column in ForecastColumn)
        for row in range(model.rowCount())
    ]
    assert rows == [
        ("Mar 2026", "EUR", "€12.50", "€50.00", "1"),
        ("Mar 2026", "USD", "$11.67", "$103.34", "2"),
        ("Apr 2026", "USD", "$20.00", "$20.00", "1"),
        ("No date", "USD", "$3.50", "$7.00", "1"),
    ]
    assert model.rows[1].weighted_minor == 1_167


def test_list_and_forecast_say_when_nothing_matches(
    qtbot: Any, harness: PaneHarness, book: Book
) -> None:
    book.deal("Logo", close=date(2026, 5, 1))
    model = show_list(qtbot, harness)
    assert model.rowCount() == 1 and harness.pane.list_view.empty_text() == ""
    harness.pane.filter_bar.search_box.setText("no such deal")
    qtbot.waitUntil(lambda: model.has_loaded and model.rowCount() == 0)
    assert harness.pane.list_view.empty_text() == "No deals match these filters."
    harness.pane.show_view(View.FORECAST)
    forecast = harness.pane.forecast_model
    qtbot.waitUntil(lambda: forecast.has_loaded and harness.tasks.is_idle())
    assert harness.pane.forecast_view.table.empty_text() == "No deals match these filters."


def test_list_model_passes_modeltester(
    qtbot: Any, qtmodeltester: Any, context: Any, book: Book, tasks: TaskRunner
) -> None:
    book.deal("A", value=1000, close=date(2026, 3, 1))
    book.deal("B", value=500, currency="EUR")
    model = DealTableModel(context.services, tasks)
    qtmodeltester.check(model)  # empty, with Qt's own tester (it stays attached)
    model.refresh(book.pipeline_id, DealFilter())
    qtbot.waitUntil(lambda: model.has_loaded)
    assert model.rowCount() == 2
    qtmodeltester.check(model, force_py=True)
    model.sort(DealColumn.VALUE, Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: tasks.is_idle() and model.rows[0].name == "A")


def test_forecast_model_passes_modeltester(
    qtbot: Any, qtmodeltester: Any, context: Any, book: Book, tasks: TaskRunner
) -> None:
    book.deal("A", value=1000, close=date(2026, 3, 1))
    book.deal("B", value=500, currency="EUR")
    model = ForecastTableModel(context.services, tasks)
    qtmodeltester.check(model)
    model.refresh(book.pipeline_id, DealFilter())
    qtbot.waitUntil(lambda: model.has_loaded)
    assert model.rowCount() == 2
    qtmodeltester.check(model, force_py=True)
    model.refresh(None, DealFilter(statuses=frozenset()))
    qtbot.waitUntil(tasks.is_idle)
    assert model.rowCount() == 2


def test_without_pipelines_the_pane_offers_to_create_one(qtbot: Any, harness: PaneHarness) -> None:
    harness.outer.show()
    pane = harness.pane
    qtbot.waitUntil(lambda: pane.body.currentWidget() is pane.empty_state)
    assert pane.empty_state.title_label.text() == "No pipelines yet"
    assert not pane.new_button.isEnabled()
    qtbot.mouseClick(pane.empty_state.button, Qt.MouseButton.LeftButton)  # type: ignore[arg-type]
    dialog = pane.pipeline_dialog
    assert dialog is not None
    dialog.create_pipeline("Sales")
    qtbot.waitUntil(lambda: pane.body.currentWidget() is pane.views and pane.board.has_loaded)
    harness.idle()
    assert pane.pipeline_combo.currentText() == "Sales"
    assert [c.model.stage.name for c in pane.board.columns][:2] == ["Lead", "Qualified"]
    assert pane.new_button.isEnabled()
    dialog.close()


def test_the_window_shows_the_pane_instead_of_a_placeholder(qtbot: Any, context: Any) -> None:
    from tests.ui.payments_book import WindowHarness

    sales_book(context.services)
    window_harness = WindowHarness(qtbot, context)
    window = window_harness.window
    window.show_pane(1)
    assert window.opportunities is not None
    assert window.stack.currentWidget() is window.opportunities
    pane = window.opportunities.workspace
    qtbot.waitUntil(lambda: pane.board.has_loaded)
    assert len(pane.board.columns) == 4
    window_harness.tasks.wait_for_done()
    qtbot.waitUntil(window_harness.tasks.is_idle)
    window_harness.close()


def test_the_pipeline_and_view_are_remembered(
    qtbot: Any, context: Any, harness: PaneHarness, book: Book, tmp_path: Any
) -> None:
    from PySide6.QtCore import QSettings

    second_id = context.services.pipelines.create("Renewals", [("Due", 50)])
    harness.open_board()
    combo = harness.pane.pipeline_combo
    qtbot.waitUntil(lambda: combo.count() == 2)
    combo.setCurrentIndex(combo.findData(second_id))
    harness.pane.show_view(View.FORECAST)
    harness.idle()
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    harness.outer.save_state(settings)

    again = PaneHarness(qtbot, context)
    again.outer.restore_state(settings)
    again.outer.show()
    qtbot.waitUntil(lambda: again.pane.pipeline_combo.count() == 2)
    assert again.pane.pipeline_id() == second_id
    assert again.pane.current_view() is View.FORECAST
    assert again.pane.views.currentIndex() == View.FORECAST
    again.idle()
    again.close()

    context.services.pipelines.delete(second_id)
    gone = PaneHarness(qtbot, context)
    gone.outer.restore_state(settings)
    gone.outer.show()
    qtbot.waitUntil(lambda: gone.pane.pipeline_combo.count() == 1)
    assert gone.pane.pipeline_id() == book.pipeline_id
    gone.idle()
    gone.close()


def test_a_passed_close_date_is_marked_on_the_board_and_in_the_list(
    qtbot: Any, harness: PaneHarness, book: Book
) -> None:
    from leadcartel_desktop.ui.opportunities.column_model import LINES_ROLE

    today = harness.context.services.clock.now().astimezone().date()
    late = book.deal("Late", close=today - timedelta(days=3))
    book.deal("On time", close=today + timedelta(days=3))
    won = book.deal("Won late", close=today - timedelta(days=3))
    book.services.deals.set_status(won, DealStatus.WON, "")
    harness.open_board()

    column = harness.column(0).model
    lines = {column.index(r, 0).data(LINES_ROLE).name: column.index(r, 0).data(LINES_ROLE)
             for r in range(column.rowCount())}  # fmt: skip
    assert lines["Late"].overdue and lines["Late"].close.startswith("Overdue: ")
    assert not lines["On time"].overdue and lines["On time"].close.startswith("Closes ")
    model = show_list(qtbot, harness)
    model.refresh(book.pipeline_id, DealFilter(statuses=frozenset()))
    harness.idle()
    red = {
        model.index(row, DealColumn.NAME).data(): model.index(row, DealColumn.CLOSE).data(
            Qt.ItemDataRole.ForegroundRole
        )
        for row in range(model.rowCount())
    }
    assert red["Late"] is not None and red["On time"] is None
    assert red["Won late"] is None  # a closed deal is not late any more
    assert late in {row.id for row in model.rows}


def test_a_close_date_passes_by_the_business_calendar_not_the_computers(
    qtbot: Any, harness: PaneHarness, book: Book
) -> None:
    """Far east of the computer's clock the business's day has already moved on."""
    from dataclasses import replace as changed

    from leadcartel_desktop.services.clock import shown_zone
    from leadcartel_desktop.ui.opportunities.column_model import LINES_ROLE

    settings = book.services.settings
    business = changed(settings.business(), company_name="Acme", time_zone="Pacific/Kiritimati")
    settings.save_business(business)
    now = harness.context.services.clock.now()
    business_today = now.astimezone(shown_zone("Pacific/Kiritimati")).date()
    computer_today = now.astimezone().date()
    yesterday = business_today - timedelta(days=1)
    book.deal("Due yesterday there", close=yesterday)
    harness.open_board()
    column = harness.column(0).model
    (lines,) = [column.index(r, 0).data(LINES_ROLE) for r in range(column.rowCount())]
    assert lines.overdue == (yesterday < business_today)
    if computer_today <= yesterday:  # the computer still thinks the day has not passed
        assert lines.overdue
