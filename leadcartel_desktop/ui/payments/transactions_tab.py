"""The Transactions tab: every payment, searchable, and deleting a payment made by mistake."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QStackedWidget,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from leadcartel_desktop.i18n.formatting import format_money
from leadcartel_desktop.services.views import TransactionRow
from leadcartel_desktop.ui.errors import show_error
from leadcartel_desktop.ui.payments.transaction_model import (
    TransactionColumn,
    TransactionTableModel,
)
from leadcartel_desktop.ui.widgets import dialogs
from leadcartel_desktop.ui.widgets.empty_state import EmptyState
from leadcartel_desktop.ui.widgets.search_box import SearchBox

if TYPE_CHECKING:
    from leadcartel_desktop.domain.invoice import Invoice
    from leadcartel_desktop.ui.context import UiContext

# Snug to their usual text, so that the reference (searched by its start) reads whole.
COLUMN_WIDTHS = {
    TransactionColumn.DATE: 100,
    TransactionColumn.INVOICE: 115,
    TransactionColumn.CUSTOMER: 190,
    TransactionColumn.METHOD: 110,
    TransactionColumn.AMOUNT: 115,
}


class TransactionsTab(QWidget):
    changed = Signal(int)  # a payment was deleted; the id is its invoice's
    message = Signal(str)

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.model = TransactionTableModel(context.services, context.tasks, self)

        self.search_box = SearchBox("Search invoice number, customer or reference")
        self.search_box.setObjectName("transactionSearch")
        self.search_box.search_changed.connect(self.model.set_search)

        self.table = QTableView()
        self.table.setObjectName("transactionTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(TransactionColumn.REFERENCE, QHeaderView.ResizeMode.Stretch)
        for column, width in COLUMN_WIDTHS.items():
            self.table.setColumnWidth(column, width)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_enabled())

        self.delete_action = QAction("&Delete payment…", self)
        self.delete_action.setObjectName("deletePayment")
        self.delete_action.setShortcut(QKeySequence.StandardKey.Delete)
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.delete_action.triggered.connect(lambda _checked=False: self.delete_selected())
        self.table.addAction(self.delete_action)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        delete_button = QToolButton()
        delete_button.setDefaultAction(self.delete_action)

        self.empty_state = EmptyState(
            "No payments yet", "Payments you record on invoices are listed here."
        )
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty_state)

        bottom = QHBoxLayout()
        bottom.addWidget(delete_button)
        bottom.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search_box)
        layout.addWidget(self.stack, 1)
        layout.addLayout(bottom)

        self.model.loaded.connect(self._on_loaded)
        self.model.page_loaded.connect(lambda _page: self._update_enabled())
        self._update_enabled()

    def current_row(self) -> TransactionRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_for(rows[0].row()) if rows else None

    def _update_enabled(self) -> None:
        self.delete_action.setEnabled(self.current_row() is not None)

    def refresh(self) -> None:
        self.model.refresh()

    def _on_loaded(self) -> None:
        empty = self.model.rowCount() == 0
        if empty and self.model.search:
            self.empty_state.set_text("No payments match", "Clear the search box to see them all.")
        elif empty:
            self.empty_state.set_text(
                "No payments yet", "Payments you record on invoices are listed here."
            )
        self.stack.setCurrentWidget(self.empty_state if empty else self.table)
        self._update_enabled()

    def delete_selected(self) -> None:
        row = self.current_row()
        if row is None:
            return
        amount = format_money(row.amount, row.currency, self.model.locale)
        invoice = row.invoice_number or f"Draft #{row.invoice_id}"
        question = (
            f"Delete the payment of {amount} on {invoice}? The invoice's balance goes back up."
        )
        if not dialogs.confirm(self, "Delete payment", question):
            return

        def done(invoice_after: Invoice) -> None:
            self.message.emit(f"Payment of {amount} on {invoice} deleted")
            self.refresh()
            self.changed.emit(invoice_after.id)

        from leadcartel_desktop.ui.payments.delete_payment import delete_payment  # cold start

        delete_payment(self, self._context, row.id, done, lambda error: show_error(self, error))

    def save_state(self, settings: QSettings) -> None:
        settings.setValue("payments/transactionHeader", self.table.horizontalHeader().saveState())

    def restore_state(self, settings: QSettings) -> None:
        header = settings.value("payments/transactionHeader")
        if isinstance(header, QByteArray) and not header.isEmpty():
            self.table.horizontalHeader().restoreState(header)
