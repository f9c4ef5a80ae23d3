"""The Payments pane: the Invoices and Transactions tabs, kept in step with each other."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from leadcartel_desktop.ui.payments.invoices_tab import InvoicesTab
from leadcartel_desktop.ui.payments.transactions_tab import TransactionsTab

if TYPE_CHECKING:
    from leadcartel_desktop.ui.context import UiContext


class PaymentsPane(QWidget):
    message = Signal(str)

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("paymentsPane")
        self.invoices = InvoicesTab(context)
        self.transactions = TransactionsTab(context)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.invoices, "Invoices")
        self.tabs.addTab(self.transactions, "Transactions")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

        # The transactions list is queried when first shown, so start-up fetches only invoices.
        self._transactions_stale = True
        self.tabs.currentChanged.connect(lambda _index: self._refresh_transactions_if_shown())
        self.invoices.changed.connect(lambda _id: self._invoices_changed())
        self.transactions.changed.connect(lambda _id: self.invoices.refresh())
        self.invoices.message.connect(self.message)
        self.transactions.message.connect(self.message)

    def refresh(self) -> None:
        """Re-query everything (the book changed underneath, e.g. demo data was loaded)."""
        self.invoices.refresh()
        self._transactions_stale = True
        self._refresh_transactions_if_shown()

    def _invoices_changed(self) -> None:
        self._transactions_stale = True
        self._refresh_transactions_if_shown()

    def _refresh_transactions_if_shown(self) -> None:
        if self._transactions_stale and self.tabs.currentWidget() is self.transactions:
            self._transactions_stale = False
            self.transactions.refresh()

    def save_state(self, settings: QSettings) -> None:
        settings.setValue("payments/tab", self.tabs.currentIndex())
        self.invoices.save_state(settings)
        self.transactions.save_state(settings)

    def restore_state(self, settings: QSettings) -> None:
        self.invoices.restore_state(settings)
        self.transactions.restore_state(settings)
        tab = settings.value("payments/tab", 0, type=int)
        if isinstance(tab, int) and 0 <= tab < self.tabs.count():
            self.tabs.setCurrentIndex(tab)
