"""Out-of-range references and amounts on the command line: exit 1, a clear message, no save."""

from __future__ import annotations

from decimal import Decimal

from tests.integration.test_cli import Cli, cli, line

__all__ = ["cli"]  # the fixture, shared with test_cli


def test_a_reference_too_large_for_an_id_is_not_found(cli: Cli) -> None:
    outcome = cli("invoice", "show", "99999999999999999999999")
    assert (outcome.code, outcome.out) == (1, "")
    assert outcome.err == (
        "error: Invoice: no invoice has the number or id '99999999999999999999999'\n"
    )


def test_a_line_too_large_is_refused_before_the_new_customer_is_saved(cli: Cli) -> None:
    customers, invoices = cli.counts()
    outcome = cli.create(
        {
            "customer": {"first_name": "Nina", "email": "nina@example.com"},
            "lines": [line("1"), line("999999999999999", quantity="999999999")],
            "issue": True,
        }
    )
    assert (outcome.code, outcome.out) == (1, "")
    assert outcome.err == "error: lines[1]: the amount is too large\n"
    assert cli.counts() == (customers, invoices)


def test_control_characters_in_a_new_customer_name_the_json_field(cli: Cli) -> None:
    before = cli.counts()
    outcome = cli.create(
        {"customer": {"first_name": "Ni\u0000na", "address": {"city": "Ly\u0007on"}}}
    )
    assert outcome.code == 1
    assert outcome.err.startswith("error: customer.first_name: contains a control character")
    assert cli.counts() == before


def test_pay_reads_a_point_as_the_decimal_mark(cli: Cli) -> None:
    issued = cli.create({"customer": "elodie@example.fr", "lines": [line("5000")], "issue": True})
    assert issued.code == 0, issued.err

    paid = cli("invoice", "pay", "INV-2026-0001", "1,000")
    assert paid.code == 0, paid.err
    assert cli.show("INV-2026-0001")["totals"]["balance"] == str(Decimal("4000.00"))
    decimals = cli("invoice", "pay", "INV-2026-0001", "1,5")
    assert decimals.code == 1
    assert decimals.err.startswith("error: Amount: '1,5' is not a number")


def test_an_unprintable_invoice_is_refused_before_the_new_customer_is_saved(cli: Cli) -> None:
    before = cli.counts()
    outcome = cli.create(
        {
            "customer": {"first_name": "Nina", "email": "nina@example.com"},
            "lines": [line("10", description="Cake 🎂")],
            "issue": True,
        }
    )
    assert (outcome.code, outcome.out) == (1, "")
    assert outcome.err.startswith("error: The invoice font cannot draw: '🎂' (U+1F382) in item 1")
    assert cli.counts() == before


def test_json_amounts_take_a_point_for_decimals_and_refuse_commas(cli: Cli) -> None:
    before = cli.counts()
    outcome = cli.create({"lines": [line("1,000")]})
    assert outcome.code == 1
    assert outcome.err == (
        "error: lines[0].unit_price: '1,000' is not a number: JSON amounts use '.' for "
        "decimals, no thousands separators\n"
    )
    assert cli.counts() == before
    assert cli.create({"lines": [line("1000.50")]}).code == 0
