"""Numbers typed with the locale's decimal mark, shown to be typed over, and phones for people."""

from __future__ import annotations

from decimal import Decimal

import pytest

from leadcartel_desktop.domain.errors import ValidationError
from leadcartel_desktop.domain.money import parse_decimal, parse_money
from leadcartel_desktop.i18n.formatting import decimal_mark, editable_amount, editable_decimal
from leadcartel_desktop.services.contact_fields import format_phone


@pytest.mark.parametrize(
    ("locale", "mark"),
    [("en_US", "."), ("en_GB", "."), ("ja_JP", "."), ("fr_FR", ","), ("de_DE", ","),
     ("tr_TR", ","), ("not_a_locale", ".")],
)  # fmt: skip
def test_decimal_mark_of_a_locale(locale: str, mark: str) -> None:
    assert decimal_mark(locale) == mark


def test_one_thousand_or_one_and_a_half() -> None:
    assert parse_money("1,000", "GBP", decimal_mark=decimal_mark("en_GB")) == 100_000
    assert parse_decimal("1,5", "Quantity", decimal_mark("fr_FR")) == Decimal("1.5")
    assert parse_decimal("1,5", "Quantity", decimal_mark("de_DE")) == Decimal("1.5")


@pytest.mark.parametrize(("text", "mark"), [("2,5", "."), ("1.5", ","), ("12,34.5", ".")])
def test_a_misplaced_group_separator_is_refused_not_dropped(text: str, mark: str) -> None:
    with pytest.raises(ValidationError, match="is not a number here"):
        parse_decimal(text, "Amount", mark)


def test_grouped_numbers_still_read() -> None:
    assert parse_decimal("1,234,567.5", "Amount", ".") == Decimal("1234567.5")
    assert parse_decimal("1.234.567,5", "Amount", ",") == Decimal("1234567.5")
    assert parse_decimal("12,34,567", "Amount", ".") == Decimal(1234567)  # en_IN grouping


def test_editable_text_reads_back() -> None:
    assert editable_amount(123_450, "EUR", "de_DE") == "1234,50"
    assert editable_amount(1_234, "JPY", "fr_FR") == "1234"
    assert editable_decimal(Decimal("2.50"), "fr_FR") == "2,5"
    assert editable_decimal(Decimal("1E+2"), "en_US") == "100"
    for locale in ("en_GB", "fr_FR"):
        text = editable_amount(-987_654, "EUR", locale)
        assert parse_money(text, "EUR", decimal_mark=decimal_mark(locale)) == -987_654


def test_phones_are_shown_for_people() -> None:
    assert format_phone("+48698765432") == "+48 698 765 432"
    assert format_phone("+14155550100") == "+1 415-555-0100"
    assert format_phone("") == ""
    assert format_phone("+999") == "+999"  # not a number phonenumbers can place: as stored
