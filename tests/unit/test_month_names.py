"""Months are named in the operator's locale (the forecast's rows)."""

from __future__ import annotations

from datetime import date

import pytest

from leadcartel_desktop.i18n.formatting import format_month


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en_US", "Mar 2026"),
        ("fr_FR", "mars 2026"),
        ("de_DE", "März 2026"),
        ("ja_JP", "2026年3月"),
    ],
)
def test_a_month_is_named_in_the_locale(locale: str, expected: str) -> None:
    assert format_month(date(2026, 3, 1), locale) == expected
