"""The benchmark book: 100,000 contacts, 200,000 invoices, 1,000,000 lines, made once and cached."""

# The file is created by the app's own `open_database` (migrations), then filled in bulk with
# plain sqlite3: contacts through the FTS triggers, invoices as drafts with their lines, then
# issued, paid and cancelled by UPDATE, as the lock triggers demand. Totals follow the domain's
# rules (per-rate rounding, half up) and a sample is re-checked against the domain's totals.
#     python bench/book.py [--force] [--contacts N] [--invoices N] [--lines N]
# The book lives in bench/out/book-<sizes>/ (a LEADCARTEL_HOME folder) and is reused while this
# generator's version matches; a newer schema is applied by the app's migrations.

from __future__ import annotations

import argparse
import json
import random
import shutil
import sqlite3
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from leadcartel_desktop.paths import resolve_paths

GENERATOR_VERSION = 3  # bump when the generated data changes
OUT = Path(__file__).resolve().parent / "out"
CONTACTS, INVOICES, LINES = 100_000, 200_000, 1_000_000
NUMBER_FORMAT = "INV-{YYYY}-{SEQ:4}"
YEARS = 4


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST = _words(
    "James Mary John Patricia Robert Jennifer Michael Linda William Elizabeth David Barbara "
    "Richard Susan Joseph Jessica Thomas Sarah Charles Karen Daniel Nancy Matthew Lisa Anthony "
    "Betty Mark Sandra Paul Ashley Steven Emily Andrew Donna Joshua Michelle Kevin Carol Brian "
    "Amanda George Melissa Timothy Deborah Ronald Stephanie Jason Rebecca Ryan Laura Jacob Sharon "
    "Gary Cynthia Nicholas Kathleen Eric Amy Jonathan Shirley Chloé Zoë Björn Émile Søren Ångström "
    "José María Lucía Jürgen Mehmet Ayşe Çağla Oğuz İlker Şebnem Łukasz Małgorzata Wei Li Hiroshi "
    "Yuki Sakura Kenji Priya Arjun Ananya Rahul Olu Chinedu Amara Kofi Fatima Omar Layla Youssef "
    "Nikolai Olga Dmitri Ivana Giulia Matteo Francesca Lorenzo Ingrid Lars Astrid Nils Aoife "
    "Siobhán"
)
LAST = _words(
    "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez "
    "Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris "
    "Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright Scott Torres Nguyen Hill "
    "Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Müller Schröder "
    "Öztürk Yılmaz Kaya Şahin Çelik Doğan Kowalski Wiśniewski Dąbrowski Nakamura Tanaka Suzuki "
    "Watanabe Takahashi Chen Wang Zhang Liu Huang Patel Sharma Singh Gupta Okafor Adeyemi Mensah "
    "Haddad Khalil Mansour Ivanov Petrov Novák Rossi Russo Bianchi Ferrari Esposito Dubois "
    "Lefèvre Moreau Fontaine Girard Lindqvist Johansson Andersen Nielsen Hansen Berg Haugen "
    "O'Brien O'Connor Murphy Kelly Ó Súilleabháin Fernández González Díaz Álvarez Muñoz Peña"
)
COMPANY_WORDS = _words(
    "Alpha Apex Atlas Beacon Cedar Copper Delta Ember Falcon Granite Harbor Horizon Iron Juniper "
    "Keystone Lumen Maple Meridian Nova Oak Orion Pacific Pine Quartz River Sable Summit Terra "
    "Union Vertex Willow Zenith Ağaç Nordlicht Étoile Sakura Lotus Baobab"
)
COMPANY_KINDS = (
    "Ltd", "LLC", "Inc", "GmbH", "SARL", "S.L.", "B.V.", "AB", "K.K.", "Studio",
    "Consulting", "Partners", "& Co", "Ltd. Şti.",
)  # fmt: skip
DOMAINS = (
    "example.com", "mail.example.org", "post.example.net", "inbox.example.de", "corp.example.fr",
    "example.co.uk", "example.jp", "example.com.tr", "example.es", "example.it",
)  # fmt: skip
# (country, E.164 prefix, digits after it, city, region, postal code pattern)
PLACES = (
    ("US", "+1", 10, "Springfield", "IL", "627{:02d}"),
    ("US", "+1", 10, "Austin", "TX", "787{:02d}"),
    ("GB", "+44", 10, "London", "", "SW1A {:d}AA"),
    ("DE", "+49", 10, "Berlin", "", "101{:02d}"),
    ("FR", "+33", 9, "Lyon", "", "690{:02d}"),
    ("ES", "+34", 9, "Sevilla", "Andalucía", "410{:02d}"),
    ("TR", "+90", 10, "Iğdır", "", "760{:02d}"),
    ("JP", "+81", 10, "Ōsaka", "", "530-00{:02d}"),
    ("SG", "+65", 8, "Singapore", "", "01{:04d}"),
    ("NG", "+234", 10, "Lagos", "", "100{:03d}"),
)
STREETS = ("High Street", "Main St", "Hauptstraße", "Rue de la Paix", "Calle Mayor", "Atatürk Cd.")
# Currency, weight, price range in minor units, the tax rates lines carry (chosen per line).
CURRENCIES = (
    ("USD", 55, (1_500, 250_000), ((), (("Sales tax", "8.25"),))),
    ("EUR", 25, (1_500, 250_000), ((("VAT", "20"),), (("VAT", "10"),), ())),
    ("GBP", 12, (1_500, 200_000), ((("VAT", "20"),), ())),
    ("JPY", 8, (200, 300_000), ((("Consumption tax", "10"),),)),
)
SERVICES = (
    "Consulting — March", "Design work", "Website maintenance", "Hosting (annual)",
    "Support hours", "Training session", "Travel expenses", "Licence renewal",
    "Photography", "Translation", "Copywriting", "Audit", "Workshop",
)  # fmt: skip
QUANTITIES = ("1", "1", "1", "2", "3", "5", "0.5", "1.5", "10", "12")
METHODS = ("bank_transfer", "bank_transfer", "card", "card", "cash", "check", "online", "other")


