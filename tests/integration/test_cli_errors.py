"""Refused commands: one line on stderr naming the field, a non-zero exit, nothing saved."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from leadcartel_desktop.services.invoices import InvoiceService
from tests.integration.test_cli import Cli, cli, line

__all__ = ["cli"]  # the fixture, shared with test_cli

ISSUED = {"customer": "elodie@example.fr", "lines": [line("100", "VAT")], "issue": True}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"lines": [line("1", "VAT"), line("1"), {"unit_price": 9.99}]},
            'lines[2].unit_price: 9.99 is a JSON float: quote it ("9.99") so it is exact',
        ),
        (
            {"lines": [line("1"), line("1"), line("1", quantity="abc")]},
            "lines[2].quantity: 'abc' is not a number",
        ),
        (
            {"lines": [line("1", "VAT"), line("1", "VAT", "Sales tax")]},
            "lines[1].taxes[1]: no tax rate is named 'Sales tax' "
            "(VAT, Reduced, IVA, MwSt, GST, Tax A, Tax B)",
        ),
        ({"issue_date": "2026-13-01"}, "issue_date: '2026-13-01' is not a valid date"),
        ({"customer": "nobody@example.com"}, "customer.email: no customer has the email"),
        (
            {"customer": {"first_name": "Z", "email": "z@example.com", "phone": "12"}},
            "customer.phone: '12' is not a valid number for its country",
        ),
        ({"issue": True, "lines": [line("1")]}, "customer: choose a customer before issuing"),
        (
            {
                **ISSUED,
                "customer": {"first_name": "New", "email": "new@example.com"},
                "lines": [line("1"), {"description": " ", "unit_price": "1"}],
            },
            "lines[1]: description is required",
        ),
        ('{"lines": [}', "invoice.json: not valid JSON"),
    ],
)
def test_create_refused_and_nothing_saved(cli: Cli, data: Any, message: str) -> None:
    before = cli.counts()
    outcome = cli.create(data)
    assert outcome.code == 1
    assert outcome.out == ""
    assert outcome.err.startswith(f"error: {message}")
    assert outcome.err.count("\n") == 1
    assert cli.counts() == before


def test_duplicate_number_refused(cli: Cli) -> None:
    assert cli.create({**ISSUED, "number": "A-1"}).out == "A-1\n"
    before = cli.counts()
    outcome = cli.create({**ISSUED, "number": "A-1"})
    assert (outcome.code, outcome.err) == (
        1,
        "error: number: A-1 is already used by another invoice\n",
    )
    assert cli.counts() == before


def test_payment_refusals_save_nothing(cli: Cli) -> None:
    cli.create(ISSUED)
    cases = [
        (("120.01",), "error: Amount: 120.01 EUR is more than the balance due of 120.00 EUR"),
        (("abc",), "error: Amount: 'abc' is not a number"),
        (("10", "--date", "2026-02-31"), "error: --date: '2026-02-31' is not a valid date"),
        (("10", "--date", "2026-01-01"), "error: Date: a payment cannot be dated before"),
    ]
    for extra, message in cases:
        outcome = cli("invoice", "pay", "INV-2026-0001", *extra)
        assert outcome.code == 1, extra
        assert outcome.err.startswith(message), outcome.err
    shown = cli.show("INV-2026-0001")
    assert (shown["payments"], shown["totals"]["balance"]) == ([], "120.00")


def test_unknown_reference(cli: Cli) -> None:
    outcome = cli("invoice", "show", "INV-1999-0001", "--json")
    assert (outcome.code, outcome.err) == (
        1,
        "error: Invoice: no invoice has the number or id 'INV-1999-0001'\n",
    )


def test_usage_errors_exit_2(cli: Cli) -> None:
    assert cli("invoice").code == 2
    assert cli("invoice", "list", "--status", "late").code == 2
    assert cli("invoice", "pay", "INV-2026-0001", "10", "--method", "barter").code == 2
    assert cli("invoice", "pdf", "INV-2026-0001").code == 2  # -o is required
    assert cli("--help").code == 0


def test_missing_book_is_not_created(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    outcome = Cli(tmp_path / "nowhere", capsys)("invoice", "list")
    assert outcome.code == 1
    assert "there is no book" in outcome.err
    assert not (tmp_path / "nowhere" / "data").exists()


def test_create_reads_stdin(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO('{"lines": [{"unit_price": "5"}]}'))
    outcome = cli("invoice", "create", "--json", "-")
    assert outcome.code == 0 and outcome.out.strip().isdigit()


def test_unreadable_json_file(cli: Cli, tmp_path: Path) -> None:
    outcome = cli("invoice", "create", "--json", str(tmp_path / "missing.json"))
    assert outcome.code == 1
    assert outcome.err.startswith("error: --json: cannot read")


def test_unexpected_error_goes_to_the_log(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    cli.create(ISSUED)

    def broken(self: InvoiceService, invoice_id: int) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(InvoiceService, "document", broken)
    outcome = cli("invoice", "show", "INV-2026-0001")
    assert outcome.code == 3
    assert outcome.err.startswith("error: unexpected error; the details are in ")
    assert "secret internals" not in outcome.err and "Traceback" not in outcome.err
    log = (cli.home / "logs" / "leadcartel.log").read_text(encoding="utf-8")
    assert "Traceback" in log and "RuntimeError: secret internals" in log
