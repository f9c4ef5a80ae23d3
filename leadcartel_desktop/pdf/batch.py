"""Export many invoice PDFs in worker processes, with per-file progress and cancellation."""

# Qt-free: the UI runs `export_batch` on a worker thread and relays `on_progress` as a signal.
# Each worker renders and writes its own files, so only documents and short results cross
# process boundaries. Files are written under a temporary name and renamed, so a cancelled or
# failed export never leaves half a PDF behind.

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from multiprocessing.context import SpawnContext, SpawnProcess
from pathlib import Path
from typing import Protocol

from leadcartel_desktop.domain.errors import UserFacingError
from leadcartel_desktop.services.views import InvoiceDocument

MAX_WORKERS = 4


class CancelFlag(Protocol):
    """A threading.Event or anything else that can say it was set."""

    def is_set(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class BatchJob:
    document: InvoiceDocument
    path: Path


@dataclass(frozen=True, slots=True)
class BatchProgress:
    """One finished file: `error` is None when it was written."""

    done: int
    total: int
    path: Path
    error: str | None = None


@dataclass(frozen=True, slots=True)
class BatchFailure:
    path: Path
    message: str
    user_facing: bool  # False means a bug: the message carries the exception type


@dataclass(frozen=True, slots=True)
class BatchResult:
    written: tuple[Path, ...]
    failed: tuple[BatchFailure, ...]
    cancelled: bool
    workers: int


@dataclass(frozen=True, slots=True)
class _Outcome:
    path: Path
    error: str | None = None
    user_facing: bool = True


_renderer: object | None = None


WORKER_NICENESS = 10


class _BackgroundProcess(SpawnProcess):
    """A spawned worker that runs below the window's priority from its first instruction.

    A batch keeps every core it is given busy (starting an interpreter and fpdf, then
    rendering); the operator's clicks and scrolling must still get a core at once.
    """

    def start(self) -> None:
        super().start()
        if hasattr(os, "setpriority") and self.pid is not None:
            with contextlib.suppress(OSError):
                os.setpriority(os.PRIO_PROCESS, self.pid, WORKER_NICENESS)


class _BackgroundContext(SpawnContext):
    """Spawn (no fork: safe beside Qt and threads), with the workers in the background."""

    Process = _BackgroundProcess


def _start_worker(embedded_font: bool) -> None:
    global _renderer  # noqa: PLW0603 - one renderer per worker process, reused for every file
    from leadcartel_desktop.pdf.renderer import FpdfInvoiceRenderer

    _renderer = FpdfInvoiceRenderer(embedded_font=embedded_font)


def _render_one(job: BatchJob) -> _Outcome:
    """Runs in a worker process."""
    from leadcartel_desktop.pdf.renderer import FpdfInvoiceRenderer

    renderer = _renderer if isinstance(_renderer, FpdfInvoiceRenderer) else FpdfInvoiceRenderer()
    try:
        data = renderer.render(job.document)
        write_atomically(job.path, data)
    except UserFacingError as error:
        return _Outcome(job.path, error.message)
    except Exception as error:  # a bug: reported to the caller, the other files go on
        return _Outcome(job.path, f"{type(error).__name__}: {error}", user_facing=False)
    return _Outcome(job.path)


def write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.part")
    partial.write_bytes(data)
    os.replace(partial, path)


def default_workers(jobs: int) -> int:
    return max(1, min(MAX_WORKERS, os.cpu_count() or 1, jobs))


def export_batch(
    jobs: Sequence[BatchJob],
    *,
    on_progress: Callable[[BatchProgress], None] | None = None,
    cancel: CancelFlag | None = None,
    workers: int | None = None,
    embedded_font: bool = True,
) -> BatchResult:
    """Render every job to its path; `cancel` is checked each time a file finishes.

    Only a few files per worker are in flight at once, so a cancel takes effect within about
    one file's time; files already written stay.
    """
    count = workers or default_workers(len(jobs))
    if not jobs:
        return BatchResult((), (), cancelled=False, workers=0)
    written: list[Path] = []
    failed: list[BatchFailure] = []
    pending = iter(jobs)
    in_flight: set[Future[_Outcome]] = set()
    cancelled = False
    context = _BackgroundContext()
    with ProcessPoolExecutor(
        max_workers=count,
        mp_context=context,
        initializer=_start_worker,
        initargs=(embedded_font,),
    ) as pool:

        def submit_more() -> None:
            while len(in_flight) < 2 * count:
                job = next(pending, None)
                if job is None:
                    return
                in_flight.add(pool.submit(_render_one, job))

        submit_more()
        while in_flight:
            finished, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            for future in finished:
                in_flight.discard(future)
                outcome = future.result()
                if outcome.error is None:
                    written.append(outcome.path)
                else:
                    failed.append(BatchFailure(outcome.path, outcome.error, outcome.user_facing))
                if on_progress is not None:
                    done = len(written) + len(failed)
                    on_progress(BatchProgress(done, len(jobs), outcome.path, outcome.error))
            if cancel is not None and cancel.is_set():
                cancelled = True
                for future in in_flight:
                    future.cancel()
                pending = iter(())
                in_flight = {future for future in in_flight if not future.cancelled()}
                continue
            submit_more()
    return BatchResult(tuple(written), tuple(failed), cancelled, count)
