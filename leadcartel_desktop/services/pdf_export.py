"""Export many invoices as PDF files into a folder, with progress and cancellation."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import overload

from leadcartel_desktop.domain.errors import UserFacingError, ValidationError
from leadcartel_desktop.domain.invoice import Invoice
from leadcartel_desktop.services.invoice_list import InvoiceListService
from leadcartel_desktop.services.invoices import InvoiceService
from leadcartel_desktop.services.ports import InvoiceRenderer, PdfBatchExporter
from leadcartel_desktop.services.views import (
    InvoiceQuery,
    PdfExportFailure,
    PdfExportJob,
    PdfExportResult,
)

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def pdf_file_name(invoice: Invoice) -> str:
    """'INV-2026-0001.pdf', or 'Draft-12.pdf' before the invoice has a number."""
    label = invoice.number or f"Draft-{invoice.id}"
    return f"{_UNSAFE.sub('-', label).strip(' .') or f'Invoice-{invoice.id}'}.pdf"


class _LazyJobs(Sequence[PdfExportJob]):
    """The jobs in order, each document read from the book only when the exporter asks.

    A thousand documents would otherwise be read (and held) before the first file starts.
    """

    def __init__(
        self, invoice_ids: Sequence[int], folder: Path, load: Callable[[int], PdfExportJob]
    ) -> None:
        self._ids = list(invoice_ids)
        self._folder = folder
        self._load = load

    def __len__(self) -> int:
        return len(self._ids)

    @overload
    def __getitem__(self, index: int) -> PdfExportJob: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[PdfExportJob]: ...

    def __getitem__(self, index: int | slice) -> PdfExportJob | Sequence[PdfExportJob]:
        if isinstance(index, slice):
            return [self._load(invoice_id) for invoice_id in self._ids[index]]
        return self._load(self._ids[index])


class SerialPdfExporter:
    """Renders in the calling thread: for the CLI and tests (the app uses worker processes)."""

    def __init__(self, renderer: InvoiceRenderer) -> None:
        self._renderer = renderer

    def export(
        self,
        jobs: Sequence[PdfExportJob],
        on_progress: Callable[[int, int], None],
        cancelled: Callable[[], bool],
    ) -> PdfExportResult:
        written = 0
        failed: list[PdfExportFailure] = []
        for done, job in enumerate(jobs, start=1):
            if cancelled():
                return PdfExportResult(written, tuple(failed), cancelled=True)
            try:
                data = self._renderer.render(job.document)
            except UserFacingError as error:
                failed.append(PdfExportFailure(job.path, error.message))
            else:
                partial = job.path.with_name(f".{job.path.name}.part")
                partial.write_bytes(data)
                os.replace(partial, job.path)
                written += 1
            on_progress(done, len(jobs))
        return PdfExportResult(written, tuple(failed), cancelled=False)


class PdfExportService:
    def __init__(
        self,
        invoices: InvoiceService,
        invoice_list: InvoiceListService,
        exporter: PdfBatchExporter,
    ) -> None:
        self._invoices = invoices
        self._invoice_list = invoice_list
        self._exporter = exporter

    def invoice_ids(self, query: InvoiceQuery) -> list[int]:
        """The invoices a list shows (its filter, search and order)."""
        return self._invoice_list.invoice_ids(query, self._invoice_list.today())

    def export(
        self,
        invoice_ids: Sequence[int],
        folder: Path,
        on_progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> PdfExportResult:
        """One PDF per invoice into `folder`, named by invoice number (or 'Draft-<id>')."""
        folder = Path(folder)
        if not folder.is_dir():
            raise ValidationError("Folder", f"{folder} is not a folder")
        invoices = self._invoices

        def load(invoice_id: int) -> PdfExportJob:
            document = invoices.document(invoice_id)
            return PdfExportJob(document, folder / pdf_file_name(document.invoice))

        return self._exporter.export(
            _LazyJobs(invoice_ids, folder, load),
            on_progress or (lambda _done, _total: None),
            cancelled or (lambda: False),
        )
