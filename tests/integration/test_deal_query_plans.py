"""The board's queries walk ix_deals_board in order: no table scan, no sort step."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from leadcartel_desktop.domain.deals import DealStatus
from leadcartel_desktop.services.deal_views import DealFilter
from leadcartel_desktop.storage.database import Database, open_database


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    db = open_database(tmp_path / "book.sqlite3")
    with db.unit_of_work() as uow:
        pipeline_id = uow.pipelines.add("Sales")
        uow.pipelines.add_stage(pipeline_id, "Lead", 10, 1024)
        uow.commit()
    yield db
    db.close()


def _plans(database: Database, action: Callable[[Any], object]) -> list[tuple[str, list[str]]]:
    seen: list[str] = []
    with database.unit_of_work(read_only=True) as uow:
        driver = uow._connection  # type: ignore[attr-defined]
        assert isinstance(driver, sqlite3.Connection)
        driver.set_trace_callback(seen.append)
        try:
            action(uow)
        finally:
            driver.set_trace_callback(None)
        statements = [s for s in seen if s.lstrip().upper().startswith("SELECT")]
        return [
            (s, [row[3] for row in driver.execute(f"EXPLAIN QUERY PLAN {s}")]) for s in statements
        ]


@pytest.mark.parametrize(
    "filters",
    [
        DealFilter(),
        DealFilter(statuses=frozenset()),
        DealFilter(statuses=frozenset({DealStatus.WON, DealStatus.LOST}), search="a"),
    ],
)
def test_board_and_column_reads_use_the_board_index_without_sorting(
    database: Database, filters: DealFilter
) -> None:
    def read(uow: Any) -> None:
        uow.deal_queries.board_cards(1, filters)
        uow.deals.column(1, 1, 0, filters)

    plans = _plans(database, read)
    assert len(plans) == 2
    for statement, plan in plans:
        assert any("USING INDEX ix_deals_board" in step for step in plan), (statement, plan)
        assert not any("TEMP B-TREE" in step for step in plan), (statement, plan)
        assert not any(step.startswith("SCAN d") for step in plan), (statement, plan)
