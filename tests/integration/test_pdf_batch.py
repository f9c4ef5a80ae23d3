"""Batch export in worker processes: progress per file, failures named, cancellation."""

from __future__ import annotations

import threading
from decimal import Decimal
from pathlib import Path

import pytest

from leadcartel_desktop.domain.totals import LineItem
from leadcartel_desktop.pdf.batch import BatchJob, BatchProgress, export_batch
from leadcartel_desktop.pdf.samples import sample_document, sample_lines

pytestmark = pytest.mark.slow


def jobs(folder: Path, count: int) -> list[BatchJob]:
    return [
        BatchJob(sample_document(sample_lines(3), number=f"INV-{n:04d}"), folder / f"{n}.pdf")
        for n in range(count)
    ]


def test_every_file_is_written_and_reported(tmp_path: Path) -> None:
    bad = sample_document((LineItem("Cake 🎂", Decimal(1), 500),), number="INV-BAD")
    work = [*jobs(tmp_path / "out", 3), BatchJob(bad, tmp_path / "out" / "bad.pdf")]
    seen: list[BatchProgress] = []
    result = export_batch(work, on_progress=seen.append, workers=2)
    assert sorted(path.name for path in result.written) == ["0.pdf", "1.pdf", "2.pdf"]
    for path in result.written:
        assert path.read_bytes().startswith(b"%PDF-")
    [failure] = result.failed
    assert failure.path.name == "bad.pdf" and failure.user_facing
    assert "'🎂' (U+1F382) in item 1 description" in failure.message
    assert [progress.done for progress in seen] == [1, 2, 3, 4]
    assert {progress.total for progress in seen} == {4}
    assert not result.cancelled
    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == [
        "0.pdf", "1.pdf", "2.pdf",
    ]  # fmt: skip


def test_cancel_stops_between_files_and_leaves_no_partial_files(tmp_path: Path) -> None:
    cancel = threading.Event()
    work = jobs(tmp_path, 40)

    def on_progress(progress: BatchProgress) -> None:
        cancel.set()

    result = export_batch(work, on_progress=on_progress, cancel=cancel, workers=1)
    assert result.cancelled
    assert 1 <= len(result.written) < 40
    assert sorted(tmp_path.iterdir()) == sorted(result.written)


def test_nothing_to_do() -> None:
    result = export_batch([])
    assert result.written == () and result.failed == () and not result.cancelled
