"""Invoice list on the big book: open, filter, search, sort and jump to painted rows; memory."""

# Everything goes through the real window: MainWindow.attach builds the Payments pane, the
# InvoiceTableModel queries through the services on the TaskRunner's worker, and a figure is
# the time from the request to the visible rows holding real data (no placeholder) and the
# viewport having painted them (a synchronous repaint). Usage:
#     python bench/bench_invoice_list.py [--repeat N] [--home BOOK_HOME]

from __future__ import annotations

import argparse
import os
import random
import time
from collections.abc import Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from book import ensure_book, reset_window_state
from common import Figure, Report, machine, median, percentile, rss_mib, spin_until
from PySide6.QtCore import QEvent, QObject, QTimer

LIST_TARGET_MS = 100.0
JUMP_TARGET_MS = 50.0
RSS_TARGET_MIB = 250.0


class PaintClock(QObject):
    """Notes when the viewport has finished a paint that showed real rows.

    The event filter sees a paint before the view draws it; a zero timer queued then fires
    once that paint is done.
    """

    def __init__(self) -> None:
        super().__init__()
        self.painted_at = 0.0
        self._check: Callable[[], bool] = lambda: False
        self._watched: QObject | None = None
        self._round = 0

    def watch(self, viewport: QObject, check: Callable[[], bool]) -> None:
        """Start a new measurement: only paints from now on that pass `check` count."""
        if viewport is not self._watched:
            viewport.installEventFilter(self)
            self._watched = viewport
        self._check = check
        self._round += 1
        self.painted_at = 0.0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint and self._check():
            measuring = self._round
            QTimer.singleShot(0, lambda: self._stamp(measuring))
        return False

    def _stamp(self, measuring: int) -> None:
        if measuring == self._round and not self.painted_at:
            self.painted_at = time.perf_counter()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--home", help="a book folder (default: bench/book.py's cached book)")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    home = args.home or str(ensure_book().home)
    reset_window_state(home)

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from leadcartel_desktop.app import build_context
    from leadcartel_desktop.domain.invoice_status import StatusFilter
    from leadcartel_desktop.ui.context import UiContext
    from leadcartel_desktop.ui.main_window import MainWindow
    from leadcartel_desktop.ui.payments.invoice_model import InvoiceColumn
    from leadcartel_desktop.ui.payments.invoices_tab import InvoicesTab
    from leadcartel_desktop.ui.tasks import TaskRunner
    from leadcartel_desktop.ui.widgets.lazy_table_model import PLACEHOLDER

    app = QApplication([])
    context = build_context(home)
    tasks = TaskRunner(lambda error: print("error:", error))
    window = MainWindow(context.paths, tasks)
    window.resize(1280, 800)
    ui_context = UiContext(context.services, tasks, context.paths)
    window.attach(ui_context)
    window.show_pane(0)
    window.show()
    assert window.payments is not None
    pane = window.payments
    tab: InvoicesTab = pane.invoices
    resets = [0]

    def watch(model_tab: InvoicesTab) -> None:
        model_tab.model.modelReset.connect(lambda: resets.__setitem__(0, resets[0] + 1))

    watch(tab)

    def visible_rows_real(target: InvoicesTab) -> bool:
        view, model = target.table, target.model
        count = model.rowCount()
        if count == 0:
            return True
        top = max(view.rowAt(0), 0)
        bottom = view.rowAt(view.viewport().height() - 1)
        if bottom < 0:  # fewer rows than fit, or the view has not laid itself out yet
            per_screen = view.viewport().height() // max(view.rowHeight(top), 1)
            bottom = min(count - 1, top + per_screen)
        return all(
            model.row_at(row) is not None and model.data(model.index(row, 0)) != PLACEHOLDER
            for row in range(top, bottom + 1)
        )

    clock = PaintClock()

    def painted_ms(target: InvoicesTab, action: Callable[[], None], requery: bool) -> float:
        """From the request to the end of the first paint that shows the rows asked for."""
        before = resets[0]
        clock.watch(
            target.table.viewport(),
            lambda: (not requery or resets[0] > before) and visible_rows_real(target),
        )
        started = time.perf_counter()
        action()
        try:
            spin_until(lambda: clock.painted_at > started, timeout_ms=3000)
        except TimeoutError:  # nothing asked for a paint: the rows were there already
            spin_until(lambda: visible_rows_real(target))
            target.table.viewport().repaint()
        return (clock.painted_at - started) * 1000

    spin_until(lambda: tab.model.rowCount() > 0 and visible_rows_real(tab))
    print(f"{tab.model.rowCount():,} invoices in the list; {os.cpu_count()} CPUs")
    report = Report("bench_invoice_list")
    report.note("machine", machine())
    samples: dict[str, list[float]] = {}

    # Memory as the operator has it: the Payments pane open on the book, scrolled through a
    # few screens and a few jumps, a row selected (before the stress of the figures below).
    rng = random.Random(5)
    bar = tab.table.verticalScrollBar()
    for step in range(10):
        bar.setValue(step * bar.pageStep() if step < 5 else rng.randrange(bar.maximum() + 1))
        spin_until(lambda: visible_rows_real(tab))
        tab.table.viewport().repaint()
    bar.setValue(0)
    tab.table.selectRow(3)
    spin_until(tasks.is_idle)
    app.processEvents()
    opened_rss = rss_mib()

    def settle() -> None:
        """Until the previous request's background work (id list, totals) is done."""
        for _ in range(2):  # that work starts a moment after the first paint
            spin_until(lambda: tasks.is_idle() and tab.model.is_id_list_complete())
            pause = time.perf_counter() + 0.06
            spin_until(lambda p=pause: time.perf_counter() > p)

    def measure(name: str, action: Callable[[], None], requery: bool = True) -> None:
        settle()
        samples.setdefault(name, []).append(painted_ms(tab, action, requery))

    def open_fresh() -> float:
        """A new Invoices tab in the pane's place, refreshed: what opening the list costs."""
        nonlocal tab
        old = tab
        started = time.perf_counter()
        fresh = InvoicesTab(ui_context)
        watch(fresh)
        pane.tabs.insertTab(0, fresh, "Invoices")
        pane.tabs.setCurrentIndex(0)
        pane.tabs.removeTab(1)
        before = resets[0]
        clock.watch(fresh.table.viewport(), lambda: resets[0] > before and visible_rows_real(fresh))
        fresh.refresh()
        spin_until(lambda: clock.painted_at > started)
        elapsed = (clock.painted_at - started) * 1000
        old.deleteLater()
        tab = fresh
        pane.invoices = fresh  # the pane saves its state from it on close
        return elapsed

    searches = ("INV-2024-01", "smith", "ayşe", "jo", "maria gar", "atlas")
    for _ in range(args.repeat):
        settle()
        samples.setdefault("open (new tab, first page painted)", []).append(open_fresh())
        for status in StatusFilter:
            if status is StatusFilter.ALL:
                continue
            measure(f"filter {status.label}", lambda s=status: tab.model.set_status_filter(s))
            measure("filter back to All", lambda: tab.model.set_status_filter(StatusFilter.ALL))
        for text in searches:
            measure(f"search '{text}'", lambda t=text: tab.model.set_search(t))
            measure("search cleared", lambda: tab.model.set_search(""))
        for column in InvoiceColumn:
            for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
                name = f"sort {column.name.lower()} {'desc' if order.value else 'asc'}"
                measure(name, lambda c=column, o=order: tab.table.sortByColumn(c, o))
        measure(
            "sort back to issue date desc",
            lambda: tab.table.sortByColumn(InvoiceColumn.ISSUE_DATE, Qt.SortOrder.DescendingOrder),
        )
        spin_until(tasks.is_idle)
        bar = tab.table.verticalScrollBar()
        for _jump in range(8):
            position = rng.randrange(bar.maximum() + 1)
            measure("jump to a scroll position", lambda p=position, b=bar: b.setValue(p), False)
        measure("jump to the end", lambda b=bar: b.setValue(b.maximum()), False)
        measure("jump to the top", lambda b=bar: b.setValue(0), False)
        spin_until(tasks.is_idle)

    worst = {"list": 0.0, "jump": 0.0}
    for name, values in samples.items():
        is_jump = name.startswith("jump")
        target = JUMP_TARGET_MS if is_jump else LIST_TARGET_MS
        figure = report.add(
            Figure(
                f"{name} (median)",
                median(values),
                "ms",
                target,
                note=f"p90 {percentile(values, 0.9):.0f}, max {max(values):.0f}, n={len(values)}",
            )
        )
        key = "jump" if is_jump else "list"
        worst[key] = max(worst[key], figure.value)
    report.note("worst_median_ms", worst)

    report.add(
        Figure(
            "resident memory, book open and scrolled",
            opened_rss,
            "MiB",
            RSS_TARGET_MIB,
            note=f"after every figure above {rss_mib():.0f}, peak {rss_mib(field='VmHWM'):.0f}",
        )
    )
    code = report.finish()
    tasks.wait_for_done()
    window.close()
    context.close()
    return code


if __name__ == "__main__":
    raise SystemExit(main())
