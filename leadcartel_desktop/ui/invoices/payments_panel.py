"""An issued invoice's payments: the list, Record payment and Delete payment."""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from leadcartel_desktop.domain.invoice import Payment
from leadcartel_desktop.i18n.formatting import DEFAULT_LOCALE, format_date, format_money

AnyIndex = QModelIndex | QPersistentModelIndex
PAYMENT_ID_ROLE = Qt.ItemDataRole.UserRole
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)


class PaymentColumn(IntEnum):
    DATE = 0
    METHOD = 1
    REFERENCE = 2
    AMOUNT = 3

    @property
    def title(self) -> str:
        return self.name.capitalize()


class PaymentsModel(QAbstractTableModel):
    """Read-only list of one invoice's payments."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._payments: list[Payment] = []
        self._currency = "USD"
        self._locale = DEFAULT_LOCALE

    def set_payments(self, payments: Sequence[Payment], currency: str, locale: str) -> None:
        self.beginResetModel()
        self._payments = sorted(payments, key=lambda payment: (payment.paid_on, payment.id or 0))
        self._currency = currency
        self._locale = locale
        self.endResetModel()

    def payment(self, row: int) -> Payment:
        return self._payments[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._payments)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(PaymentColumn)

    def headerData(  # noqa: N802
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(PaymentColumn):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return PaymentColumn(section).title
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if section == PaymentColumn.AMOUNT else LEFT
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not self.checkIndex(index, self.CheckIndexOption.IndexIsValid):
            return None
        payment, column = self._payments[index.row()], PaymentColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            if column is PaymentColumn.DATE:
                return format_date(payment.paid_on, self._locale)
            if column is PaymentColumn.METHOD:
                return payment.method.label
            if column is PaymentColumn.REFERENCE:
                return payment.reference
            return format_money(payment.amount, self._currency, self._locale)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if column is PaymentColumn.AMOUNT else LEFT
        if role == PAYMENT_ID_ROLE:
            return payment.id
        if role == SORT_ROLE:
            values = (payment.paid_on.isoformat(), payment.method.value, payment.reference)
            return payment.amount if column is PaymentColumn.AMOUNT else values[column]
        return None


class PaymentsView(QTableView):
    """The payments table; it asks for a few rows, so the editor's items table gets the room."""

    ROWS = 2  # most invoices are paid in one or two goes; more scroll

    def sizeHint(self) -> QSize:  # noqa: N802
        height = (
            self.horizontalHeader().sizeHint().height()
            + self.ROWS * self.verticalHeader().defaultSectionSize()
            + 2 * self.frameWidth()
        )
        return QSize(super().sizeHint().width(), height)


class PaymentsPanel(QWidget):
    """The payments table with its two buttons."""

    record_requested = Signal()
    delete_requested = Signal(int)  # payment id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = PaymentsModel(self)
        self.view = PaymentsView()
        self.view.setObjectName("paymentsView")
        self.view.setAccessibleName("Payments")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setSectionResizeMode(
            PaymentColumn.REFERENCE, QHeaderView.ResizeMode.Stretch
        )
        self.record_button = QPushButton("&Record payment…")
        self.record_button.setObjectName("recordPayment")
        self.delete_button = QPushButton("Delete payment…")
        self.delete_button.setObjectName("deletePayment")
        for button in (self.record_button, self.delete_button):
            button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.record_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)  # inside a tab page, whose frame is margin enough
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self.record_button.clicked.connect(self.record_requested)
        self.delete_button.clicked.connect(self._delete)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)
        self._can_record = False
        self._update_buttons()

    def set_payments(
        self, payments: Sequence[Payment], currency: str, locale: str, can_record: bool
    ) -> None:
        self._can_record = can_record
        self.model.set_payments(payments, currency, locale)

    def _selected_id(self) -> int | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.payment(rows[0].row()).id if rows else None

    def _delete(self) -> None:
        payment_id = self._selected_id()
        if payment_id is not None:
            self.delete_requested.emit(payment_id)

    def _update_buttons(self) -> None:
        self.record_button.setEnabled(self._can_record)
        self.delete_button.setEnabled(self._selected_id() is not None)
