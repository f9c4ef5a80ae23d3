"""The command line: `leadcartel [--home DIR] demo | invoice {list,create,...} | sandbox`."""

from __future__ import annotations

import argparse

from leadcartel_desktop.cli import commands, sandbox
from leadcartel_desktop.domain.invoice_status import StatusFilter
from leadcartel_desktop.domain.payments import PaymentMethod
from leadcartel_desktop.services.views import InvoiceSort


def _status(text: str) -> StatusFilter:
    try:
        return StatusFilter(text.strip().lower().replace("-", "_").replace(" ", "_"))
    except ValueError:
        choices = ", ".join(status.value for status in StatusFilter)
        raise argparse.ArgumentTypeError(f"'{text}' is not a status ({choices})") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="leadcartel",
        description="Lead Cartel Desktop headless commands (see docs/cli.md).",
    )
    parser.add_argument(
        "--home", metavar="DIR", help="data folder (default: LEADCARTEL_HOME or the user folder)"
    )
    top = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    demo = top.add_parser("demo", help="fill an empty book with realistic demo data")
    demo.set_defaults(handler=commands.demo, needs_book=False, makes_book=True)

    invoice = top.add_parser("invoice", help="list, create, show, pay and print invoices")
    actions = invoice.add_subparsers(dest="action", metavar="ACTION", required=True)

    listing = actions.add_parser("list", help="list invoices (newest first)")
    listing.add_argument(
        "--status",
        type=_status,
        default=StatusFilter.ALL,
        metavar="S",
        help=f"one of: {', '.join(status.value for status in StatusFilter)}",
    )
    listing.add_argument("--search", default="", help="number or customer")
    sorts = [sort.value for sort in InvoiceSort]
    listing.add_argument("--sort", choices=sorts, default=InvoiceSort.ISSUE_DATE.value)
    listing.add_argument("--ascending", action="store_true", help="oldest / smallest first")
    listing.add_argument("--json", action="store_true", help="print a JSON array")
    listing.set_defaults(handler=commands.invoice_list, needs_book=True)

    create = actions.add_parser("create", help="create an invoice from JSON (docs/cli.md)")
    create.add_argument("--json", required=True, metavar="FILE", help="JSON file, or - for stdin")
    create.set_defaults(handler=commands.invoice_create, needs_book=False)

    show = actions.add_parser("show", help="one invoice with every figure")
    show.add_argument("ref", metavar="REF", help="invoice number, or a draft's id")
    show.add_argument("--json", action="store_true", help="print JSON (amounts as strings)")
    show.set_defaults(handler=commands.invoice_show, needs_book=True)

    pay = actions.add_parser("pay", help="record a payment")
    pay.add_argument("ref", metavar="REF", help="invoice number, or id")
    pay.add_argument("amount", metavar="AMOUNT", help="in the invoice's currency, e.g. 30.00")
    pay.add_argument("--date", metavar="D", help="YYYY-MM-DD (default: today)")
    pay.add_argument(
        "--method",
        metavar="M",
        choices=[method.value for method in PaymentMethod],
        default=PaymentMethod.BANK_TRANSFER.value,
        help=f"one of: {', '.join(method.value for method in PaymentMethod)} "
        "(default: bank_transfer)",
    )
    pay.add_argument("--reference", metavar="R", default="", help="cheque number, bank ref...")
    pay.set_defaults(handler=commands.invoice_pay, needs_book=True)

    pdf = actions.add_parser("pdf", help="save the invoice as PDF")
    pdf.add_argument("ref", metavar="REF", help="invoice number, or a draft's id")
    pdf.add_argument("-o", "--output", required=True, metavar="FILE", help="file, or - for stdout")
    pdf.set_defaults(handler=commands.invoice_pdf, needs_book=True)

    sandbox.add_parser(top)
    return parser
