"""The read side of Opportunities: board cards, column totals, list rows and forecast inputs."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from leadcartel_desktop.domain.deals import DealStatus
from leadcartel_desktop.domain.forecast import ForecastItem
from leadcartel_desktop.services.deal_views import DealCard, DealFilter, DealRow
from leadcartel_desktop.storage.fts import fold
from leadcartel_desktop.storage.sql import Statements

# Deals joined to their contact; the name is the contact's generated display name.
FROM_DEALS = "FROM deals AS d LEFT JOIN contacts AS c ON c.id = d.contact_id"
# The same, walking ix_deals_board (pipeline_id, stage_id, position): a column comes out in
# its kept order with no sort step, whatever the planner's statistics say.
FROM_BOARD = (
    "FROM deals AS d INDEXED BY ix_deals_board LEFT JOIN contacts AS c ON c.id = d.contact_id"
)
_CARD = (
    "d.id, d.name, coalesce(c.display_name, ''), d.value_minor, d.currency, d.expected_close, "
    "d.stage_entered_at, d.status"
)
_STATUSES = {status.value: status for status in DealStatus}


def filter_sql(filters: DealFilter) -> tuple[str, dict[str, Any]]:
    """A boolean SQL expression over `d` and `c` matching `filters`, and its parameters."""
    terms: list[str] = []
    params: dict[str, Any] = {}
    if filters.statuses:
        names = []
        for index, status in enumerate(sorted(filters.statuses)):
            params[f"status{index}"] = DealStatus(status).value
            names.append(f":status{index}")
        terms.append(f"d.status IN ({', '.join(names)})")
    if filters.close_from is not None:
        terms.append("d.expected_close >= :close_from")
        params["close_from"] = filters.close_from.isoformat()
    if filters.close_to is not None:
        terms.append("d.expected_close <= :close_to")
        params["close_to"] = filters.close_to.isoformat()
    search = fold(filters.search.strip())
    if search:
        # Both sides folded: 'zurcher' finds 'Zoë Zürcher', 'ELODIE' finds 'Élodie'.
        escaped = search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        params["search"] = f"%{escaped}%"
        terms.append(
            "(fold(d.name) LIKE :search ESCAPE '\\' "
            "OR fold(c.display_name) LIKE :search ESCAPE '\\')"
        )
    return (" AND ".join(terms) or "1"), params


def _date(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def to_card(values: Sequence[Any]) -> DealCard:
    deal_id, name, contact, value, currency, close, entered, status = values
    return DealCard(
        id=deal_id,
        name=name,
        contact_name=contact,
        value_minor=value,
        currency=currency,
        expected_close=_date(close),
        stage_entered_at=datetime.fromisoformat(entered),
        status=_STATUSES[status],
    )


def card_sql() -> str:
    return f"SELECT {_CARD} {FROM_DEALS}"


class SqlDealQueries:
    def __init__(self, sql: Statements) -> None:
        self._sql = sql

    def board_cards(self, pipeline_id: int, filters: DealFilter) -> list[tuple[int, DealCard]]:
        where, params = filter_sql(filters)
        # Walks ix_deals_board (pipeline_id, stage_id, position): no sort step; the stages'
        # own order is applied by the caller, which groups the cards into columns.
        rows = self._sql.tuples(
            f"SELECT d.stage_id, {_CARD} {FROM_BOARD} "
            f"WHERE d.pipeline_id = :pipeline AND {where} ORDER BY d.stage_id, d.position",
            {**params, "pipeline": pipeline_id},
        )
        return [(row[0], to_card(row[1:])) for row in rows]

    def column_totals(
        self, pipeline_id: int, stage_ids: Sequence[int], filters: DealFilter
    ) -> dict[int, dict[str, int]]:
        where, params = filter_sql(filters)
        stages = {f"stage{index}": stage_id for index, stage_id in enumerate(stage_ids)}
        placeholders = ", ".join(f":{name}" for name in stages)
        rows = self._sql.tuples(
            f"SELECT d.stage_id, d.currency, sum(d.value_minor) {FROM_DEALS} "
            f"WHERE d.pipeline_id = :pipeline AND d.stage_id IN ({placeholders}) AND {where} "
            "GROUP BY d.stage_id, d.currency ORDER BY d.stage_id, d.currency",
            {**params, **stages, "pipeline": pipeline_id},
        )
        totals: dict[int, dict[str, int]] = {stage_id: {} for stage_id in stage_ids}
        for stage_id, currency, total in rows:
            totals[stage_id][currency] = total
        return totals

    def rows(self, pipeline_id: int | None, filters: DealFilter) -> list[DealRow]:
        where, params = filter_sql(filters)
        if pipeline_id is not None:
            where = f"d.pipeline_id = :pipeline AND {where}"
            params["pipeline"] = pipeline_id
        rows = self._sql.tuples(
            "SELECT d.id, d.name, coalesce(c.display_name, ''), d.value_minor, d.currency, "
            "d.expected_close, d.stage_id, s.name, s.position, d.pipeline_id, p.name, d.status, "
            f"s.probability {FROM_DEALS} JOIN pipeline_stages AS s ON s.id = d.stage_id "
            f"JOIN pipelines AS p ON p.id = d.pipeline_id WHERE {where} ORDER BY d.id",
            params,
        )
        return [
            DealRow(
                id=row[0],
                name=row[1],
                contact_name=row[2],
                value_minor=row[3],
                currency=row[4],
                expected_close=_date(row[5]),
                stage_id=row[6],
                stage=row[7],
                stage_position=row[8],
                pipeline_id=row[9],
                pipeline=row[10],
                status=_STATUSES[row[11]],
                probability=row[12],
            )
            for row in rows
        ]

    def forecast_items(self, pipeline_id: int | None, filters: DealFilter) -> list[ForecastItem]:
        where, params = filter_sql(filters)
        if pipeline_id is not None:
            where = f"d.pipeline_id = :pipeline AND {where}"
            params["pipeline"] = pipeline_id
        rows = self._sql.tuples(
            "SELECT d.value_minor, d.currency, s.probability, d.expected_close "
            f"{FROM_DEALS} JOIN pipeline_stages AS s ON s.id = d.stage_id WHERE {where}",
            params,
        )
        return [
            ForecastItem(
                value, currency, probability, None if close is None else date.fromisoformat(close)
            )
            for value, currency, probability, close in rows
        ]
