"""The Opportunities board in the window: opening 5,000 open deals over 8 stages, and a drop."""

# Set-up (not measured): a fresh book in a temporary folder, seeded as bench_deals.py does
# (1,000 contacts, one pipeline of 8 stages, 5,000 open deals in USD and EUR, bulk-inserted).
# Open: a new OpportunitiesPane is shown at 1280×800 and timed from show() (it builds its
# widgets, asks for the pipelines, then the board, through the TaskRunner) until every column
# in sight has painted its cards; the median of --opens opens. Drop: a card in sight, its
# column's mime data dropped between cards in sight of another column (or its own) through
# the model's dropMimeData, as the view does on a mouse drop, timed until the service
# committed the move and both columns show it (the board's `moved`), over --drops drops; the
# model resets seen meanwhile are counted (a move must reset none). Garbage is collected on
# the GUI thread by the app's own policy (ui/gc_policy.py), so no collection lands inside a
# timing.
#     python bench/bench_board.py [--deals 5000] [--opens 7] [--drops 30]

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench_deals import seed
from common import Figure, Report, machine, median, percentile, spin_until

OPEN_TARGET_MS = 500.0
DROP_P95_TARGET_MS = 50.0


def paint_counter() -> Any:
    from PySide6.QtCore import QEvent, QObject

    class PaintCounter(QObject):
        """Counts paint events per widget (installed on the application: it sees every one)."""

        def __init__(self) -> None:
            super().__init__()
            self.painted: set[int] = set()

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                self.painted.add(id(watched))
            return False

    return PaintCounter()


def rows_in_sight(view: Any) -> list[int]:
    """The rows of the cards a column shows now (at least its first)."""
    viewport = view.viewport().rect()
    first = view.indexAt(viewport.topLeft()).row()
    last = view.indexAt(viewport.bottomLeft()).row()
    count = view.model().rowCount()
    last = count - 1 if last < 0 else last
    return list(range(max(first, 0), last + 1)) or [0]


def open_pane(context: Any, counter: Any) -> tuple[float, Any]:
    """Show a new pane; ms until the board is loaded and every column in sight has painted."""
    from leadcartel_desktop.ui.opportunities.pane import OpportunitiesPane

    pane = OpportunitiesPane(context)
    pane.resize(1280, 800)
    counter.painted.clear()

    def painted() -> bool:
        board = pane.workspace.board  # built by show()
        if not board.has_loaded:
            return False
        shown = [c.view.viewport() for c in board.columns if not c.visibleRegion().isEmpty()]
        return bool(shown) and all(id(viewport) in counter.painted for viewport in shown)

    started = time.perf_counter()
    pane.show()
    spin_until(painted)
    return (time.perf_counter() - started) * 1000, pane


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--deals", type=int, default=5000)
    parser.add_argument("--opens", type=int, default=7)
    parser.add_argument("--drops", type=int, default=30)
    args = parser.parse_args()

    from PySide6.QtCore import QModelIndex, Qt
    from PySide6.QtWidgets import QApplication

    from leadcartel_desktop.app import build_context
    from leadcartel_desktop.ui.context import UiContext
    from leadcartel_desktop.ui.gc_policy import MainThreadCollector
    from leadcartel_desktop.ui.tasks import TaskRunner

    report = Report("bench_board")
    report.note("machine", machine())
    rng = random.Random(7)
    app = QApplication([])
    collector = MainThreadCollector()  # garbage collected on the GUI thread, as the app does
    collector.start()
    errors: list[BaseException] = []
    with tempfile.TemporaryDirectory(prefix="bench-board-") as folder:
        context = build_context(Path(folder) / "home")
        try:
            seed(context.services, context.database, args.deals, rng)
            context.services.deals.board(context.services.pipelines.list()[0].id)  # warm
            tasks = TaskRunner(errors.append)
            ui = UiContext(context.services, tasks, context.paths)
            counter = paint_counter()
            app.installEventFilter(counter)

            open_ms: list[float] = []
            pane = None
            for _ in range(args.opens):
                if pane is not None:
                    pane.close()
                    pane.deleteLater()
                    app.processEvents()
                elapsed, pane = open_pane(ui, counter)
                open_ms.append(elapsed)
            assert pane is not None
            collector.freeze_long_lived()  # as the app does once its start is over
            board = pane.workspace.board
            cards = sum(column.model.rowCount() for column in board.columns)
            report.note("cards_on_board", cards)

            resets = [0]
            for column in board.columns:
                column.model.modelReset.connect(lambda: resets.__setitem__(0, resets[0] + 1))
            drop_ms: list[float] = []
            moved = [0]
            board.moved.connect(lambda _id: moved.__setitem__(0, moved[0] + 1))
            for n in range(args.drops):
                # What a mouse can do: a card in sight dropped between cards in sight.
                in_sight = [c for c in board.columns if not c.visibleRegion().isEmpty()]
                source_column = rng.choice(in_sight)
                source = source_column.model
                row = rng.choice(rows_in_sight(source_column.view))
                # Even drops go to another column, odd ones within the card's own column.
                target_column = rng.choice(in_sight) if n % 2 == 0 else source_column
                target = target_column.model
                places = [*rows_in_sight(target_column.view), target.rowCount()][:12]
                if target is source:  # dropped where it already is: no move to time
                    places = [place for place in places if place not in (row, row + 1)]
                before = rng.choice(places)
                mime = source.mimeData([source.index(row, 0)])
                done = moved[0] + 1
                started = time.perf_counter()
                target.dropMimeData(mime, Qt.DropAction.MoveAction, before, 0, QModelIndex())
                spin_until(lambda done=done: moved[0] >= done)
                drop_ms.append((time.perf_counter() - started) * 1000)
            after = sum(column.model.rowCount() for column in board.columns)
            assert after == cards, f"cards lost or doubled by the drops: {cards} -> {after}"
            tasks.wait_for_done()
            pane.close()
        finally:
            context.close()
            collector.stop()
    if errors:
        print("task errors:", errors)
        return 1

    report.add(
        Figure(
            f"board of {cards:,} open deals, 8 stages, open to painted",
            median(open_ms),
            "ms",
            OPEN_TARGET_MS,
            note=f"median of {len(open_ms)}; first {open_ms[0]:.0f}, max {max(open_ms):.0f}",
        )
    )
    report.add(
        Figure(
            "drop to committed, both columns updated (p95)",
            percentile(drop_ms, 0.95),
            "ms",
            DROP_P95_TARGET_MS,
            note=f"p50 {median(drop_ms):.1f} ms over {len(drop_ms)} drops",
        )
    )
    report.add(
        Figure(
            f"column model resets during {len(drop_ms)} drops",
            resets[0],
            "resets",
            0,
            note="a move changes two columns row by row",
        )
    )
    return report.finish()


if __name__ == "__main__":
    raise SystemExit(main())
