"""Print, preview and save the same PDF the renderer makes (pages rasterised with QtPdf)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QRectF, QSize, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QWidget

from leadcartel_desktop.domain.errors import UserFacingError
from leadcartel_desktop.ui.context import UiContext
from leadcartel_desktop.ui.errors import show_error
from leadcartel_desktop.ui.forms import resize_within_screen, run_for

# Rasterising at 1200 dpi would take about half a gigabyte per A4 page; 600 dpi is plenty.
MAX_DPI = 600
POINTS_PER_INCH = 72


class PdfPages(QObject):
    """A PDF held in memory and opened with QtPdf (kept alive with the buffer it reads)."""

    def __init__(self, pdf: bytes, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._buffer = QBuffer(self)
        self._buffer.setData(QByteArray(pdf))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.printer: QPrinter | None = None  # kept alive as long as the dialog using it
        self.document = QPdfDocument(self)
        self.document.load(self._buffer)
        if self.document.status() != QPdfDocument.Status.Ready:
            error = self.document.error().name
            raise UserFacingError(f"The PDF could not be opened for printing ({error})")

    @property
    def page_count(self) -> int:
        return self.document.pageCount()

    def page_size(self, page: int) -> QSizeF:
        """The page's size in points."""
        return self.document.pagePointSize(page)

    def fit_printer(self, printer: QPrinter) -> None:
        """Give the printer the invoice's paper size (A4 or Letter) and no extra margins."""
        if self.page_count:
            fuzzy = QPageSize.SizeMatchPolicy.FuzzyMatch
            printer.setPageSize(QPageSize(self.page_size(0), QPageSize.Unit.Point, "", fuzzy))
            printer.setPageOrientation(QPageLayout.Orientation.Portrait)
        printer.setFullPage(True)

    def print_to(self, printer: QPrinter) -> int:
        """Rasterise every page at the printer's resolution onto it; returns the pages printed."""
        printer.setFullPage(True)
        dpi = min(printer.resolution(), MAX_DPI)
        painter = QPainter()
        if not painter.begin(printer):
            raise UserFacingError("The printer could not be opened")
        try:
            for page in range(self.page_count):
                if page:
                    printer.newPage()
                points = self.page_size(page)
                pixels = QSize(
                    round(points.width() * dpi / POINTS_PER_INCH),
                    round(points.height() * dpi / POINTS_PER_INCH),
                )
                image = self.document.render(page, pixels)
                target = printer.paperRect(QPrinter.Unit.DevicePixel)
                scale = min(target.width() / pixels.width(), target.height() / pixels.height())
                painter.drawImage(
                    QRectF(0, 0, pixels.width() * scale, pixels.height() * scale), image
                )
        finally:
            painter.end()
        return self.page_count


def render_invoice(
    context: UiContext,
    invoice_id: int,
    owner: QObject,
    on_done: Callable[[bytes], object],
    on_error: Callable[[BaseException], object] | None = None,
) -> None:
    """Make the invoice's PDF off the GUI thread, then hand the bytes to `on_done`."""
    services = context.services
    run_for(
        owner,
        context.tasks,
        lambda: services.invoices.render_pdf(invoice_id, services.renderer),
        on_done,
        on_error,
    )


def save_pdf(
    context: UiContext,
    invoice_id: int,
    path: Path,
    *,
    owner: QObject,
    on_done: Callable[[Path], object],
    on_error: Callable[[BaseException], object] | None = None,
) -> None:
    """Render and write the PDF, both in the worker."""
    services = context.services

    def work() -> Path:
        data = services.invoices.render_pdf(invoice_id, services.renderer)
        temporary = path.with_name(f".{path.name}.part")
        temporary.write_bytes(data)
        temporary.replace(path)  # a half-written file never takes the chosen name
        return path

    run_for(owner, context.tasks, work, on_done, on_error)


def print_invoice(context: UiContext, invoice_id: int, parent: QWidget) -> None:
    """Render, then ask for a printer (non-blocking dialog) and print."""

    def rendered(pdf: bytes) -> None:
        try:
            pages = PdfPages(pdf, parent)
        except UserFacingError as error:
            show_error(parent, error)
            return
        printer = pages.printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        pages.fit_printer(printer)
        dialog = QPrintDialog(printer, parent)
        dialog.setObjectName("printDialog")

        def accepted() -> None:
            try:
                pages.print_to(printer)
            except UserFacingError as error:
                show_error(parent, error)

        dialog.accepted.connect(accepted)
        dialog.finished.connect(lambda _: pages.deleteLater())
        dialog.open()

    render_invoice(context, invoice_id, parent, rendered, lambda error: show_error(parent, error))


def preview_invoice(
    context: UiContext,
    invoice_id: int,
    parent: QWidget,
    on_open: Callable[[QPrintPreviewDialog], object] | None = None,
) -> None:
    """Render, then show the pages in a print preview (from which the operator may print)."""

    def rendered(pdf: bytes) -> None:
        try:
            pages = PdfPages(pdf, parent)
        except UserFacingError as error:
            show_error(parent, error)
            return
        printer = pages.printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        pages.fit_printer(printer)
        dialog = QPrintPreviewDialog(printer, parent)
        dialog.setObjectName("printPreview")
        dialog.setWindowTitle("Print preview")
        dialog.paintRequested.connect(pages.print_to)
        dialog.finished.connect(lambda _: pages.deleteLater())
        resize_within_screen(dialog, 900, 1000)
        dialog.open()
        if on_open is not None:
            on_open(dialog)

    render_invoice(context, invoice_id, parent, rendered, lambda error: show_error(parent, error))