@dataclass(frozen=True, slots=True)
class Book:
    home: Path
    database: Path
    contacts: int
    invoices: int
    lines: int


def book_home(contacts: int = CONTACTS, invoices: int = INVOICES, lines: int = LINES) -> Path:
    return OUT / f"book-{contacts}-{invoices}-{lines}"


def _stamp(contacts: int, invoices: int, lines: int) -> str:
    return json.dumps({"generator": GENERATOR_VERSION, "sizes": [contacts, invoices, lines]})


def ensure_book(
    contacts: int = CONTACTS,
    invoices: int = INVOICES,
    lines: int = LINES,
    *,
    force: bool = False,
    quiet: bool = False,
) -> Book:
    """The cached book, generated first if it is missing or stale.

    A book made by an older schema is upgraded by the app's own migrations (open_database),
    here, so no bench times a migration.
    """
    from leadcartel_desktop.storage.database import open_database

    home = book_home(contacts, invoices, lines)
    paths = resolve_paths(home)
    stamp_file = home / "book.json"
    wanted = _stamp(contacts, invoices, lines)
    cached = stamp_file.exists() and stamp_file.read_text() == wanted
    if not force and cached and paths.database.exists():
        open_database(paths.database).close()
        return Book(home, paths.database, contacts, invoices, lines)
    if home.exists():
        shutil.rmtree(home)
    started = time.perf_counter()
    generate(home, contacts, invoices, lines, quiet=quiet)
    stamp_file.write_text(wanted)
    if not quiet:
        print(f"book generated in {time.perf_counter() - started:.0f} s: {paths.database}")
    return Book(home, paths.database, contacts, invoices, lines)


def reset_window_state(home: Path) -> None:
    """Benches start from the same window (the app writes its state on close)."""
    resolve_paths(home).settings_file.unlink(missing_ok=True)


