"""The command handlers: each takes the services and parsed arguments and returns an exit code."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from leadcartel_desktop.app import create_demo_book
from leadcartel_desktop.cli.output import document_json, document_text, dumps, row_json, rows_table
from leadcartel_desktop.domain.errors import UserFacingError
from leadcartel_desktop.domain.money import format_plain, parse_money
from leadcartel_desktop.domain.payments import PaymentMethod
from leadcartel_desktop.services.invoice_import import import_invoice, load_json, parse_date
from leadcartel_desktop.services.ports import Clock
from leadcartel_desktop.services.registry import Services
from leadcartel_desktop.services.views import InvoiceQuery, InvoiceSort

PAGE = 500


def _out(text: str) -> None:
    sys.stdout.write(text)


def demo(args: argparse.Namespace, clock: Clock | None) -> int:
    """Builds the book beside the real one and moves it into place whole (app.py)."""

    def progress(done: int, total: int) -> None:
        if sys.stderr.isatty():
            sys.stderr.write(f"\rLoading demo data… {done * 100 // total}%")
            sys.stderr.flush()

    book = create_demo_book(args.home, clock, progress)
    if sys.stderr.isatty():
        sys.stderr.write("\n")
    if book is None:  # only a should_cancel could stop it, and none is given
        return 1
    book.context.close()
    summary = book.summary
    _out(
        f"Demo data loaded: {summary.contacts} customers, {summary.invoices} invoices, "
        f"{summary.payments} payments ({', '.join(summary.currencies)})\n"
    )
    return 0


def invoice_list(services: Services, args: argparse.Namespace) -> int:
    listing = services.invoice_list
    today = listing.today()
    query = InvoiceQuery(args.status, args.search, InvoiceSort(args.sort), not args.ascending)
    ids = listing.invoice_ids(query, today)
    rows = [row for start in range(0, len(ids), PAGE)
            for row in listing.invoice_rows(ids[start : start + PAGE], today)]  # fmt: skip
    _out(dumps([row_json(row) for row in rows]) if args.json else rows_table(rows))
    return 0


def _read_input(name: str) -> str:
    if name == "-":
        return sys.stdin.read()
    try:
        return Path(name).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise UserFacingError(f"--json: {name} is not UTF-8 text") from None
    except OSError as error:
        raise UserFacingError(f"--json: cannot read {name}: {error.strerror}") from None


def invoice_create(services: Services, args: argparse.Namespace) -> int:
    source = "stdin" if args.json == "-" else Path(args.json).name
    result = import_invoice(services, load_json(_read_input(args.json), source))
    _out(f"{result.number if result.number else result.invoice_id}\n")
    return 0


def invoice_show(services: Services, args: argparse.Namespace) -> int:
    document = services.invoices.document(services.invoices.resolve(args.ref))
    _out(dumps(document_json(document)) if args.json else document_text(document))
    return 0


def invoice_pay(services: Services, args: argparse.Namespace) -> int:
    invoice_id = services.invoices.resolve(args.ref)
    currency = services.invoices.get(invoice_id).content.currency
    amount = parse_money(args.amount, currency, "Amount", decimal_mark=".")
    paid_on = parse_date(args.date, "--date") if args.date else services.invoices.today()
    method = PaymentMethod(args.method)
    services.payments.record(invoice_id, amount, paid_on, method, args.reference)
    document = services.invoices.document(invoice_id)
    label = document.invoice.number or f"draft #{invoice_id}"
    balance = format_plain(document.totals.balance, currency)
    _out(
        f"{label}: paid {format_plain(amount, currency)} {currency} on {paid_on.isoformat()}; "
        f"{document.display_status}, balance {balance} {currency}\n"
    )
    return 0


def invoice_pdf(services: Services, args: argparse.Namespace) -> int:
    invoice_id = services.invoices.resolve(args.ref)
    pdf = services.invoices.render_pdf(invoice_id, services.renderer)
    if args.output == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(pdf)
        sys.stdout.buffer.flush()
        return 0
    target = Path(args.output)
    partial = target.with_name(f".{target.name}.part")
    try:
        partial.write_bytes(pdf)
        os.replace(partial, target)  # a reader never sees half a file
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise UserFacingError(f"-o: cannot write {target}: {error.strerror}") from None
    _out(f"{target}\n")
    return 0
