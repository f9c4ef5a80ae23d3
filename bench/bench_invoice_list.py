"""The invoice list on a real-sized book: open, filter, search and sort to the first painted rows,
and a jump to any scroll position to its repainted rows; resident memory at the end.

Targets: open/filter/sort <= 100 ms, jump <= 50 ms, RSS <= 250 MB.
    python bench/bench_invoice_list.py BOOK_HOME   (make one with bench/big_book.py)
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QEvent, QEventLoop, QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from leadcartel_desktop.app import build_context
from leadcartel_desktop.domain.invoice_status import StatusFilter
from leadcartel_desktop.ui.context import UiContext
from leadcartel_desktop.ui.main_window import MainWindow
from leadcartel_desktop.ui.payments.invoice_model import InvoiceColumn
from leadcartel_desktop.ui.payments.invoices_tab import InvoicesTab
from leadcartel_desktop.ui.tasks import TaskRunner

LIST_TARGET_MS = 100.0
JUMP_TARGET_MS = 50.0
RSS_TARGET_MB = 250.0


def spin_until(condition: Callable[[], bool], timeout_ms: int = 30_000) -> None:
    """Run the event loop (asleep in C, as in the app) until `condition` holds.

    A busy processEvents() loop would hold the GIL and slow the worker threads down.
    """
    if condition():
        return
    loop = QEventLoop()
    poll = QTimer()
    poll.setInterval(1)
    poll.timeout.connect(lambda: condition() and loop.quit())
    poll.start()
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    poll.stop()
    if not condition():
        raise TimeoutError("the list did not answer")


def visible_rows_loaded(tab: InvoicesTab) -> bool:
    view, model = tab.table, tab.model
    if model.rowCount() == 0:
        return True
    top = max(view.rowAt(0), 0)
    bottom = view.rowAt(view.viewport().height() - 1)
    bottom = model.rowCount() - 1 if bottom < 0 else bottom
    return all(model.row_at(row) is not None for row in (top, bottom))


class PaintWatcher(QObject):
    """Notes when the viewport has finished a paint (a zero timer fires right after it)."""

    def __init__(self, viewport: QWidget) -> None:
        super().__init__()
        self.painted = 0
        viewport.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, self._done)
        return False

    def _done(self) -> None:
        self.painted += 1


class LoadCounter:
    def __init__(self, tab: InvoicesTab) -> None:
        self.count = 0
        tab.model.loaded.connect(self.bump)

    def bump(self) -> None:
        self.count += 1


def to_painted_rows(
    tab: InvoicesTab,
    loads: LoadCounter,
    paints: PaintWatcher,
    action: Callable[[], None],
    requery: bool,
) -> float:
    """Milliseconds from the action to the first paint that shows its rows (Qt's own paint)."""
    started = time.perf_counter()
    before = loads.count
    action()
    if requery:
        spin_until(lambda: loads.count > before)
    spin_until(lambda: visible_rows_loaded(tab))
    painted = paints.painted
    tab.table.viewport().update()  # merges with the update dataChanged asked for
    spin_until(lambda: paints.painted > painted)
    return (time.perf_counter() - started) * 1000


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def report(name: str, values: list[float], target: float) -> bool:
    median, worst = statistics.median(values), max(values)
    ok = median <= target
    print(f"{name:<34} median {median:6.1f} ms  max {worst:6.1f} ms  {'ok' if ok else 'SLOW'}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("home")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    app = QApplication([])  # noqa: F841 - kept alive for the whole run
    context = build_context(args.home)
    tasks = TaskRunner(lambda error: print("error:", error))
    window = MainWindow(context.paths, tasks)
    window.resize(1280, 800)
    window.attach(UiContext(context.services, tasks, context.paths))
    window.show_pane(0)
    window.show()
    assert window.payments is not None
    tab = window.payments.invoices
    spin_until(lambda: tab.model.has_loaded and visible_rows_loaded(tab))
    print(f"{tab.model.rowCount()} invoices in the list")
    results: dict[str, list[float]] = {}
    loads = LoadCounter(tab)
    paints = PaintWatcher(tab.table.viewport())

    def measure(name: str, action: Callable[[], None], requery: bool = True) -> None:
        results.setdefault(name, []).append(to_painted_rows(tab, loads, paints, action, requery))

    rng = random.Random(3)
    for _ in range(args.repeat):
        measure("open (re-query all)", tab.model.refresh)
        for status in (StatusFilter.OVERDUE, StatusFilter.BALANCE_PENDING, StatusFilter.PAID):
            measure(f"filter {status.label}", lambda s=status: tab.model.set_status_filter(s))
            measure("filter back to All", lambda: tab.model.set_status_filter(StatusFilter.ALL))
        for text in ("INV-2024-0012", "Nakamura", "ada lov"):
            measure(f"search '{text}'", lambda t=text: tab.model.set_search(t))
            measure("search cleared", lambda: tab.model.set_search(""))
        for column in (InvoiceColumn.TOTAL, InvoiceColumn.CUSTOMER, InvoiceColumn.DUE_DATE):
            for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
                descending = order == Qt.SortOrder.DescendingOrder
                name = f"sort {column.name.lower()} {'desc' if descending else 'asc'}"
                measure(name, lambda c=column, o=order: tab.table.sortByColumn(c, o))
        bar = tab.table.verticalScrollBar()
        for _ in range(10):
            target = rng.randrange(bar.maximum() + 1)
            measure("jump to a scroll position", lambda t=target, b=bar: b.setValue(t), False)
    ok = True
    for name, values in results.items():
        target = JUMP_TARGET_MS if name.startswith("jump") else LIST_TARGET_MS
        ok = report(name, values, target) and ok
    memory = rss_mb()
    print(f"resident memory with the book open  {memory:6.0f} MB  (target <= {RSS_TARGET_MB:.0f})")
    tasks.wait_for_done()
    window.close()
    context.close()
    return 0 if ok and memory <= RSS_TARGET_MB else 1


if __name__ == "__main__":
    raise SystemExit(main())