# Generation --------------------------------------------------------------------------------
def _contact_rows(rng: random.Random, count: int) -> list[tuple[object, ...]]:
    rows = []
    for index in range(1, count + 1):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        country, prefix, digits, city, region, postal = rng.choice(PLACES)
        company = ""
        if rng.random() < 0.35:
            company = f"{rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_KINDS)}"
        if rng.random() < 0.04:  # a company-only customer
            first = last = ""
            company = company or f"{rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_KINDS)}"
        local = ".".join(part for part in (first, last) if part) or company.split()[0]
        local = local.lower().replace(" ", "").replace("'", "")
        email = f"{local}{index}@{rng.choice(DOMAINS)}" if rng.random() < 0.95 else ""
        phone = ""
        if rng.random() < 0.85:
            phone = (
                prefix
                + str(rng.randrange(2, 10))
                + "".join(str(rng.randrange(10)) for _ in range(digits - 1))
            )
        rows.append(
            (
                index, first, last, email, phone, company,
                f"{rng.randrange(1, 300)} {rng.choice(STREETS)}", city, region,
                postal.format(rng.randrange(100)), country,
            )
        )  # fmt: skip
    return rows


def _line_counts(rng: random.Random, invoices: int, lines: int) -> list[int]:
    """Between 1 and 12 lines each, adding up to exactly `lines`."""
    low, high = 1, 12
    if not low * invoices <= lines <= high * invoices:
        raise SystemExit(f"cannot spread {lines} lines over {invoices} invoices")
    counts = [lines // invoices] * invoices
    for index in range(lines - sum(counts)):
        counts[index % invoices] += 1
    for index in range(invoices):
        other = rng.randrange(invoices)
        delta = rng.randint(-4, 4)
        if low <= counts[index] + delta <= high and low <= counts[other] - delta <= high:
            counts[index] += delta
            counts[other] -= delta
    return counts


def _half_up(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_HALF_UP))


def _status(rng: random.Random, age_days: int) -> str:
    """Old invoices are mostly settled; recent ones still open; a few drafts near today."""
    roll = rng.random()
    if age_days < 45:
        table = (("draft", 0.10), ("sent", 0.40), ("viewed", 0.15), ("partially_paid", 0.10),
                 ("paid", 0.22), ("cancelled", 0.03))  # fmt: skip
    elif age_days < 180:
        table = (("draft", 0.01), ("sent", 0.14), ("viewed", 0.08), ("partially_paid", 0.08),
                 ("paid", 0.65), ("cancelled", 0.04))  # fmt: skip
    else:
        table = (("draft", 0.002), ("sent", 0.03), ("viewed", 0.015), ("partially_paid", 0.02),
                 ("paid", 0.89), ("cancelled", 0.043))  # fmt: skip
    for status, weight in table:
        roll -= weight
        if roll < 0:
            return status
    return "paid"


