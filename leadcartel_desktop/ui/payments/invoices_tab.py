"""The Invoices tab: totals per currency, filter and search, the lazy list and its actions."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QPoint, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QMenu,
    QPushButton,
    QStackedWidget,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from leadcartel_desktop.domain.invoice_status import StatusFilter
from leadcartel_desktop.services.views import CurrencyTotals, InvoiceRow
from leadcartel_desktop.ui.payments.filter_bar import InvoiceFilterBar
from leadcartel_desktop.ui.payments.invoice_actions import InvoiceActions
from leadcartel_desktop.ui.payments.invoice_model import InvoiceColumn, InvoiceTableModel
from leadcartel_desktop.ui.payments.pdf_export import PdfExportRun, export_summary
from leadcartel_desktop.ui.payments.totals_bar import OutstandingBar
from leadcartel_desktop.ui.widgets import dialogs
from leadcartel_desktop.ui.widgets.empty_state import EmptyState
from leadcartel_desktop.ui.widgets.lazy_table_model import AFTER_PAINT_MS, FetchAhead
from leadcartel_desktop.ui.widgets.stretch_column import ReadableStretch

if TYPE_CHECKING:
    from leadcartel_desktop.ui.context import UiContext

# Sized to their longest usual text ("INV-2026-0129", "19 Jan 2027", "Partially Paid",
# "US$10,674.60"), so that at 1024 px the Balance column shows beside the customer.
COLUMN_WIDTHS = {
    InvoiceColumn.NUMBER: 115,
    InvoiceColumn.ISSUE_DATE: 100,
    InvoiceColumn.DUE_DATE: 100,
    InvoiceColumn.STATUS: 110,
    InvoiceColumn.TOTAL: 120,
    InvoiceColumn.BALANCE: 120,
}


class InvoicesTab(QWidget):
    changed = Signal(int)  # something this tab did changed an invoice (or its payments)
    message = Signal(str)

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._reselect: int | None = None
        self._totals_due = False
        self.model = InvoiceTableModel(context.services, context.tasks, self)
        self.invoice_actions = InvoiceActions(context, self.current_row, self)
        self.invoice_actions.changed.connect(self._on_changed)
        self.invoice_actions.message.connect(self.message)

        self.totals_bar = OutstandingBar()
        self.new_button = QPushButton("New Invoice")
        self.new_button.setObjectName("newInvoiceButton")
        self.new_button.setDefault(False)
        self.new_button.clicked.connect(self.invoice_actions.new_invoice)
        top = QHBoxLayout()
        top.addWidget(self.totals_bar, 1)
        top.addWidget(self.new_button, 0, Qt.AlignmentFlag.AlignTop)

        self.filter_bar = InvoiceFilterBar()
        self.filter_bar.status_changed.connect(
            lambda value: self.model.set_status_filter(StatusFilter(value))
        )
        self.filter_bar.search_changed.connect(self.model.set_search)

        self.table = self._build_table()
        self.empty_state = EmptyState(
            "No invoices yet",
            "Create your first invoice to start tracking payments.",
            "New Invoice",
        )
        self.empty_state.action_clicked.connect(self.invoice_actions.new_invoice)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty_state)

        self.action_bar = QWidget()
        buttons = QHBoxLayout(self.action_bar)
        buttons.setContentsMargins(0, 0, 0, 0)
        for action in self.invoice_actions.selection_actions:
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.export_pdfs_action = QAction("E&xport PDFs…", self)
        self.export_pdfs_action.setObjectName("exportPdfs")
        self.export_pdfs_action.setToolTip(
            "Save the selected invoices (or, with one or none selected, every invoice the list "
            "shows) as PDF files in a folder"
        )
        self.export_pdfs_action.triggered.connect(lambda _checked=False: self.export_pdfs())
        export_button = QToolButton()
        export_button.setDefaultAction(self.export_pdfs_action)
        export_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        buttons.addWidget(export_button)
        self.pdf_export: PdfExportRun | None = None

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.action_bar)

        self.model.loaded.connect(self._on_loaded)
        self.model.ids_loaded.connect(self._on_ids_loaded)
        self.model.page_loaded.connect(lambda _page: self._rows_arrived())
        self.invoice_actions.update_enabled()

    def _build_table(self) -> QTableView:
        table = QTableView()
        table.setObjectName("invoiceTable")
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # Several rows for "Export PDFs…"; the single-invoice actions act on the first.
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(InvoiceColumn.CUSTOMER, QHeaderView.ResizeMode.Stretch)
        for column, width in COLUMN_WIDTHS.items():
            table.setColumnWidth(column, width)
        self.customer_column = ReadableStretch(table, InvoiceColumn.CUSTOMER, 150)
        # The model's default order; set before sorting is enabled so it does not re-query.
        header.setSortIndicator(InvoiceColumn.ISSUE_DATE, Qt.SortOrder.DescendingOrder)
        table.setSortingEnabled(True)
        table.activated.connect(lambda _index: self.invoice_actions.open_current())
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(self._context_menu)
        table.selectionModel().selectionChanged.connect(
            lambda *_: self.invoice_actions.update_enabled()
        )
        # A jump (scroll bar dragged, Page Down, End) paints once, with its rows.
        self.fetch_ahead = FetchAhead(table, self.model)
        return table

    # Selection -------------------------------------------------------------------------------
    def current_position(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def current_row(self) -> InvoiceRow | None:
        position = self.current_position()
        return None if position is None else self.model.row_for(position)

    def current_id(self) -> int | None:
        position = self.current_position()
        return None if position is None else self.model.id_at(position)

    def selected_ids(self) -> list[int]:
        """Ids of the selected rows, in list order (rows whose ids are known)."""
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [i for i in (self.model.id_at(row) for row in rows) if i is not None]

    def select_id(self, invoice_id: int) -> bool:
        position = self.model.position_of(invoice_id)
        if position is None:
            return False
        self.table.selectRow(position)
        self.table.scrollTo(self.model.index(position, 0))
        return True

    def _context_menu(self, point: QPoint) -> None:
        index = self.table.indexAt(point)
        if index.isValid():
            self.table.selectRow(index.row())
        menu = QMenu(self)
        menu.addAction(self.invoice_actions.open)
        menu.addAction(self.invoice_actions.pay)
        menu.addSeparator()
        menu.addAction(self.invoice_actions.duplicate)
        menu.addAction(self.invoice_actions.save_pdf)
        menu.addSeparator()
        menu.addAction(self.invoice_actions.delete)
        menu.addAction(self.export_pdfs_action)
        menu.addSeparator()
        menu.addAction(self.invoice_actions.new)
        menu.popup(self.table.viewport().mapToGlobal(point))

    # Loading ---------------------------------------------------------------------------------
    def refresh(self, select_id: int | None = None) -> None:
        """Re-query ids and totals, keeping the selection (or selecting `select_id`)."""
        self._reselect = select_id if select_id is not None else self.current_id()
        self._totals_due = True  # asked for once the first rows are in (see _rows_arrived)
        self.model.refresh()

    def refresh_totals(self) -> None:
        services = self._context.services

        def work() -> tuple[list[CurrencyTotals], str]:
            locale = services.settings.business().locale
            return services.invoice_list.outstanding(services.invoice_list.today()), locale

        # A read beside the database lane (WAL readers do not block), so the first page of
        # rows does not queue behind the sums over every open invoice.
        self._context.tasks.run(
            work, lambda result: self.totals_bar.set_totals(*result), database=False
        )

    def _rows_arrived(self) -> None:
        self.invoice_actions.update_enabled()
        if self._totals_due:
            # After the rows are painted, not beside them: the sums over every open invoice
            # must not delay the first painted page.
            self._totals_due = False
            QTimer.singleShot(AFTER_PAINT_MS, self, self.refresh_totals)

    def _on_loaded(self) -> None:
        query = self.model.query
        empty = self.model.rowCount() == 0
        unfiltered = query.status is StatusFilter.ALL and not query.search
        if empty and unfiltered:
            self.empty_state.set_text(
                "No invoices yet", "Create your first invoice to start tracking payments."
            )
            self.empty_state.set_action_visible(True)
        elif empty:
            self.empty_state.set_text(
                "No invoices match", "Try another status, or clear the search box."
            )
            self.empty_state.set_action_visible(False)
        self.stack.setCurrentWidget(self.empty_state if empty else self.table)
        # With no invoices at all there is nothing to filter or act on.
        for widget in (self.filter_bar, self.action_bar):
            widget.setVisible(not (empty and unfiltered))
        if self._reselect is None or not self.select_id(self._reselect):
            self.table.scrollToTop()  # a new filter, search or order reads from the top
            if self.model.is_id_list_complete():
                self._reselect = None  # else it may be further down: see _on_ids_loaded
        else:
            self._reselect = None
        self._rows_arrived()  # the first page comes with the row count

    def _on_changed(self, invoice_id: int) -> None:
        self.refresh(select_id=invoice_id)
        self.changed.emit(invoice_id)

    def _on_ids_loaded(self) -> None:
        # A selection kept across a refresh may lie beyond the first page.
        if self._reselect is not None:
            self.select_id(self._reselect)
            self._reselect = None

    # PDF export ------------------------------------------------------------------------------
    def export_pdfs(
        self, invoice_ids: list[int] | None = None, folder: Path | None = None
    ) -> PdfExportRun | None:
        """Export `invoice_ids`, else the selection (2+ rows), else every invoice listed."""
        if self.pdf_export is not None and not self.pdf_export.is_finished():
            return self.pdf_export
        if invoice_ids is None:
            selected = self.selected_ids()
            invoice_ids = selected if len(selected) > 1 else None
        count = len(invoice_ids) if invoice_ids is not None else self.model.rowCount()
        if count == 0:
            return None
        if folder is None:
            title = f"Export {count:,} invoice{'s' if count != 1 else ''} as PDF into"
            folder = dialogs.ask_folder(self, title, Path.home())
            if folder is None:
                return None
        run = PdfExportRun(
            self._context, folder, self, invoice_ids=invoice_ids, query=self.model.query
        )
        run.finished.connect(
            lambda result: result is not None and self.message.emit(export_summary(result, folder))
        )
        self.pdf_export = run
        return run

    # Window state ----------------------------------------------------------------------------
    def save_state(self, settings: QSettings) -> None:
        settings.setValue("payments/invoiceHeader", self.table.horizontalHeader().saveState())

    def restore_state(self, settings: QSettings) -> None:
        header = settings.value("payments/invoiceHeader")
        if isinstance(header, QByteArray) and not header.isEmpty():
            self.table.horizontalHeader().restoreState(header)
            self.customer_column.update()
