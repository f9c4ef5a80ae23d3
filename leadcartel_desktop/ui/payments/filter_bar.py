"""Status filter and search for the invoice list."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from leadcartel_desktop.domain.invoice_status import StatusFilter
from leadcartel_desktop.ui.widgets.search_box import SearchBox

# The order operators look for them in, the derived filters next to "All".
FILTER_ORDER: tuple[StatusFilter, ...] = (
    StatusFilter.ALL,
    StatusFilter.BALANCE_PENDING,
    StatusFilter.OVERDUE,
    StatusFilter.DRAFT,
    StatusFilter.SENT,
    StatusFilter.VIEWED,
    StatusFilter.PARTIALLY_PAID,
    StatusFilter.PAID,
    StatusFilter.CANCELLED,
)


class InvoiceFilterBar(QWidget):
    status_changed = Signal(str)  # a StatusFilter value
    search_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.status_combo = QComboBox()
        self.status_combo.setObjectName("statusFilter")
        for status in FILTER_ORDER:
            self.status_combo.addItem(status.label, status.value)
        self.status_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.status_combo.currentIndexChanged.connect(
            lambda _i: self.status_changed.emit(self.status_filter().value)
        )
        label = QLabel("&Status:")
        label.setBuddy(self.status_combo)
        self.search_box = SearchBox("Search number or customer")
        self.search_box.setObjectName("invoiceSearch")
        self.search_box.setMinimumWidth(260)
        self.search_box.search_changed.connect(self.search_changed)
        layout.addWidget(label)
        layout.addWidget(self.status_combo)
        layout.addSpacing(12)
        layout.addWidget(self.search_box, 1)

    def status_filter(self) -> StatusFilter:
        return StatusFilter(self.status_combo.currentData())

    def set_status_filter(self, status: StatusFilter) -> None:
        self.status_combo.setCurrentIndex(self.status_combo.findData(status.value))
