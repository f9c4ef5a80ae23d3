"""Generate a real-sized book (100,000 contacts, 200,000 invoices, 1,000,000 lines) for benches.

The schema comes from the app's own migrations (build_context); the rows are written with
plain sqlite3 in bulk, because going through the services would take hours. Usage:
    python bench/big_book.py DIR [--contacts N] [--invoices N]
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from leadcartel_desktop.app import build_context

FIRST = [
    "Ada",
    "Bruno",
    "Chloé",
    "Dai",
    "Émile",
    "Fatma",
    "Giulia",
    "Hiro",
    "Ines",
    "Jonas",
    "Kofi",
    "Lena",
    "Mateo",
    "Nadia",
    "Olu",
]
LAST = [
    "Lovelace",
    "Díaz",
    "Martin",
    "Nakamura",
    "Öztürk",
    "Schröder",
    "Silva",
    "Kowalski",
    "Okafor",
    "Haddad",
    "Berg",
]
COMPANIES = ("", "", "Atelier", "Consulting", "Studio", "GmbH", "Ltd", "SARL", "Ağaç İşleri")
CURRENCIES = ("USD", "EUR", "GBP")
STATUSES = (
    ("draft", 5), ("sent", 15), ("viewed", 10), ("partially_paid", 10), ("paid", 55),
    ("cancelled", 5),
)  # fmt: skip
LINES_PER_INVOICE = 5
METHODS = ("bank_transfer", "card", "cash", "check")


def contacts(rng: random.Random, count: int) -> list[tuple[str, ...]]:
    rows = []
    for index in range(count):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        company = f"{last} {rng.choice(COMPANIES)}".strip() if rng.random() < 0.4 else ""
        email = f"{first.lower()}.{last.lower()}{index}@example.com"
        phone = f"+4420{rng.randrange(10**7, 10**8)}"
        rows.append((first, last, email, phone, company, f"{index} High Street", "London"))
    return rows


def write(path: Path, n_contacts: int, n_invoices: int, today: date, seed: int = 7) -> None:
    rng = random.Random(seed)
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = OFF")
    with db:
        db.executemany(
            "INSERT INTO contacts (first_name, last_name, email, phone, company, street, city) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            contacts(rng, n_contacts),
        )
    kinds = [kind for kind, weight in STATUSES for _ in range(weight)]
    start = today - timedelta(days=7 * 365)
    plans = sorted(
        (start + timedelta(days=rng.randrange((today - start).days)), rng.choice(kinds))
        for _ in range(n_invoices)
    )
    invoices, lines, issued, payments = [], [], [], []
    sequence: dict[int, int] = {}
    for invoice_id, (issue_date, kind) in enumerate(plans, start=1):
        prices = [rng.randrange(1_000, 200_000) for _ in range(LINES_PER_INVOICE)]
        total = sum(prices) * 2
        currency = rng.choice(CURRENCIES)
        due = issue_date + timedelta(days=30)
        invoices.append(
            (invoice_id, rng.randrange(1, n_contacts + 1), currency, issue_date.isoformat(),
             due.isoformat(), 30, total, total, total)
        )  # fmt: skip
        for position, price in enumerate(prices):
            lines.append((invoice_id, position, f"Consulting, part {position + 1}", "2", price))
        if kind == "draft":
            continue
        sequence[issue_date.year] = sequence.get(issue_date.year, 0) + 1
        number = f"INV-{issue_date.year}-{sequence[issue_date.year]:06d}"
        paid = {"paid": total, "partially_paid": total // 2}.get(kind, 0)
        issued.append((kind, number, paid, paid, f"{issue_date}T09:00:00Z", invoice_id))
        if paid:
            paid_on = min(today, issue_date + timedelta(days=rng.randrange(1, 40)))
            payments.append((invoice_id, paid, paid_on.isoformat(), rng.choice(METHODS)))
    with db:
        db.executemany(
            "INSERT INTO invoices (id, contact_id, currency, issue_date, due_date, net_days, "
            "subtotal, total, balance) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            invoices,
        )
        db.executemany(
            "INSERT INTO invoice_lines (invoice_id, position, description, quantity, unit_price)"
            " VALUES (?, ?, ?, ?, ?)",
            lines,
        )
        # Issue after the lines are in: the lock triggers refuse lines on issued invoices.
        db.executemany(
            "UPDATE invoices SET status = ?, number = ?, paid = ?, balance = total - ?, "
            "issued_at = ? WHERE id = ?",
            issued,
        )
        db.executemany(
            "INSERT INTO payments (invoice_id, amount, paid_on, method) VALUES (?, ?, ?, ?)",
            payments,
        )
        db.executemany(
            "INSERT INTO number_counters (series, next_value) VALUES (?, ?)",
            [(f"INV-{{YYYY}}-{{SEQ:4}}@{year}", last + 1) for year, last in sequence.items()],
        )
    db.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("home")
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--invoices", type=int, default=200_000)
    args = parser.parse_args()
    context = build_context(args.home)
    if context.services.invoice_list.invoice_count():
        print(f"{args.home} already holds a book")
        context.close()
        return
    today = context.services.invoice_list.today()
    path = context.paths.database
    context.close()
    started = time.perf_counter()
    write(path, args.contacts, args.invoices, today)
    build_context(args.home).close()  # what closing the app does: PRAGMA optimize
    print(f"{args.contacts} contacts, {args.invoices} invoices in {path} "
          f"({time.perf_counter() - started:.0f} s)")  # fmt: skip


if __name__ == "__main__":
    main()
