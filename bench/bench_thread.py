"""Conversations: a 5,000-message thread opens (one read query joined to the outbox) in time."""

# A fresh book in a temporary folder: 2,000 contacts and 100,000 messages, 5,000 of them one
# contact's (half outbound, each with its outbox row in a mix of states, a failed one with its
# code and hint; half inbound). The figure is ThreadService.thread(contact_id): the read unit
# of work, the query, and the 5,000 ThreadMessage views; also the conversations list (threads()).
#     python bench/bench_thread.py [--runs N] [--messages N] [--total N]

from __future__ import annotations

import argparse
import random
import sqlite3
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from common import Figure, Report, machine, median, percentile

THREAD_TARGET_MS = 300.0
LIST_TARGET_MS = 300.0
CONTACTS = 2_000
STATES = ("sent", "delivered", "failed", "pending", "sent", "delivered")


def _stamp(at: datetime) -> str:
    return f"{at:%Y-%m-%dT%H:%M:%S}.{at.microsecond // 1000:03d}Z"


def seed(database: Path, thread_size: int, total: int, rng: random.Random) -> int:
    """Contacts, outbox rows and messages straight into the file; returns the big thread's id."""
    connection = sqlite3.connect(database)
    connection.executemany(
        "INSERT INTO contacts (id, first_name, last_name, phone) VALUES (?, ?, ?, ?)",
        [(n, f"First{n}", f"Last{n}", f"+1555{n:07d}") for n in range(1, CONTACTS + 1)],
    )
    start = datetime(2026, 1, 1, tzinfo=UTC)
    outbox, messages = [], []
    for n in range(total):
        contact = 1 if n < thread_size else rng.randint(2, CONTACTS)
        at = _stamp(start + timedelta(seconds=n * 7 + rng.randint(0, 5)))
        if n % 2:
            state = STATES[(n // 2) % len(STATES)]
            failed = state == "failed"
            outbox.append((n + 1, "sms", f"+1555{contact:07d}", f"key-{n}", state,
                           at, "21211" if failed else "", "Correct the number." if failed else "",
                           at))  # fmt: skip
            messages.append((contact, "sms", "out", f"+1555{contact:07d}", f"Message {n}", at,
                             None, n + 1, 0))  # fmt: skip
        else:
            messages.append((contact, "sms", "in", f"+1555{contact:07d}", f"Reply {n}", at,
                             f"SM{n:032d}", None, 1))  # fmt: skip
    connection.executemany(
        "INSERT INTO outbox (id, channel, recipient, idempotency_key, state, next_attempt_at, "
        "last_error_code, last_error_hint, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        outbox,
    )
    connection.executemany(
        "INSERT INTO messages (contact_id, channel, direction, address, body, at, provider_id, "
        "outbox_id, unread) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        messages,
    )
    connection.commit()
    connection.execute("ANALYZE")
    connection.close()
    return 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--messages", type=int, default=5_000)
    parser.add_argument("--total", type=int, default=100_000)
    args = parser.parse_args()

    from leadcartel_desktop.app import build_context

    report = Report("bench_thread")
    report.note("machine", machine())
    with tempfile.TemporaryDirectory() as folder:
        context = build_context(Path(folder))
        try:
            contact_id = seed(context.paths.database, args.messages, args.total, random.Random(5))
            threads = context.services.threads
            first_ms = _timed(lambda: threads.thread(contact_id))  # cold: imports, page cache
            thread_ms = [_timed(lambda: threads.thread(contact_id)) for _ in range(args.runs)]
            shown = threads.thread(contact_id)
            assert len(shown) == args.messages, len(shown)
            assert any(m.error_code == "21211" for m in shown)
            list_ms = [_timed(threads.threads) for _ in range(max(3, args.runs // 3))]
        finally:
            context.close()
    report.note("messages", {"thread": args.messages, "total": args.total})
    report.add(
        Figure(
            f"open a {args.messages:,}-message thread (p95)",
            percentile(thread_ms, 0.95),
            "ms",
            THREAD_TARGET_MS,
            note=f"median {median(thread_ms):.1f}, first {first_ms:.1f}, n={len(thread_ms)}",
        )
    )
    report.add(
        Figure(
            f"conversations list, {CONTACTS:,} contacts (p95)",
            percentile(list_ms, 0.95),
            "ms",
            LIST_TARGET_MS,
            note=f"median {median(list_ms):.1f}, n={len(list_ms)}",
        )
    )
    return report.finish()


def _timed(call: object) -> float:
    assert callable(call)
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


if __name__ == "__main__":
    raise SystemExit(main())
