"""Deal and pipeline rules: validation names the field; card positions; forecast arithmetic."""

from __future__ import annotations

from datetime import date

import pytest

from leadcartel_desktop.domain.card_order import GAP, position_after, position_between, renumbered
from leadcartel_desktop.domain.deals import DealDraft, DealStatus, check_lost_reason
from leadcartel_desktop.domain.errors import ValidationError
from leadcartel_desktop.domain.forecast import NO_DATE, ForecastItem, forecast, weighted
from leadcartel_desktop.domain.pipelines import check_name, check_probability


def _draft(**changes: object) -> DealDraft:
    values: dict[str, object] = {
        "name": " Website ",
        "contact_id": None,
        "value_minor": 1000,
        "currency": "usd",
        "expected_close": None,
        "pipeline_id": 1,
        "stage_id": 1,
    }
    values.update(changes)
    return DealDraft(**values)  # type: ignore[arg-type]


def test_a_clean_draft_is_trimmed_and_upper_cased() -> None:
    cleaned = _draft(source=" Referral ").cleaned()
    assert (cleaned.name, cleaned.currency, cleaned.source) == ("Website", "USD", "Referral")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": "   "}, "Name"),
        ({"value_minor": -1}, "Value"),
        ({"value_minor": 10**16}, "Value"),
        ({"value_minor": 1.5}, "Value"),
        ({"currency": "US"}, "Currency"),
        ({"currency": "U$D"}, "Currency"),
        ({"notes": "bad\x00"}, "Notes"),
        ({"source": "x" * 201}, "Source"),
    ],
)
def test_a_bad_draft_names_its_field(changes: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as raised:
        _draft(**changes).cleaned()
    assert raised.value.field == field


@pytest.mark.parametrize("probability", [-1, 101, True])
def test_a_probability_outside_0_to_100_is_refused(probability: int) -> None:
    with pytest.raises(ValidationError) as raised:
        check_probability(probability)
    assert raised.value.field == "Probability"


def test_names_are_required() -> None:
    with pytest.raises(ValidationError) as raised:
        check_name("Stage name", " ")
    assert raised.value.field == "Stage name"
    assert check_name("Stage name", " Lead ") == "Lead"


def test_the_lost_reason_is_kept_for_lost_and_cleared_for_won() -> None:
    assert check_lost_reason(DealStatus.LOST, " Too dear ") == "Too dear"
    assert check_lost_reason(DealStatus.LOST, "") == ""
    assert check_lost_reason(DealStatus.WON, "Too dear") == ""


def test_positions_leave_gaps_and_say_when_none_is_left() -> None:
    assert position_after(None) == GAP
    assert position_after(2048) == 2048 + GAP
    assert position_between(None, None) == GAP
    assert position_between(None, 1024) == 512
    assert position_between(1024, 2048) == 1536
    assert position_between(1024, None) == 1024 + GAP
    assert position_between(5, 6) is None
    assert position_between(None, 1) is None
    assert renumbered([7, 3]) == [(7, GAP), (3, 2 * GAP)]


@pytest.mark.parametrize(
    ("value", "probability", "expected"),
    [(1, 50, 1), (3, 50, 2), (1, 49, 0), (12345, 25, 3086), (10, 15, 2), (999, 0, 0), (7, 100, 7)],
)
def test_weighted_value_rounds_half_up(value: int, probability: int, expected: int) -> None:
    assert weighted(value, probability) == expected


def test_the_forecast_groups_by_month_and_currency_rounding_each_deal() -> None:
    rows = forecast(
        [
            ForecastItem(1, "USD", 50, date(2026, 4, 3)),  # 0.5 -> 1
            ForecastItem(1, "USD", 50, date(2026, 4, 30)),  # 0.5 -> 1 (summed: 2, not 1)
            ForecastItem(10000, "EUR", 25, date(2026, 4, 15)),
            ForecastItem(500, "JPY", 10, None),
            ForecastItem(99, "USD", 75, date(2026, 3, 1)),  # 74.25 -> 74
        ]
    )
    assert [(r.month, r.currency, r.weighted_minor, r.value_minor, r.deals) for r in rows] == [
        ("2026-03", "USD", 74, 99, 1),
        ("2026-04", "EUR", 2500, 10000, 1),
        ("2026-04", "USD", 2, 2, 2),
        (NO_DATE, "JPY", 50, 500, 1),
    ]
