"""The app's PdfBatchExporter: `export_batch` in worker processes behind the services port."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, overload

from leadcartel_desktop.services.views import PdfExportFailure, PdfExportJob, PdfExportResult

# The batch machinery (multiprocessing, concurrent.futures) loads on the first export, not
# while the app starts.
if TYPE_CHECKING:
    from leadcartel_desktop.pdf.batch import BatchJob, BatchProgress


class _Jobs(Sequence["BatchJob"]):
    """The service's jobs seen as BatchJobs, converted (and so loaded) one at a time."""

    def __init__(self, jobs: Sequence[PdfExportJob]) -> None:
        self._jobs = jobs

    def __len__(self) -> int:
        return len(self._jobs)

    @overload
    def __getitem__(self, index: int) -> BatchJob: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[BatchJob]: ...

    def __getitem__(self, index: int | slice) -> BatchJob | Sequence[BatchJob]:
        from leadcartel_desktop.pdf.batch import BatchJob

        if isinstance(index, slice):
            return [BatchJob(job.document, job.path) for job in self._jobs[index]]
        job = self._jobs[index]
        return BatchJob(job.document, job.path)


class _CancelFlag:
    def __init__(self, cancelled: Callable[[], bool]) -> None:
        self._cancelled = cancelled

    def is_set(self) -> bool:
        return self._cancelled()


class ProcessPdfExporter:
    """Renders in worker processes, so a thousand invoices never hold the GUI's interpreter."""

    def __init__(self, workers: int | None = None, *, embedded_font: bool = True) -> None:
        self._workers = workers
        self._embedded_font = embedded_font

    def export(
        self,
        jobs: Sequence[PdfExportJob],
        on_progress: Callable[[int, int], None],
        cancelled: Callable[[], bool],
    ) -> PdfExportResult:
        from leadcartel_desktop.pdf.batch import export_batch

        def progress(step: BatchProgress) -> None:
            on_progress(step.done, step.total)

        result = export_batch(
            _Jobs(jobs),
            on_progress=progress,
            cancel=_CancelFlag(cancelled),
            workers=self._workers,
            embedded_font=self._embedded_font,
        )
        failed = tuple(PdfExportFailure(failure.path, failure.message) for failure in result.failed)
        return PdfExportResult(len(result.written), failed, result.cancelled)
