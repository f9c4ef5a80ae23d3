"""Invoice PDF timings: warm single renders (embedded vs built-in font), a batch, GUI stalls."""

# 1. The same ten-line invoice rendered alternately with the embedded TTF and with built-in
#    Helvetica in one warm process: p50 of each and their ratio.
# 2. `export_batch` of N sample invoices in worker processes (the PDF helper's figure).
# 3. The way the operator does it: the Invoices tab's "Export PDFs…" action on the big book,
#    N invoices into a folder, through the services and the TaskRunner, with its progress
#    dialog; a 10 ms QTimer probe records the longest gap in the GUI event loop meanwhile.
#     python bench/bench_pdf.py [--runs N] [--batch N] [--gui-batch N] [--home BOOK_HOME]

from __future__ import annotations

import argparse
import os
import tempfile
import time
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from book import ensure_book, reset_window_state
from common import Figure, Report, machine, median, percentile, spin_until

from leadcartel_desktop.pdf.batch import BatchJob, export_batch
from leadcartel_desktop.pdf.renderer import FpdfInvoiceRenderer
from leadcartel_desktop.pdf.samples import SAMPLE_BUSINESS, sample_document, sample_lines
from leadcartel_desktop.services.views import InvoiceDocument

TARGET_P50_MS = 120.0
TARGET_RATIO = 2.0
TARGET_BATCH_S = 150.0
TARGET_STALL_MS = 100.0
PROBE_MS = 10


def timings(
    renderers: dict[str, FpdfInvoiceRenderer], document: InvoiceDocument, runs: int
) -> dict[str, list[float]]:
    """Alternate the renderers run by run, so both see the same machine load."""
    for renderer in renderers.values():
        for _ in range(5):  # warm up: imports, font parsing, babel data
            renderer.render(document)
    result: dict[str, list[float]] = {name: [] for name in renderers}
    for _ in range(runs):
        for name, renderer in renderers.items():
            start = time.perf_counter()
            renderer.render(document)
            result[name].append((time.perf_counter() - start) * 1000)
    return result


def plain_batch(count: int, workers: int | None) -> tuple[float, str]:
    documents = [
        sample_document(sample_lines(10 + index % 7), number=f"INV-2026-{index:04d}")
        for index in range(count)
    ]
    with tempfile.TemporaryDirectory() as folder:
        jobs = [
            BatchJob(doc, Path(folder) / f"{index:04d}.pdf") for index, doc in enumerate(documents)
        ]
        start = time.perf_counter()
        result = export_batch(jobs, workers=workers)
        elapsed = time.perf_counter() - start
        size = sum(path.stat().st_size for path in Path(folder).iterdir()) / max(count, 1)
    note = (
        f"{len(result.written)} written, {len(result.failed)} failed, "
        f"{size / 1024:.0f} KiB each, {result.workers} worker processes"
    )
    return elapsed, note


def gui_batch(home: str, count: int) -> tuple[float, float, str]:
    """Seconds for `count` PDFs through the Invoices tab's export, and the longest GUI stall."""
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    from leadcartel_desktop.app import build_context
    from leadcartel_desktop.ui.context import UiContext
    from leadcartel_desktop.ui.main_window import MainWindow
    from leadcartel_desktop.ui.tasks import TaskRunner

    app = QApplication.instance() or QApplication([])
    context = build_context(home)
    tasks = TaskRunner(lambda error: print("error:", error))
    window = MainWindow(context.paths, tasks)
    window.resize(1280, 800)
    window.attach(UiContext(context.services, tasks, context.paths))
    window.show_pane(0)
    window.show()
    assert window.payments is not None
    tab = window.payments.invoices
    spin_until(lambda: tab.model.rowCount() > 0 and tab.model.is_id_list_complete())
    ids = [tab.model.id_at(row) for row in range(min(count, tab.model.rowCount()))]
    with tempfile.TemporaryDirectory() as folder:
        clock = QElapsedTimer()
        longest = [0]

        def probe() -> None:
            gap = clock.restart()
            longest[0] = max(longest[0], gap)

        timer = QTimer()
        timer.setInterval(PROBE_MS)
        timer.timeout.connect(probe)
        started = time.perf_counter()
        export = tab.export_pdfs([i for i in ids if i is not None], Path(folder))
        clock.start()
        timer.start()
        spin_until(export.is_finished, timeout_ms=600_000)
        timer.stop()
        elapsed = time.perf_counter() - started
        written = len(list(Path(folder).glob("*.pdf")))
    stall = max(0, longest[0] - PROBE_MS)
    note = f"{written} files from the book, progress dialog shown, probe every {PROBE_MS} ms"
    tasks.wait_for_done()
    window.close()
    context.close()
    app.processEvents()
    return elapsed, float(stall), note


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--batch", type=int, default=1000, help="sample PDFs for export_batch")
    parser.add_argument("--gui-batch", type=int, default=None, help="PDFs exported from the UI")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--home", help="a book folder (default: bench/book.py's cached book)")
    args = parser.parse_args()
    gui_count = args.batch if args.gui_batch is None else args.gui_batch
    report = Report("bench_pdf")
    report.note("machine", machine())

    # The same ten-line invoice for both fonts; the business locale keeps it Windows-1252.
    business = replace(SAMPLE_BUSINESS, locale="en_US")
    document = sample_document(sample_lines(10), business=business, currency="USD")
    measured = timings(
        {"embedded": FpdfInvoiceRenderer(), "core": FpdfInvoiceRenderer(embedded_font=False)},
        document,
        args.runs,
    )
    embedded, core = median(measured["embedded"]), median(measured["core"])
    report.add(
        Figure(
            "one-page 10-line invoice, embedded TTF (p50)",
            embedded,
            "ms",
            TARGET_P50_MS,
            note=f"p95 {percentile(measured['embedded'], 0.95):.0f}, n={args.runs}",
        )
    )
    report.add(
        Figure(
            "embedded TTF / built-in Helvetica (p50 ratio)",
            embedded / core,
            "x",
            TARGET_RATIO,
            note=f"Helvetica p50 {core:.1f} ms",
        )
    )
    if args.batch:
        seconds, note = plain_batch(args.batch, args.workers)
        name = f"{args.batch:,} PDFs, export_batch"
        report.add(Figure(name, seconds, "s", TARGET_BATCH_S, note=note))
    if gui_count:
        home = args.home or str(ensure_book().home)
        reset_window_state(home)
        seconds, stall, note = gui_batch(home, gui_count)
        report.add(
            Figure(f"{gui_count:,} PDFs exported from the Invoices tab", seconds, "s",
                   TARGET_BATCH_S, note=note)
        )  # fmt: skip
        report.add(
            Figure("longest GUI event-loop stall during that export", stall, "ms",
                   TARGET_STALL_MS, note="beyond the probe's own 10 ms period")
        )  # fmt: skip
    return report.finish()


if __name__ == "__main__":
    raise SystemExit(main())
