"""Invoice options: number, issue and due dates (calendar or Net N), currency, discount."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QToolButton,
    QWidget,
)

from leadcartel_desktop.domain.errors import ValidationError
from leadcartel_desktop.domain.invoice import InvoiceContent
from leadcartel_desktop.domain.money import (
    COMMON_CURRENCIES,
    check_currency,
    parse_decimal,
    parse_money,
)
from leadcartel_desktop.domain.terms import due_date_for_net
from leadcartel_desktop.domain.totals import NO_DISCOUNT, Discount, DiscountKind, DiscountTiming
from leadcartel_desktop.i18n.formatting import (
    DEFAULT_LOCALE,
    decimal_mark,
    editable_amount,
    editable_decimal,
)
from leadcartel_desktop.ui.forms import (
    FieldErrors,
    date_edit,
    error_label,
    to_date,
    to_qdate,
    with_error,
)

CUSTOM_DUE = -1
# A draft has no number yet (its PDF says "Draft"): it shows the one it will get on issue.
DRAFT_NUMBER = "&Number on issue"
DRAFT_NUMBER_TIP = (
    "The number this draft gets when it is issued: the next in the series, unless another "
    "invoice is issued first. Type a number to set it by hand."
)
ISSUED_NUMBER = "Invoice &number"


class OptionsPanel(QWidget):
    """The form on the right of the customer block; `changed` fires on every edit."""

    changed = Signal()
    issue_date_changed = Signal(object)  # date
    currency_changed = Signal(str)
    field_edited = Signal(str)  # the field's name as errors name it, e.g. "Due date"

    def __init__(self, errors: FieldErrors, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._auto_number = ""
        self._manual = False
        self._currency = "USD"
        self._locale = DEFAULT_LOCALE
        self._currency_guard: Callable[[str], None] | None = None
        self.number = QLineEdit()
        self.number.setObjectName("invoiceNumber")
        self.number.setAccessibleName(DRAFT_NUMBER.replace("&", ""))
        self.number.setToolTip(DRAFT_NUMBER_TIP)
        self.number_mode = QToolButton()
        self.number_mode.setObjectName("useNextNumber")
        self.number_mode.setText("Use next")
        self.number_mode.setToolTip("Go back to the next number in the series")
        self.number_mode.hide()
        self.issue_date = date_edit("issueDate")
        self.net_days = QSpinBox()
        self.net_days.setObjectName("netDays")
        self.net_days.setRange(CUSTOM_DUE, 3650)
        self.net_days.setSpecialValueText("Custom date")
        self.net_days.setPrefix("Net ")
        self.net_days.setSuffix(" days")
        self.net_days.setMinimumWidth(110)
        self.due_date = date_edit("dueDate")
        self.currency = QComboBox()
        self.currency.setObjectName("currency")
        self.currency.setEditable(True)
        self.currency.addItems(list(COMMON_CURRENCIES))
        self.currency.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.discount_value = QLineEdit()
        self.discount_value.setObjectName("discountValue")
        self.discount_value.setPlaceholderText("0")
        self.discount_value.setAccessibleName("Discount")
        self.discount_kind = QComboBox()
        self.discount_kind.setObjectName("discountKind")
        self.discount_kind.addItem("Amount", DiscountKind.AMOUNT)
        self.discount_kind.addItem("Percent (%)", DiscountKind.PERCENT)
        self.discount_timing = QComboBox()
        self.discount_timing.setObjectName("discountTiming")
        self.discount_timing.addItem("Before tax", DiscountTiming.BEFORE_TAX)
        self.discount_timing.addItem("After tax", DiscountTiming.AFTER_TAX)
        self.prices_include_tax = QCheckBox("Prices include tax")
        self.prices_include_tax.setObjectName("pricesIncludeTax")

        labels = {name: error_label(f"{name}Error") for name in ("number", "due", "cur", "disc")}
        errors.add("Invoice number", self.number, labels["number"])
        errors.add("Due date", self.due_date, labels["due"])
        errors.add("Payment terms", self.net_days, labels["due"])
        errors.add("Currency", self.currency, labels["cur"])
        errors.add("Discount", self.discount_value, labels["disc"])
        self._error_labels = labels

        due_row = QWidget()
        due = QHBoxLayout(due_row)
        due.setContentsMargins(0, 0, 0, 0)
        due.addWidget(self.net_days)
        due.addWidget(self.due_date, 1)
        discount_row = QWidget()
        discount = QHBoxLayout(discount_row)
        discount.setContentsMargins(0, 0, 0, 0)
        discount.addWidget(self.discount_value, 1)
        discount.addWidget(self.discount_kind)
        discount.addWidget(self.discount_timing)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        number_row = with_error(self.number, labels["number"], self.number_mode)
        self.number_caption = QLabel()
        for caption, buddy, field in (
            (DRAFT_NUMBER, self.number, number_row),
            ("&Issue date", self.issue_date, self.issue_date),
            ("D&ue date", self.net_days, with_error(due_row, labels["due"])),
            ("Cu&rrency", self.currency, with_error(self.currency, labels["cur"])),
            ("&Discount", self.discount_value, with_error(discount_row, labels["disc"])),
        ):
            label = self.number_caption if buddy is self.number else QLabel()
            label.setText(caption)
            label.setBuddy(buddy)
            form.addRow(label, field)
        form.addRow("", self.prices_include_tax)

        self.number.textEdited.connect(self._number_typed)
        self.number.editingFinished.connect(self._number_finished)
        self.number_mode.clicked.connect(self.use_next_number)
        self.issue_date.dateChanged.connect(self._issue_date_moved)
        self.net_days.valueChanged.connect(self._net_days_moved)
        self.due_date.dateChanged.connect(self._due_date_picked)
        self.currency.currentTextChanged.connect(self._currency_typed)
        self.discount_value.textEdited.connect(self.changed)
        self.discount_kind.currentIndexChanged.connect(self.changed)
        self.discount_timing.currentIndexChanged.connect(self.changed)
        for discount_signal in (
            self.discount_value.textEdited,
            self.discount_kind.currentIndexChanged,
            self.discount_timing.currentIndexChanged,
        ):
            discount_signal.connect(lambda _: self.field_edited.emit("Discount"))
        self.prices_include_tax.toggled.connect(self.changed)

    # --- loading ---------------------------------------------------------------------------
    def set_locale(self, locale: str) -> None:
        """The business locale, whose decimal mark the discount is typed with."""
        self._locale = locale

    def set_currency_guard(self, guard: Callable[[str], None]) -> None:
        """`guard(code)` raises ValidationError when something typed elsewhere does not fit."""
        self._currency_guard = guard

    def set_content(self, content: InvoiceContent) -> None:
        widgets = (self.issue_date, self.net_days, self.due_date, self.currency)
        for widget in widgets:
            widget.blockSignals(True)
        self.issue_date.setDate(to_qdate(content.issue_date))
        self.net_days.setValue(CUSTOM_DUE if content.net_days is None else content.net_days)
        self.due_date.setDate(to_qdate(content.due_date))
        self.due_date.setMinimumDate(to_qdate(content.issue_date))
        self.currency.setCurrentText(content.currency)
        self._currency = content.currency
        for widget in widgets:
            widget.blockSignals(False)
        discount = content.discount
        self.discount_kind.setCurrentIndex(self.discount_kind.findData(discount.kind))
        self.discount_timing.setCurrentIndex(self.discount_timing.findData(discount.timing))
        if discount.is_zero:
            self.discount_value.clear()
        elif discount.kind is DiscountKind.PERCENT:
            self.discount_value.setText(editable_decimal(discount.percent, self._locale))
        else:
            self.discount_value.setText(
                editable_amount(discount.amount, content.currency, self._locale)
            )
        self.prices_include_tax.setChecked(content.prices_include_tax)

    def set_number(self, auto_number: str, manual_number: str | None) -> None:
        """Show the hand-typed number, or the next in the series."""
        self._auto_number = auto_number
        self._manual = bool(manual_number)
        self.number.setText(manual_number or auto_number)
        self.number_mode.setVisible(self._manual)

    def set_auto_number(self, auto_number: str) -> None:
        self._auto_number = auto_number
        if not self._manual:
            self.number.setText(auto_number)

    def set_read_only(self, read_only: bool) -> None:
        for widget in (
            self.number,
            self.issue_date,
            self.net_days,
            self.due_date,
            self.currency,
            self.discount_value,
            self.discount_kind,
            self.discount_timing,
            self.prices_include_tax,
        ):
            widget.setEnabled(not read_only)
        self.number_mode.setVisible(self._manual and not read_only)
        # Read-only means issued: the number is the invoice's own, no longer the one to come.
        caption = ISSUED_NUMBER if read_only else DRAFT_NUMBER
        self.number_caption.setText(caption)
        self.number.setAccessibleName(caption.replace("&", ""))
        self.number.setToolTip("" if read_only else DRAFT_NUMBER_TIP)

    # --- reading ---------------------------------------------------------------------------
    def manual_number(self) -> str | None:
        return self.number.text().strip() if self._manual else None

    def currency_code(self) -> str:
        return self._currency

    def dates(self) -> tuple[date, date, int | None]:
        days = self.net_days.value()
        return (
            to_date(self.issue_date.date()),
            to_date(self.due_date.date()),
            None if days == CUSTOM_DUE else days,
        )

    def discount(self) -> Discount:
        """The discount typed, or ValidationError('Discount', ...)."""
        kind = DiscountKind(self.discount_kind.currentData())
        timing = DiscountTiming(self.discount_timing.currentData())
        text = self.discount_value.text().strip()
        if not text:
            return NO_DISCOUNT
        mark = decimal_mark(self._locale)
        if kind is DiscountKind.PERCENT:
            percent = parse_decimal(text.rstrip("%"), "Discount", mark)
            return Discount(kind, timing, percent=percent)
        return Discount(kind, timing, amount=parse_money(text, self._currency, "Discount", mark))

    def check_currency_text(self) -> None:
        check_currency(self.currency.currentText())

    # --- reactions -------------------------------------------------------------------------
    def _number_typed(self, text: str) -> None:
        self.field_edited.emit("Invoice number")
        self._manual = bool(text.strip()) and text.strip() != self._auto_number
        self.number_mode.setVisible(self._manual)
        self.changed.emit()

    def _number_finished(self) -> None:
        if not self.number.text().strip():
            self.use_next_number()

    def use_next_number(self) -> None:
        self._manual = False
        self.number.setText(self._auto_number)
        self.number_mode.hide()
        self.field_edited.emit("Invoice number")
        self._error_labels["number"].hide()
        self.changed.emit()

    def _due_edited(self) -> None:
        """The due date follows the issue date and the terms: a change to any may right it."""
        self.field_edited.emit("Due date")
        self.field_edited.emit("Payment terms")

    def _issue_date_moved(self, value: QDate) -> None:
        self._due_edited()
        self.due_date.setMinimumDate(value)
        self._apply_net_days()
        self.issue_date_changed.emit(to_date(value))
        self.changed.emit()

    def _net_days_moved(self, _: int) -> None:
        self._due_edited()
        self._apply_net_days()
        self.changed.emit()

    def _apply_net_days(self) -> None:
        days = self.net_days.value()
        if days == CUSTOM_DUE:
            return
        due = due_date_for_net(to_date(self.issue_date.date()), days)
        self.due_date.blockSignals(True)
        self.due_date.setDate(to_qdate(due))
        self.due_date.blockSignals(False)

    def _due_date_picked(self, _: QDate) -> None:
        """A date picked by hand is kept; it no longer follows the issue date."""
        self._due_edited()
        self.net_days.blockSignals(True)
        self.net_days.setValue(CUSTOM_DUE)
        self.net_days.blockSignals(False)
        self.changed.emit()

    def _currency_typed(self, text: str) -> None:
        """Switch currency only when every amount typed fits it; amounts are never rescaled."""
        self.field_edited.emit("Currency")
        label = self._error_labels["cur"]
        try:
            code = check_currency(text)
        except ValidationError as error:
            label.setText(error.detail)
            label.show()
            return
        label.hide()
        if code == self._currency:
            return
        try:
            self._check_amounts_fit(code)
        except ValidationError as error:
            self.currency.blockSignals(True)
            self.currency.setCurrentText(self._currency)
            self.currency.blockSignals(False)
            label.setText(f"{error.message}. The currency stays {self._currency}.")
            label.show()
            return
        self._currency = code
        self.currency_changed.emit(code)
        self.changed.emit()

    def _check_amounts_fit(self, code: str) -> None:
        """The guarded amounts (the lines), then the discount, as typed, under currency `code`."""
        if self._currency_guard is not None:
            self._currency_guard(code)
        if DiscountKind(self.discount_kind.currentData()) is DiscountKind.AMOUNT:
            text, mark = self.discount_value.text().strip(), decimal_mark(self._locale)
            try:
                parse_money(text, self._currency, "Discount", mark)
            except ValidationError:
                pass  # not an amount yet: the form reports it where it is typed
            else:
                parse_money(text, code, "Discount", mark)
