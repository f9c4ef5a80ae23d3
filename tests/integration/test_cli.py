"""`leadcartel` commands run for real against a temporary data folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from leadcartel_desktop.app import build_context
from leadcartel_desktop.cli import main
from leadcartel_desktop.domain.business import BusinessSettings
from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.domain.invoice_status import InvoiceStatus
from leadcartel_desktop.domain.taxes import TaxRate
from tests.conftest import FixedClock

TODAY = date(2026, 3, 10)  # FixedClock's date in Europe/Paris
RATES = (
    TaxRate("VAT", Decimal(20)),
    TaxRate("Reduced", Decimal(10)),
    TaxRate("IVA", Decimal(21)),
    TaxRate("MwSt", Decimal(19)),
    TaxRate("GST", Decimal(15)),
    TaxRate("Tax A", Decimal(5)),
    TaxRate("Tax B", Decimal(20), compound=True),
)


@dataclass
class Outcome:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


class Cli:
    """Runs `main(argv)` in-process against one data folder, capturing what it prints."""

    def __init__(self, home: Path, capsys: pytest.CaptureFixture[str]) -> None:
        self.home = home
        self._capsys = capsys

    def __call__(self, *argv: str) -> Outcome:
        code = main(["--home", str(self.home), *argv], clock=FixedClock())
        captured = self._capsys.readouterr()
        return Outcome(code, captured.out, captured.err)

    def create(self, data: dict[str, Any] | str) -> Outcome:
        path = self.home.parent / "invoice.json"
        path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
        return self("invoice", "create", "--json", str(path))

    def show(self, ref: str) -> Any:
        outcome = self("invoice", "show", ref, "--json")
        assert outcome.code == 0, outcome.err
        return outcome.json()

    def counts(self) -> tuple[int, int]:
        """(customers, invoices) in the book."""
        context = build_context(self.home, FixedClock())
        try:
            services = context.services
            return services.contacts.count(), services.invoice_list.invoice_count()
        finally:
            context.close()


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    """A book with EUR defaults, tax rates and one customer."""
    home = tmp_path / "home"
    context = build_context(home, FixedClock())
    try:
        settings = context.services.settings
        settings.save_business(
            BusinessSettings(
                company_name="Test SARL",
                default_currency="EUR",
                time_zone="Europe/Paris",
                default_country="FR",
                number_format="INV-{YYYY}-{SEQ:4}",
                payment_terms_days=30,
            )
        )
        settings.save_tax_rates(RATES)
        context.services.contacts.create(
            Contact(first_name="Élodie", last_name="Lefèvre", email="elodie@example.fr")
        )
    finally:
        context.close()
    return Cli(home, capsys)


def line(price: str, *taxes: str, quantity: str = "1", description: str = "Item") -> Any:
    return {"description": description, "quantity": quantity, "unit_price": price, "taxes": taxes}


def test_create_for_a_new_customer_and_issue(cli: Cli) -> None:
    outcome = cli.create(
        {
            "customer": {
                "first_name": "Ayşe",
                "last_name": "Yılmaz",
                "email": "ayse@agac-isleri.example",
                "phone": "+90 532 123 45 67",
                "company": "Ağaç İşleri Ltd. Şti.",
                "address": {"street": "Atatürk Cad. 17", "city": "Iğdır", "country": "Türkiye"},
            },
            "issue_date": "2026-03-01",
            "net_days": 30,
            "lines": [line("299.33", "VAT"), line("179.33", "VAT"), line("99.34", "vat")],
            "issue": True,
        }
    )
    assert (outcome.code, outcome.out, outcome.err) == (0, "INV-2026-0001\n", "")
    shown = cli.show("INV-2026-0001")
    assert [item["amount"] for item in shown["lines"]] == ["299.33", "179.33", "99.34"]
    totals = shown["totals"]
    assert (totals["subtotal"], totals["tax_total"], totals["total"]) == (
        "578.00",
        "115.60",
        "693.60",
    )
    assert totals["taxes"] == [
        {
            "name": "VAT",
            "percent": "20",
            "compound": False,
            "label": "VAT 20%",
            "base": "578.00",
            "amount": "115.60",
        }
    ]
    assert (totals["paid"], totals["balance"]) == ("0.00", "693.60")
    assert (shown["status"], shown["display_status"]) == ("sent", "Sent")
    assert (shown["issue_date"], shown["due_date"], shown["net_days"]) == (
        "2026-03-01",
        "2026-03-31",
        30,
    )
    assert shown["customer"]["company"] == "Ağaç İşleri Ltd. Şti."
    assert shown["customer"]["phone"] == "+905321234567"
    assert cli.counts() == (2, 1)


def test_create_a_draft_for_an_existing_customer(cli: Cli) -> None:
    outcome = cli.create({"customer": "ELODIE@example.fr", "lines": [line("10", "Reduced")]})
    assert outcome.code == 0, outcome.err
    draft_id = outcome.out.strip()
    assert draft_id.isdigit()
    shown = cli.show(draft_id)
    assert (shown["number"], shown["number_preview"], shown["status"]) == (
        None,
        "INV-2026-0001",
        "draft",
    )
    assert shown["customer"]["email"] == "elodie@example.fr"
    assert (shown["issue_date"], shown["due_date"]) == ("2026-03-10", "2026-04-09")
    assert shown["totals"]["total"] == "11.00"
    # The object form with the same email finds the same customer; nothing new is created.
    again = cli.create({"customer": {"email": "elodie@example.fr", "first_name": "E"}})
    assert again.code == 0
    assert cli.counts() == (1, 2)


@pytest.mark.parametrize(
    ("discount", "figures"),
    [
        (
            {"type": "amount", "value": "60.00", "apply": "before_tax"},
            {"taxable": "75.00", "tax_total": "15.75", "total": "90.75"},
        ),
        (
            {"type": "amount", "value": "60", "apply": "after_tax"},
            {"taxable": "135.00", "tax_total": "28.35", "total": "103.35"},
        ),
        (
            {"type": "percent", "value": "10"},
            {"taxable": "121.50", "tax_total": "25.52", "total": "147.02"},
        ),
    ],
)
def test_discounts(cli: Cli, discount: dict[str, str], figures: dict[str, str]) -> None:
    outcome = cli.create({"lines": [line("45.00", "IVA", quantity="3")], "discount": discount})
    totals = cli.show(outcome.out.strip())["totals"]
    assert {key: totals[key] for key in figures} == figures
    assert cli.show(outcome.out.strip())["discount"]["type"] == discount["type"]


def test_prices_include_tax_and_compound_tax(cli: Cli) -> None:
    inclusive = cli.create({"lines": [line("100.00", "MwSt")], "prices_include_tax": True})
    totals = cli.show(inclusive.out.strip())["totals"]
    assert (totals["subtotal"], totals["tax_total"], totals["total"]) == (
        "84.03",
        "15.97",
        "100.00",
    )
    readable = cli("invoice", "show", inclusive.out.strip()).out
    assert "Prices include tax." in readable
    assert "Subtotal (net)" in readable and "84.03" in readable
    compound = cli.create({"lines": [line("100", "Tax A", "Tax B")]})
    totals = cli.show(compound.out.strip())["totals"]
    assert [(tax["name"], tax["amount"]) for tax in totals["taxes"]] == [
        ("Tax A", "5.00"),
        ("Tax B", "21.00"),
    ]
    assert totals["total"] == "126.00"


def test_payments_follow_the_balance(cli: Cli) -> None:
    cli.create({"customer": "elodie@example.fr", "lines": [line("100")], "issue": True})
    first = cli("invoice", "pay", "INV-2026-0001", "30.00", "--method", "cash")
    assert first.code == 0, first.err
    assert first.out == (
        "INV-2026-0001: paid 30.00 EUR on 2026-03-10; Partially Paid, balance 70.00 EUR\n"
    )
    cli("invoice", "pay", "INV-2026-0001", "30", "--date", "2026-03-10", "--reference", "R-2")
    too_much = cli("invoice", "pay", "INV-2026-0001", "40.01")
    assert too_much.code == 1
    assert too_much.err == ("error: Amount: 40.01 EUR is more than the balance due of 40.00 EUR\n")
    last = cli("invoice", "pay", "INV-2026-0001", "40", "--method", "bank_transfer")
    assert "Paid, balance 0.00 EUR" in last.out
    shown = cli.show("INV-2026-0001")
    assert shown["status"] == "paid"
    assert [(p["amount"], p["method"], p["reference"]) for p in shown["payments"]] == [
        ("30.00", "cash", ""),
        ("30.00", "bank_transfer", "R-2"),
        ("40.00", "bank_transfer", ""),
    ]


def test_show_without_json_is_readable(cli: Cli) -> None:
    cli.create({"customer": "elodie@example.fr", "lines": [line("12.50", "VAT")], "issue": True})
    outcome = cli("invoice", "show", "INV-2026-0001")
    assert outcome.code == 0
    assert "Élodie Lefèvre" in outcome.out
    assert "VAT 20%" in outcome.out and "15.00 EUR" in outcome.out


def test_pdf_contains_the_number(cli: Cli, tmp_path: Path) -> None:
    cli.create({"customer": "elodie@example.fr", "lines": [line("12.50", "VAT")], "issue": True})
    target = tmp_path / "out" / "invoice.pdf"
    target.parent.mkdir()
    outcome = cli("invoice", "pdf", "INV-2026-0001", "-o", str(target))
    assert outcome.code == 0, outcome.err
    text = subprocess.run(
        ["pdftotext", str(target), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "INV-2026-0001" in text
    assert "Élodie Lefèvre" in text
    assert sorted(path.name for path in target.parent.iterdir()) == ["invoice.pdf"]


def test_list_table_and_filters(cli: Cli) -> None:
    cli.create({"customer": "elodie@example.fr", "lines": [line("10")], "issue": True})
    cli.create({"customer": "elodie@example.fr", "lines": [line("20")]})
    table = cli("invoice", "list")
    assert table.code == 0
    header, rule, *rows, footer = table.out.splitlines()
    assert header.split()[:3] == ["Number", "Customer", "Issued"]
    assert set(rule) <= {"-", " "}
    assert footer == "2 invoices"
    assert any(row.startswith("INV-2026-0001") for row in rows)
    drafts = cli("invoice", "list", "--status", "draft", "--json").json()
    assert [(row["number"], row["total"], row["status"]) for row in drafts] == [
        (None, "20.00", "draft")
    ]
    pending = cli("invoice", "list", "--status", "balance-pending", "--json").json()
    assert [row["number"] for row in pending] == ["INV-2026-0001"]


def test_demo_then_overdue_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cli = Cli(tmp_path / "demo", capsys)
    outcome = cli("demo")
    assert outcome.code == 0, outcome.err
    assert outcome.out.startswith("Demo data loaded: 45 customers, 150 invoices")
    overdue = cli("invoice", "list", "--status", "overdue", "--json").json()
    assert len(overdue) >= 20
    for row in overdue:
        assert row["display_status"] == "Overdue"
        assert row["status"] in {"sent", "viewed", "partially_paid"}
        assert date.fromisoformat(row["due_date"]) < TODAY
        assert Decimal(row["balance"]) > 0
        assert isinstance(row["balance"], str)
    everything = cli("invoice", "list", "--json").json()
    assert len(everything) == 150
    assert {row["currency"] for row in everything} == {"EUR", "GBP", "USD"}
    assert {row["status"] for row in everything} == {status.value for status in InvoiceStatus}
    again = cli("demo")
    assert again.code == 1 and "empty book" in again.err


def test_subprocess_end_to_end(tmp_path: Path) -> None:
    """The real entry point, as a script would call it: create, list, show, pdf."""
    env = {**os.environ, "LEADCARTEL_HOME": str(tmp_path / "home")}

    def run(*argv: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "leadcartel_desktop.cli", *argv],
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=env,
            input=stdin,
            timeout=120,
            check=False,
        )

    late = {
        "customer": {"company": "Żółkowska Design", "email": "m@zolkowska.example"},
        "issue_date": "2020-01-01",
        "due_date": "2020-01-31",
        "lines": [{"description": "Logo", "unit_price": "1200"}],
        "issue": True,
    }
    created = run("invoice", "create", "--json", "-", stdin=json.dumps(late))
    assert (created.returncode, created.stdout, created.stderr) == (0, "INV-2020-0001\n", "")
    listing = run("invoice", "list", "--status", "overdue", "--json")
    assert listing.returncode == 0, listing.stderr
    number = json.loads(listing.stdout)[0]["number"]
    shown = run("invoice", "show", number, "--json")
    assert json.loads(shown.stdout)["display_status"] == "Overdue"
    target = tmp_path / "overdue.pdf"
    assert run("invoice", "pdf", number, "-o", str(target)).returncode == 0
    text = subprocess.run(
        ["pdftotext", str(target), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert number in text

    float_json = '{"lines": [{"description": "x", "unit_price": 12.5}]}'
    refused = run("invoice", "create", "--json", "-", stdin=float_json)
    assert refused.returncode == 1
    assert refused.stdout == ""
    assert refused.stderr == (
        'error: lines[0].unit_price: 12.5 is a JSON float: quote it ("12.5") so it is exact\n'
    )
    usage = run("invoice", "list", "--status", "late")
    assert usage.returncode == 2
    assert "'late' is not a status" in usage.stderr


def test_show_prints_the_discount_as_taken_off(cli: Cli) -> None:
    discount = {"type": "amount", "value": "2.50", "apply": "before_tax"}
    cli.create({"customer": "elodie@example.fr", "lines": [line("12.50")], "discount": discount})
    outcome = cli("invoice", "show", "1")
    assert outcome.code == 0, outcome.err
    (row,) = [text for text in outcome.out.splitlines() if "Discount" in text]
    assert row.split()[-2:] == ["-2.50", "EUR"]
