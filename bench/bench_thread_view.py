"""Conversations UI: a 5,000-message thread opened and scrolled back, and the SMS counter."""

# A fresh book in a temporary folder, seeded as bench_thread.py seeds it (2,000 contacts,
# 100,000 messages, 5,000 of them one contact's, failed ones with code and hint).
# 1. The real Threads tab, from choosing the conversation (ThreadPanel.show_thread) to its
#    newest messages painted at the bottom: the query and the bubble texts in the worker, the
#    model reset, the list view's layout and the paint. It opens at its newest 200 messages.
# 2. Scrolling back to the first message: each older page fetched, laid out above the rows
#    shown (every loaded row measured again by the list view), the place kept.
# 3. A keystroke in the real compose box holding 1,000 characters: the edit and the live
#    counter ("1000 characters · GSM-7 · 7 parts") set and painted; then also the editor's own
#    repaint (the whole keystroke, against one 60 Hz frame).
#     python bench/bench_thread_view.py [--runs N] [--keystrokes N] [--total N]

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench_thread import seed
from common import Figure, Report, machine, median, percentile, spin_until

OPEN_TARGET_MS = 300.0
KEYSTROKE_TARGET_MS = 5.0
FRAME_MS = 16.0  # a keystroke painted within one frame at 60 Hz
TEXT_LENGTH = 1_000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--keystrokes", type=int, default=200)
    parser.add_argument("--messages", type=int, default=5_000)
    parser.add_argument("--total", type=int, default=100_000)
    args = parser.parse_args()

    from PySide6.QtWidgets import QApplication

    from leadcartel_desktop.app import build_context
    from leadcartel_desktop.domain.outbox import Channel
    from leadcartel_desktop.services.thread_views import Direction, ThreadSummary
    from leadcartel_desktop.ui.context import UiContext
    from leadcartel_desktop.ui.conversations.pane import ConversationsPane
    from leadcartel_desktop.ui.conversations.thread_panel import PAGE_SIZE
    from leadcartel_desktop.ui.tasks import TaskRunner

    report = Report("bench_thread_view")
    report.note("machine", machine())
    app = QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        context = build_context(Path(folder))
        errors: list[BaseException] = []
        tasks = TaskRunner(errors.append)
        try:
            contact_id = seed(context.paths.database, args.messages, args.total, random.Random(5))
            pane = ConversationsPane(UiContext(context.services, tasks, context.paths))
            pane.resize(1280, 800)
            pane.show()
            spin_until(tasks.is_idle)
            panel = pane.threads.thread
            now = context.services.clock.now()
            summary = ThreadSummary(
                contact_id, "First1 Last1", "+15550000001", Channel.SMS, Direction.IN, "", now, 0
            )
            loads = [0]
            panel.loaded.connect(lambda: loads.__setitem__(0, loads[0] + 1))
            open_ms: list[float] = []
            for run in range(args.runs + 1):
                panel.show_thread(None)
                app.processEvents()
                before = loads[0]
                started = time.perf_counter()
                panel.show_thread(summary)
                spin_until(lambda before=before: loads[0] > before)
                app.processEvents()  # the view's delayed layout of every row
                panel.view.viewport().repaint()
                elapsed = (time.perf_counter() - started) * 1000
                if run:  # the first opens cold (imports, fonts, page cache): reported apart
                    open_ms.append(elapsed)
                else:
                    first_ms = elapsed
            shown = panel.model.rowCount()
            assert shown == min(PAGE_SIZE, args.messages), shown
            last = panel.model.index(shown - 1)
            assert panel.view.visualRect(last).bottom() <= panel.view.viewport().height()
            spin_until(tasks.is_idle)

            # Scrolling back to the first message: each time the top is reached, a page of
            # older messages is fetched, laid out above, and the view keeps its place.
            page_ms: list[float] = []
            bar = panel.view.verticalScrollBar()
            while not panel.complete:
                before_rows = panel.model.rowCount()
                started = time.perf_counter()
                bar.setValue(0)
                spin_until(lambda: not panel.fetching_older)
                panel.view.viewport().repaint()
                if panel.model.rowCount() > before_rows:  # the last look finds none left
                    page_ms.append((time.perf_counter() - started) * 1000)
            assert panel.model.rowCount() == args.messages, panel.model.rowCount()
            assert not errors, errors

            compose = panel.compose
            body = compose.body
            body.setPlainText(("Thanks for your order! " * 60)[: TEXT_LENGTH - 1])
            body.setFocus()
            app.processEvents()
            counter_ms: list[float] = []
            key_ms: list[float] = []
            for stroke in range(args.keystrokes):
                cursor = body.textCursor()
                cursor.movePosition(cursor.MoveOperation.End)
                body.setTextCursor(cursor)
                started = time.perf_counter()
                if stroke % 2:
                    cursor.deletePreviousChar()  # back to 999, then 1,000 again
                else:
                    body.insertPlainText("a")  # textChanged: the counter counts and is set
                compose.counter.repaint()
                counted_at = time.perf_counter()
                body.viewport().repaint()  # the editor's own paint of the 1,000 characters
                finished = time.perf_counter()
                counter_ms.append((counted_at - started) * 1000)
                key_ms.append((finished - started) * 1000)
            counted = compose.counter.text()
            report.note("counter", counted)
            assert not errors, errors
        finally:
            tasks.wait_for_done()
            context.close()
    report.note("messages", {"thread": args.messages, "total": args.total})
    report.add(
        Figure(
            f"open a {args.messages:,}-message thread to painted (p95)",
            percentile(open_ms, 0.95),
            "ms",
            OPEN_TARGET_MS,
            note=f"median {median(open_ms):.1f}, first {first_ms:.1f}, n={len(open_ms)}",
        )
    )
    report.add(
        Figure(
            f"scroll back: {PAGE_SIZE} older messages paged in (p95)",
            percentile(page_ms, 0.95),
            "ms",
            OPEN_TARGET_MS,
            note=f"median {median(page_ms):.1f}, max {max(page_ms):.1f}, n={len(page_ms)} pages "
            f"to all {args.messages:,}",
        )
    )
    report.add(
        Figure(
            f"SMS counter per keystroke at {TEXT_LENGTH:,} characters (p95)",
            percentile(counter_ms, 0.95),
            "ms",
            KEYSTROKE_TARGET_MS,
            note=f"median {median(counter_ms):.2f}, max {max(counter_ms):.1f}, "
            f"n={len(counter_ms)}; the edit, the count and the counter painted",
        )
    )
    report.add(
        Figure(
            "whole keystroke with the editor repainted (p95)",
            percentile(key_ms, 0.95),
            "ms",
            FRAME_MS,
            note=f"median {median(key_ms):.2f}, max {max(key_ms):.1f}, n={len(key_ms)}",
        )
    )
    return report.finish()


if __name__ == "__main__":
    raise SystemExit(main())
