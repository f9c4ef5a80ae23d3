"""Invoice PDF timings: warm single renders (embedded font vs built-in Helvetica) and a batch."""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from leadcartel_desktop.pdf.batch import BatchJob, export_batch
from leadcartel_desktop.pdf.renderer import FpdfInvoiceRenderer
from leadcartel_desktop.pdf.samples import (
    SAMPLE_BUSINESS,
    sample_document,
    sample_lines,
)
from leadcartel_desktop.services.views import InvoiceDocument

TARGET_P50_MS = 120.0
TARGET_RATIO = 2.0
TARGET_BATCH_S = 150.0


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


def describe(name: str, values: list[float]) -> float:
    ordered = sorted(values)
    p50 = statistics.median(ordered)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    print(f"{name:<28} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   min {ordered[0]:6.1f} ms")
    return p50


def batch(count: int, workers: int | None) -> float:
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
    print(
        f"batch of {count:<19} {elapsed:7.1f} s    ({len(result.written)} written, "
        f"{len(result.failed)} failed, {size / 1024:.0f} KiB each, workers={result.workers})"
    )
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=None)
    args = parser.parse_args()

    # The same ten-line invoice for both fonts; the business locale keeps it Windows-1252.
    business = replace(SAMPLE_BUSINESS, locale="en_US")
    document = sample_document(sample_lines(10), business=business, currency="USD")
    measured = timings(
        {"embedded": FpdfInvoiceRenderer(), "core": FpdfInvoiceRenderer(embedded_font=False)},
        document,
        args.runs,
    )
    embedded = describe("10 lines, embedded font", measured["embedded"])
    core = describe("10 lines, Helvetica (core)", measured["core"])
    ratio = embedded / core
    print(f"embedded / core ratio        {ratio:7.2f}x")
    elapsed = batch(args.batch, args.workers) if args.batch else 0.0
    ok = embedded <= TARGET_P50_MS and ratio <= TARGET_RATIO and elapsed <= TARGET_BATCH_S
    print(
        f"targets: p50 <= {TARGET_P50_MS:.0f} ms, ratio <= {TARGET_RATIO:.1f}x, "
        f"batch <= {TARGET_BATCH_S:.0f} s: {'met' if ok else 'MISSED'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