def generate(home: Path, contacts: int, invoices: int, lines: int, *, quiet: bool = False) -> None:
    from leadcartel_desktop.storage.database import open_database

    def say(text: str) -> None:
        if not quiet:
            print(f"  {time.perf_counter() - started:5.1f} s  {text}", flush=True)

    started = time.perf_counter()
    paths = resolve_paths(home).ensure()
    open_database(paths.database).close()  # the app's own migrations create the schema
    say("schema created by open_database")
    rng = random.Random(20260301)
    today = date.today()
    db = sqlite3.connect(paths.database, isolation_level=None)
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA synchronous = OFF")
    db.execute("PRAGMA cache_size = -400000")
    db.execute("PRAGMA temp_store = MEMORY")
    # Invoice indexes are rebuilt after the bulk load (same SQL, from the schema itself).
    indexes = db.execute(
        "SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name IN "
        "('invoices', 'invoice_lines', 'payments') AND sql IS NOT NULL"
    ).fetchall()
    db.execute("BEGIN")
    for name, _sql in indexes:
        db.execute(f"DROP INDEX {name}")
    db.execute(
        "INSERT INTO business_settings (id, company_name, street, city, region, postal_code, "
        "country, email, phone, tax_id, default_currency, time_zone, default_country, "
        "number_format, payment_terms_days, default_terms, default_notes, locale, "
        "document_title) VALUES (1, 'Ağaç İşleri Ltd. Şti.', 'Cumhuriyet Cd. 12', 'Iğdır', '', "
        "'76000', 'TR', 'billing@agac.example.com', '+904762223344', 'TR1234567890', 'USD', "
        "'Europe/London', 'GB', ?, 30, 'Payment within 30 days.', 'Thank you!', 'en_US', '')",
        (NUMBER_FORMAT,),
    )
    db.executemany(
        "INSERT INTO tax_rates (name, percent, compound, position) VALUES (?, ?, 0, ?)",
        [("VAT", "20", 1), ("Sales tax", "8.25", 2), ("Consumption tax", "10", 3)],
    )
    db.executemany(
        "INSERT INTO contacts (id, first_name, last_name, email, phone, company, street, city, "
        "region, postal_code, country) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        _contact_rows(rng, contacts),
    )
    say(f"{contacts} contacts (full-text index kept by its triggers)")

    counts = _line_counts(rng, invoices, lines)
    currency_table = [entry for entry in CURRENCIES for _ in range(entry[1])]
    first_day = today - timedelta(days=365 * YEARS)
    issue_dates = sorted(
        first_day + timedelta(days=rng.randrange((today - first_day).days + 1))
        for _ in range(invoices)
    )
    invoice_rows: list[tuple[object, ...]] = []
    line_rows: list[tuple[object, ...]] = []
    issued: list[tuple[object, ...]] = []
    payment_rows: list[tuple[object, ...]] = []
    sequence: dict[int, int] = {}
    hundred = Decimal(100)
    for invoice_id, (issue_date, line_count) in enumerate(zip(issue_dates, counts, strict=True), 1):
        currency, _weight, (low, high), tax_choices = rng.choice(currency_table)
        net_days = rng.choice((7, 14, 30, 30, 30, 45, 60))
        due_date = issue_date + timedelta(days=net_days)
        taxable: dict[tuple[str, str], int] = {}
        subtotal = 0
        for position in range(1, line_count + 1):
            quantity = rng.choice(QUANTITIES)
            price = rng.randrange(low, high)
            taxes = rng.choice(tax_choices)
            net = _half_up(Decimal(quantity) * price)
            subtotal += net
            for rate in taxes:
                taxable[rate] = taxable.get(rate, 0) + net
            line_rows.append(
                (invoice_id, position, rng.choice(SERVICES), quantity,
                 "h" if position % 3 == 0 else "", price,
                 json.dumps([[name, percent, False] for name, percent in taxes],
                            ensure_ascii=False, separators=(",", ":")))
            )  # fmt: skip
        tax_total = sum(
            _half_up(amount * Decimal(percent) / hundred)
            for (_name, percent), amount in taxable.items()
        )
        total = subtotal + tax_total
        contact_id = rng.randrange(1, contacts + 1)
        created = f"{issue_date.isoformat()}T09:00:00.000Z"
        invoice_rows.append(
            (invoice_id, contact_id, currency, issue_date.isoformat(), due_date.isoformat(),
             net_days, subtotal, tax_total, total, total, created,
             "Payment within 30 days." if net_days == 30 else "", "")
        )  # fmt: skip
        status = _status(rng, (today - issue_date).days)
        if status == "draft":
            continue
        sequence[issue_date.year] = sequence.get(issue_date.year, 0) + 1
        number = f"INV-{issue_date.year}-{sequence[issue_date.year]:04d}"
        paid = 0
        if status == "paid":
            paid = total
        elif status == "partially_paid":
            paid = max(1, total * rng.randrange(10, 90) // 100)
        if paid:
            parts = 1 if status == "paid" and rng.random() < 0.8 else rng.randint(1, 3)
            remaining = paid
            for part in range(parts):
                amount = remaining if part == parts - 1 else max(1, remaining // 2)
                remaining -= amount
                if amount <= 0:
                    continue
                paid_on = min(today, issue_date + timedelta(days=rng.randrange(0, net_days + 30)))
                payment_rows.append(
                    (invoice_id, amount, paid_on.isoformat(), rng.choice(METHODS),
                     f"REF-{invoice_id}-{part + 1}" if rng.random() < 0.5 else "",
                     f"{paid_on.isoformat()}T12:00:00.000Z")
                )  # fmt: skip
        viewed = int(status in ("viewed", "partially_paid", "paid") and rng.random() < 0.7)
        reason = "Issued in error" if status == "cancelled" else ""
        issued.append((status, number, paid, viewed, reason, created, invoice_id))
    db.executemany(
        "INSERT INTO invoices (id, contact_id, currency, issue_date, due_date, net_days, "
        "subtotal, tax_total, total, balance, created_at, terms, notes) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        invoice_rows,
    )
    say(f"{invoices} invoices as drafts (customer names by trigger)")
    db.executemany(
        "INSERT INTO invoice_lines (invoice_id, position, description, quantity, unit, "
        "unit_price, taxes) VALUES (?, ?, ?, ?, ?, ?, ?)",
        line_rows,
    )
    say(f"{len(line_rows)} lines")
    # Issue, then record what was paid, as the services do (status follows the balance).
    db.executemany(
        "UPDATE invoices SET status = ?, number = ?, paid = ?, balance = total - ?, "
        "viewed = ?, cancel_reason = ?, issued_at = ? WHERE id = ?",
        [(s, n, p, p, v, r, c, i) for s, n, p, v, r, c, i in issued],
    )
    db.executemany(
        "INSERT INTO payments (invoice_id, amount, paid_on, method, reference, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        payment_rows,
    )
    db.executemany(
        "INSERT INTO number_counters (series, next_value) VALUES (?, ?)",
        [(f"{NUMBER_FORMAT}@{year}", last + 1) for year, last in sequence.items()],
    )
    say(f"{len(issued)} issued, {len(payment_rows)} payments")
    for _name, sql in indexes:
        db.execute(sql)
    db.execute("COMMIT")
    say("indexes rebuilt")
    problems = db.execute("PRAGMA foreign_key_check").fetchall()
    check = db.execute("PRAGMA quick_check").fetchone()[0]
    fts = db.execute("INSERT INTO contacts_fts (contacts_fts) VALUES ('integrity-check')")
    fts.close()
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    if problems or check != "ok":
        raise SystemExit(f"the generated book is inconsistent: {problems[:5]} {check}")
    _check_sample(paths.database, rng)
    say("checked (foreign keys, quick_check, FTS, totals of a sample against the domain)")


def _check_sample(database: Path, rng: random.Random, size: int = 300) -> None:
    """Stored totals agree with the domain's own computation, for a random sample."""
    from leadcartel_desktop.storage.database import open_database

    db = open_database(database)
    try:
        with db.unit_of_work(read_only=True) as uow:
            count = uow.queries.invoice_count()
            for invoice_id in rng.sample(range(1, count + 1), min(size, count)):
                invoice = uow.invoices.get(invoice_id)
                totals = invoice.totals()
                stored = uow.queries.invoice_rows([invoice_id], date.today())[0]
                if (totals.total, totals.balance) != (stored.total, stored.balance):
                    raise SystemExit(
                        f"invoice {invoice_id}: domain says total {totals.total} balance "
                        f"{totals.balance}, the book says {stored.total} / {stored.balance}"
                    )
    finally:
        db.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--contacts", type=int, default=CONTACTS)
    parser.add_argument("--invoices", type=int, default=INVOICES)
    parser.add_argument("--lines", type=int, default=LINES)
    parser.add_argument("--force", action="store_true", help="generate again even if cached")
    args = parser.parse_args()
    book = ensure_book(args.contacts, args.invoices, args.lines, force=args.force)
    size = book.database.stat().st_size / 2**20
    print(f"book: {book.home} ({size:.0f} MiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
