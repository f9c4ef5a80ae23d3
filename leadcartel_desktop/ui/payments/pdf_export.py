"""Export many invoices as PDFs into a folder, in worker processes, with a progress dialog."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from leadcartel_desktop.services.views import InvoiceQuery, PdfExportResult
from leadcartel_desktop.ui.errors import show_error
from leadcartel_desktop.ui.tasks import Progress

if TYPE_CHECKING:
    from leadcartel_desktop.ui.context import UiContext


def export_summary(result: PdfExportResult, folder: Path) -> str:
    text = f"{result.written:,} PDF{'s' if result.written != 1 else ''} saved in {folder}"
    if result.cancelled:
        text += " (cancelled)"
    if result.failed:
        first = result.failed[0]
        text += f"; {len(result.failed):,} failed ({first.path.name}: {first.message})"
    return text


class PdfExportRun(QObject):
    """One export: the invoices (given, or those a list query shows) into `folder`.

    The work runs on the TaskRunner's background pool and renders in worker processes
    (services.pdf_export), so the window stays responsive; the dialog's Cancel stops it
    between files, and files already written stay.
    """

    finished = Signal(object)  # PdfExportResult, or None when it failed

    def __init__(
        self,
        context: UiContext,
        folder: Path,
        parent: QWidget,
        *,
        invoice_ids: Sequence[int] | None = None,
        query: InvoiceQuery | None = None,
    ) -> None:
        super().__init__(parent)
        self._widget = parent
        self._folder = folder
        self._done = False
        self.result: PdfExportResult | None = None
        self.dialog = QProgressDialog("Exporting PDFs…", "Cancel", 0, 0, parent)
        self.dialog.setObjectName("pdfExportProgress")
        self.dialog.setWindowTitle("Export PDFs")
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(0)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        export = context.services.pdf_export
        ids = list(invoice_ids) if invoice_ids is not None else None
        wanted = query or InvoiceQuery()

        def work(progress: Progress) -> PdfExportResult:
            chosen = ids if ids is not None else export.invoice_ids(wanted)
            progress.report(0, len(chosen), "")
            return export.export(
                chosen,
                folder,
                lambda done, total: progress.report(done, total, ""),
                lambda: progress.cancelled,
            )

        self._progress = context.tasks.run_with_progress(
            work, self._finished, self._progressed, self._failed, database=False
        )
        self.dialog.canceled.connect(self._progress.cancel)
        self.dialog.show()

    def is_finished(self) -> bool:
        return self._done

    def cancel(self) -> None:
        self._progress.cancel()

    def _progressed(self, done: int, total: int, _text: str) -> None:
        if self.dialog.maximum() != total:
            self.dialog.setMaximum(total)
        self.dialog.setValue(done)
        self.dialog.setLabelText(f"Exporting PDFs… {done:,} of {total:,}")

    def _finished(self, result: PdfExportResult) -> None:
        self.result = result
        self._close()
        self.finished.emit(result)

    def _failed(self, error: BaseException) -> None:
        self._close()
        show_error(self._widget, error)
        self.finished.emit(None)

    def _close(self) -> None:
        self._done = True
        self.dialog.close()
        self.dialog.deleteLater()
