"""WhatsApp's 24-hour window, template ids and the variables line, as pure rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from leadcartel_desktop.domain.errors import ValidationError
from leadcartel_desktop.domain.whatsapp import (
    check_filled,
    check_template_id,
    format_variables,
    needs_template,
    parse_variables,
    template_of,
)

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
SID = "HX" + "0123456789abcdef" * 2


def test_no_inbound_message_needs_a_template() -> None:
    assert needs_template(None, NOW)


@pytest.mark.parametrize(
    ("age", "needed"),
    [
        (timedelta(0), False),
        (timedelta(hours=23, minutes=59, seconds=59), False),
        (timedelta(hours=24) - timedelta(microseconds=1), False),
        (timedelta(hours=24), True),  # the window has closed at exactly 24 hours
        (timedelta(hours=24, seconds=1), True),
        (timedelta(days=30), True),
    ],
)
def test_the_window_closes_at_24_hours(age: timedelta, needed: bool) -> None:
    assert needs_template(NOW - age, NOW) is needed


def test_an_inbound_time_ahead_of_our_clock_keeps_the_window_open() -> None:
    assert not needs_template(NOW + timedelta(minutes=2), NOW)


def test_twilio_template_ids_are_content_sids() -> None:
    assert check_template_id(f"  {SID} ", twilio=True) == SID
    with pytest.raises(ValidationError, match="WhatsApp template: a Twilio Content SID"):
        check_template_id("HX123", twilio=True)
    with pytest.raises(ValidationError, match="WhatsApp template: enter"):
        check_template_id("  ", twilio=False)
    assert check_template_id("tmpl_42", twilio=False) == "tmpl_42"
    with pytest.raises(ValidationError, match="WhatsApp template"):
        check_template_id("two words", twilio=False)


def test_variables_line_parses_and_formats_back() -> None:
    line = "1={customer_first_name}; 2 = {invoice_number};\n3={amount_due}"
    parsed = parse_variables(line)
    assert parsed == {
        "1": "{customer_first_name}",
        "2": "{invoice_number}",
        "3": "{amount_due}",
    }
    assert parse_variables(format_variables(parsed)) == parsed
    assert parse_variables("") == {}


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("1{customer_first_name}", "needs the form"),
        ("one two={x}", "is not a variable name"),
        ("1={a}; 1={b}", "given twice"),
    ],
)
def test_bad_variables_lines_name_the_field(line: str, says: str) -> None:
    with pytest.raises(ValidationError, match=f"WhatsApp variables: .*{says}"):
        parse_variables(line)


def test_an_empty_variable_is_refused_with_its_merge_field() -> None:
    check_filled({"1": "Ada"}, {"1": "{customer_first_name}"})
    with pytest.raises(ValidationError, match=r"variable 2 \(\{payment_link\}\) is empty"):
        check_filled({"1": "Ada", "2": " "}, {"1": "{customer_first_name}", "2": "{payment_link}"})


def test_template_of_reads_a_payload() -> None:
    assert template_of({"body": "hi"}) is None
    payload = {"template_id": SID, "template_variables": {"1": "Ada", 2: 5}}
    assert template_of(payload) == (SID, {"1": "Ada", "2": "5"})
