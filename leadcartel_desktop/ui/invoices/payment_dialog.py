"""Record a payment against an issued invoice: amount (the balance by default), date, method."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from leadcartel_desktop.domain.errors import UserFacingError, ValidationError
from leadcartel_desktop.domain.invoice import Invoice
from leadcartel_desktop.domain.money import parse_money
from leadcartel_desktop.domain.payments import (
    OverBalanceError,
    PaymentMethod,
    over_balance_detail,
)
from leadcartel_desktop.i18n.formatting import (
    DEFAULT_LOCALE,
    decimal_mark,
    editable_amount,
    format_money,
)
from leadcartel_desktop.ui.context import UiContext
from leadcartel_desktop.ui.errors import show_error
from leadcartel_desktop.ui.forms import (
    FieldErrors,
    date_edit,
    error_label,
    run_for,
    to_date,
    to_qdate,
    with_error,
)

# The methods an operator records by hand (online payments arrive from the cloud).
MANUAL_METHODS = (
    PaymentMethod.CASH,
    PaymentMethod.CHECK,
    PaymentMethod.BANK_TRANSFER,
    PaymentMethod.CARD,
    PaymentMethod.OTHER,
)


class PaymentDialog(QDialog):
    """`changed` carries the invoice id once the payment is stored."""

    changed = Signal(int)

    def __init__(self, context: UiContext, invoice_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._invoice_id = invoice_id
        self._currency = "USD"
        self._locale = DEFAULT_LOCALE
        self.setObjectName("paymentDialog")
        self.setWindowTitle("Record payment")
        self.setMinimumWidth(400)
        self.summary = QLabel("Loading the invoice…")
        self.summary.setObjectName("paymentSummary")
        self.summary.setWordWrap(True)
        self.amount = QLineEdit()
        self.amount.setObjectName("paymentAmount")
        self.amount.setAccessibleName("Amount")
        self.paid_on = date_edit("paymentDate")
        self.method = QComboBox()
        self.method.setObjectName("paymentMethod")
        for method in MANUAL_METHODS:
            self.method.addItem(method.label, method)
        self.reference = QLineEdit()
        self.reference.setObjectName("paymentReference")
        self.reference.setPlaceholderText("Cheque number, transfer id… (optional)")
        self.general_error = error_label("paymentError")
        self.errors = FieldErrors(self.general_error)
        labels = {name: error_label(f"{name}Error") for name in ("amount", "date", "reference")}
        self.errors.add("Amount", self.amount, labels["amount"])
        self.errors.add("Date", self.paid_on, labels["date"])
        self.errors.add("Reference", self.reference, labels["reference"])
        form = QFormLayout()
        for caption, buddy, field in (
            ("&Amount", self.amount, with_error(self.amount, labels["amount"])),
            ("&Date", self.paid_on, with_error(self.paid_on, labels["date"])),
            ("&Method", self.method, self.method),
            ("&Reference", self.reference, with_error(self.reference, labels["reference"])),
        ):
            label = QLabel(caption)
            label.setBuddy(buddy)
            form.addRow(label, field)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("savePayment")
        self.save_button.setEnabled(False)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        services = context.services

        def load() -> tuple[Invoice, date, str]:
            invoice = services.invoices.get(invoice_id)
            return invoice, services.invoices.today(), services.settings.business().locale

        run_for(self, context.tasks, load, self._loaded, self._failed_load)

    def _loaded(self, loaded: tuple[Invoice, date, str]) -> None:
        invoice, today, locale = loaded
        totals = invoice.totals()
        self._currency = invoice.content.currency
        self._locale = locale
        self.summary.setText(
            f"Invoice {invoice.number or '(draft)'}: total "
            f"{format_money(totals.total, self._currency, locale)}, balance due "
            f"{format_money(totals.balance, self._currency, locale)}"
        )
        self.amount.setText(editable_amount(max(totals.balance, 0), self._currency, locale))
        self.amount.selectAll()
        self.paid_on.setMinimumDate(to_qdate(invoice.content.issue_date))
        self.paid_on.setDate(to_qdate(max(today, invoice.content.issue_date)))
        self.save_button.setEnabled(True)
        self.amount.setFocus()

    def _failed_load(self, error: BaseException) -> None:
        self.summary.setText("The invoice could not be loaded.")
        show_error(self, error)

    def save(self) -> None:
        self.errors.clear()
        try:
            mark = decimal_mark(self._locale)  # '1,000' is a thousand in en_GB, 1 in fr_FR
            amount = parse_money(self.amount.text(), self._currency, "Amount", mark)
        except ValidationError as error:
            self.errors.show(error)
            return
        paid_on = to_date(self.paid_on.date())
        method = PaymentMethod(self.method.currentData())
        reference = self.reference.text()
        invoice_id = self._invoice_id
        payments = self._context.services.payments
        self.save_button.setEnabled(False)
        run_for(
            self,
            self._context.tasks,
            lambda: payments.record(invoice_id, amount, paid_on, method, reference),
            self._saved,
            self._refused,
        )

    def _saved(self, _: Invoice) -> None:
        self.changed.emit(self._invoice_id)
        self.accept()

    def _refused(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(error, OverBalanceError):
            error = self._in_money_format(error)
        if isinstance(error, UserFacingError):
            self.errors.show(error)
        else:
            show_error(self, error)

    def _in_money_format(self, error: OverBalanceError) -> ValidationError:
        """'€99,999.00 is more than the balance due of €1,080.00', as amounts show elsewhere."""

        def money(minor: int) -> str:
            return format_money(minor, error.currency, self._locale)

        return ValidationError(
            error.field, over_balance_detail(money(error.amount), money(error.balance))
        )
