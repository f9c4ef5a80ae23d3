"""Customer type-ahead on the big book: in the database, in the picker, and against a LIKE scan."""

# Prefixes are drawn from the book itself (seeded): 1-4 letters of first and last names, a
# first name and the start of a last name, the start of an email, phone digits. The database
# figure is ContactService.suggest (one read transaction, FTS5 prefix query, ranking); the UI
# figure is the real CustomerPicker: from the keystroke (its 150 ms typing debounce set to 0,
# since waiting for the typist to pause is on purpose) to the suggestion model reset and the
# popup painted. The LIKE '%q%' scan over the same columns runs interleaved with the FTS query.
#     python bench/bench_typeahead.py [--home BOOK_HOME] [--rounds N]

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from book import ensure_book, reset_window_state
from common import Figure, Report, machine, median, percentile, spin_until

DB_P95_TARGET_MS = 5.0
UI_P95_TARGET_MS = 20.0
SPEEDUP_TARGET = 30.0
COLUMNS = ("first_name", "last_name", "email", "phone", "company")
LIKE_SQL = (
    "SELECT id, display_name, email, phone, company FROM contacts WHERE {} "
    "ORDER BY display_name, id LIMIT 12"
)


def prefixes(database: Path, count: int, seed: int = 11) -> list[str]:
    """What operators type: short prefixes, names, the start of an email, phone digits."""
    rng = random.Random(seed)
    connection = sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True)
    rows = connection.execute(
        "SELECT first_name, last_name, email, phone, company FROM contacts "
        "WHERE id % 97 = 0 ORDER BY id"
    ).fetchall()
    connection.close()
    typed: list[str] = []
    while len(typed) < count:
        first, last, email, phone, company = rng.choice(rows)
        kind = len(typed) % 6
        if kind == 0 and first:
            typed.append(first[: rng.randint(1, 4)])
        elif kind == 1 and last:
            typed.append(last[: rng.randint(1, 4)])
        elif kind == 2 and first and last:
            typed.append(f"{first} {last[: rng.randint(1, 3)]}")
        elif kind == 3 and email:
            typed.append(email[: rng.randint(3, 8)])
        elif kind == 4 and phone:
            digits = phone.lstrip("+")
            start = rng.choice((0, len(digits) - 7, len(digits) - 4))
            typed.append(digits[max(0, start) :][: rng.randint(3, 7)])
        elif kind == 5 and company:
            typed.append(company[: rng.randint(2, 5)])
    return typed


def like_query(text: str) -> tuple[str, list[str]]:
    """Every word somewhere in any of the columns: what a naive search would do."""
    terms, params = [], []
    for word in text.split():
        terms.append("(" + " OR ".join(f"{column} LIKE ?" for column in COLUMNS) + ")")
        params.extend([f"%{word}%"] * len(COLUMNS))
    return LIKE_SQL.format(" AND ".join(terms)), params


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--home", help="a book folder (default: bench/book.py's cached book)")
    parser.add_argument("--prefixes", type=int, default=120)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    home = args.home or str(ensure_book().home)
    reset_window_state(home)

    from PySide6.QtWidgets import QApplication, QMainWindow

    from leadcartel_desktop.app import build_context
    from leadcartel_desktop.ui.context import UiContext
    from leadcartel_desktop.ui.invoices.customer import CustomerPicker
    from leadcartel_desktop.ui.tasks import TaskRunner

    report = Report("bench_typeahead")
    report.note("machine", machine())
    context = build_context(home)
    typed = prefixes(context.paths.database, args.prefixes)
    report.note("prefixes", typed)
    contacts = context.services.contacts
    for text in typed[:20]:
        contacts.suggest(text)  # warm: page cache, imports

    # Database: the service call vs a LIKE '%q%' scan, interleaved, on the same connection kind.
    fts_ms: list[float] = []
    like_ms: list[float] = []
    empty = 0
    with context.database.engine.connect() as connection:
        driver = connection.connection.driver_connection
        assert driver is not None
        for _round in range(args.rounds):
            for text in typed:
                started = time.perf_counter()
                found = contacts.suggest(text)
                fts_ms.append((time.perf_counter() - started) * 1000)
                empty += not found
                statement, params = like_query(text)
                started = time.perf_counter()
                driver.execute(statement, params).fetchall()
                like_ms.append((time.perf_counter() - started) * 1000)
    report.note("prefixes_without_hits", empty // args.rounds)
    report.add(
        Figure(
            "type-ahead in the database (p95)",
            percentile(fts_ms, 0.95),
            "ms",
            DB_P95_TARGET_MS,
            note=f"median {median(fts_ms):.2f}, max {max(fts_ms):.1f}, n={len(fts_ms)}",
        )
    )
    speedup = sum(like_ms) / sum(fts_ms)
    report.add(
        Figure(
            "FTS5 prefix vs LIKE '%q%' scan (speed-up)",
            speedup,
            "x",
            SPEEDUP_TARGET,
            at_most=False,
            note=f"LIKE median {median(like_ms):.1f} ms, p95 {percentile(like_ms, 0.95):.1f} ms",
        )
    )

    # UI: the real picker, its model and completer popup, through the TaskRunner.
    app = QApplication([])
    tasks = TaskRunner(lambda error: print("error:", error))
    window = QMainWindow()
    picker = CustomerPicker(UiContext(context.services, tasks, context.paths))
    window.setCentralWidget(picker)
    window.resize(900, 300)
    window.show()
    window.activateWindow()
    picker.search.setFocus()
    picker._debounce.setInterval(0)  # the typing pause is by design, not latency
    resets = [0]
    picker.suggestions.modelReset.connect(lambda: resets.__setitem__(0, resets[0] + 1))
    ui_ms: list[float] = []
    for _round in range(args.rounds):
        for text in typed:
            picker.search.setText(text[:-1])
            spin_until(tasks.is_idle)
            before = resets[0]
            started = time.perf_counter()
            picker.search.insert(text[-1])  # a keystroke: textEdited, as typing emits it
            spin_until(lambda before=before: resets[0] > before)
            popup = picker.completer.popup()
            if popup.isVisible():
                popup.viewport().repaint()
            ui_ms.append((time.perf_counter() - started) * 1000)
            spin_until(tasks.is_idle)
    app.processEvents()
    report.add(
        Figure(
            "type-ahead to the suggestion list painted (p95)",
            percentile(ui_ms, 0.95),
            "ms",
            UI_P95_TARGET_MS,
            note=f"median {median(ui_ms):.1f}, max {max(ui_ms):.1f}, n={len(ui_ms)}",
        )
    )
    tasks.wait_for_done()
    window.close()
    context.close()
    return report.finish()


if __name__ == "__main__":
    raise SystemExit(main())
