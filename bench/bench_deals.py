"""The Opportunities board on 5,000 open deals over 8 stages: board() and move() service times."""

# Set-up (not measured): a fresh book in a temporary folder with 1,000 contacts and one
# pipeline of 8 stages holding 5,000 open deals (two currencies, most with a contact),
# bulk-inserted through the storage layer in one transaction. Then DealService.board() is
# timed over --boards calls (each a read transaction, the one query joined to contacts, the
# cards and column totals built) and DealService.move() over --moves moves (each one write
# transaction: place, history row, the two columns' totals), alternating between columns and
# within one, at random places.
#     python bench/bench_deals.py [--deals 5000] [--boards 20] [--moves 100]

from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from common import Figure, Report, machine, median, percentile

BOARD_P95_TARGET_MS = 200.0
MOVE_P95_TARGET_MS = 50.0
START = date(2026, 1, 1)
STAGES = [
    ("Lead", 5),
    ("Contacted", 10),
    ("Qualified", 25),
    ("Demo", 40),
    ("Proposal", 50),
    ("Negotiation", 75),
    ("Verbal yes", 90),
    ("Closing", 95),
]


def seed(services: Any, database: Any, deals: int, rng: random.Random) -> tuple[int, list[int]]:
    """The pipeline and its deals, written in one transaction; (pipeline id, stage ids)."""
    from leadcartel_desktop.domain.contact import Contact
    from leadcartel_desktop.services.deal_views import DealDraft

    pipeline_id: int = services.pipelines.create("Sales", STAGES)
    stage_ids = [stage.id for stage in services.pipelines.get(pipeline_id).stages]
    clock = services.clock
    with database.unit_of_work() as uow:
        contact_ids = [
            uow.contacts.add(Contact(first_name=f"First{n}", last_name=f"Last{n}"))
            for n in range(1000)
        ]
        drafts = [
            DealDraft(
                name=f"Deal {n}",
                contact_id=rng.choice(contact_ids) if n % 10 else None,
                value_minor=rng.randrange(10_000, 5_000_000),
                currency="USD" if n % 3 else "EUR",
                expected_close=START + timedelta(days=rng.randrange(365)) if n % 7 else None,
                pipeline_id=pipeline_id,
                stage_id=stage_ids[n % len(stage_ids)],
            )
            for n in range(deals)
        ]
        uow.deals.add_many(drafts, clock.now())
        uow.commit()
    return pipeline_id, stage_ids


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--deals", type=int, default=5000)
    parser.add_argument("--boards", type=int, default=20)
    parser.add_argument("--moves", type=int, default=100)
    args = parser.parse_args()

    from leadcartel_desktop.app import build_context

    report = Report("bench_deals")
    report.note("machine", machine())
    report.note("deals", args.deals)
    rng = random.Random(4)
    with tempfile.TemporaryDirectory(prefix="bench-deals-") as folder:
        context = build_context(Path(folder) / "home")
        try:
            services = context.services
            pipeline_id, stage_ids = seed(services, context.database, args.deals, rng)
            deals = services.deals
            deals.board(pipeline_id)  # warm: imports, page cache

            board_ms: list[float] = []
            for _ in range(args.boards):
                started = time.perf_counter()
                board = deals.board(pipeline_id)
                board_ms.append((time.perf_counter() - started) * 1000)
            cards = sum(len(column.cards) for column in board.columns)
            report.note("cards_on_board", cards)

            move_ms: list[float] = []
            for n in range(args.moves):
                column = board.columns[rng.randrange(len(board.columns))]
                card = column.cards[rng.randrange(len(column.cards))]
                # Even moves go to another column, odd ones stay in the card's own column.
                target = rng.choice(stage_ids) if n % 2 == 0 else column.stage.id
                index = rng.randrange(len(column.cards))
                started = time.perf_counter()
                result = deals.move(card.id, target, index)
                move_ms.append((time.perf_counter() - started) * 1000)
                column.cards.remove(card)
                to = next(c for c in board.columns if c.stage.id == result.to_stage_id)
                to.cards.insert(result.index, result.card)
        finally:
            context.close()

    report.add(
        Figure(
            f"board() on {cards:,} open deals, 8 stages (p95)",
            percentile(board_ms, 0.95),
            "ms",
            BOARD_P95_TARGET_MS,
            note=f"p50 {median(board_ms):.1f} ms over {len(board_ms)} calls",
        )
    )
    report.add(
        Figure(
            "move() commit (p95)",
            percentile(move_ms, 0.95),
            "ms",
            MOVE_P95_TARGET_MS,
            note=f"p50 {median(move_ms):.1f} ms over {len(move_ms)} moves",
        )
    )
    return report.finish()


if __name__ == "__main__":
    raise SystemExit(main())
