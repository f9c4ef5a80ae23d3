"""Subtotal, discount, tax per rate, total, paid and balance due, as the domain computes them."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QWidget

from leadcartel_desktop.domain.tax_order import display_order
from leadcartel_desktop.domain.taxes import TaxRate
from leadcartel_desktop.domain.totals import InvoiceTotals
from leadcartel_desktop.i18n.formatting import DEFAULT_LOCALE, format_money
from leadcartel_desktop.ui.forms import error_label

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
SUBTOTAL = "Subtotal"
SUBTOTAL_NET = "Subtotal (excl. tax)"


class TotalsPanel(QFrame):
    """A two-column figure list; `figures` maps a row's caption to its shown text (for tests)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("totalsPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMinimumWidth(280)
        self._grid = QGridLayout(self)
        self._grid.setColumnStretch(0, 1)
        self._grid.setHorizontalSpacing(24)
        self._grid.setVerticalSpacing(4)  # one list of figures: rows a little closer together
        self.message = error_label("totalsMessage")
        # Figures take rows from 0 down; the message and the stretch sit far below them.
        self._grid.addWidget(self.message, 998, 0, 1, 2)
        self._grid.setRowStretch(999, 1)
        self.figures: dict[str, str] = {}
        self._rows: list[tuple[QLabel, QLabel]] = []

    def show_totals(
        self,
        totals: InvoiceTotals,
        currency: str,
        locale: str = DEFAULT_LOCALE,
        rates: Sequence[TaxRate] = (),
        *,
        prices_include_tax: bool = False,
    ) -> None:
        """`rates`, the business's tax rates, give the order the taxes are listed in.

        With tax-inclusive prices the lines add up to the total, so the subtotal (the net)
        says that it leaves the tax out.
        """

        def money(minor: int) -> str:
            return format_money(minor, currency, locale)

        subtotal = SUBTOTAL_NET if prices_include_tax else SUBTOTAL
        rows: list[tuple[str, str, bool]] = [(subtotal, money(totals.subtotal), False)]
        if totals.discount_before_tax:
            rows.append(("Discount", money(-totals.discount_before_tax), False))
            rows.append(("Taxable amount", money(totals.taxable), False))
        taxes = display_order(totals.taxes, rates)
        rows += [(tax.rate.label, money(tax.amount), False) for tax in taxes]
        rows.append(("Tax total", money(totals.tax_total), False))
        if totals.discount_after_tax:
            rows.append(("Discount after tax", money(-totals.discount_after_tax), False))
        rows.append(("Total", money(totals.total), True))
        rows.append(("Paid", money(totals.paid), False))
        rows.append(("Balance due", money(totals.balance), True))
        self._fill(rows)

    def show_problem(self, message: str) -> None:
        """The figures cannot be computed (e.g. a discount larger than the subtotal)."""
        self._fill([])
        self.message.setText(message)
        self.message.show()

    def _fill(self, rows: list[tuple[str, str, bool]]) -> None:
        """Reuse the label pairs (no widget churn while typing); hide the ones not needed."""
        while len(self._rows) < len(rows):
            number = len(self._rows)
            name, figure = QLabel(), QLabel()
            figure.setAlignment(RIGHT)
            figure.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self._grid.addWidget(name, number, 0)
            self._grid.addWidget(figure, number, 1)
            self._rows.append((name, figure))
        self.figures = {}
        self.message.hide()
        for number, (name, figure) in enumerate(self._rows):
            used = number < len(rows)
            name.setVisible(used)
            figure.setVisible(used)
            if not used:
                continue
            caption, value, strong = rows[number]
            name.setText(caption)
            figure.setText(value)
            figure.setObjectName(f"total:{caption}")
            figure.setAccessibleName(caption)
            font = QFont(self.font())
            font.setBold(strong)
            name.setFont(font)
            figure.setFont(font)
            self.figures[caption] = value
