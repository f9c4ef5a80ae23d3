"""Outstanding and overdue money per currency (currencies are never added together)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QScrollArea, QWidget

from leadcartel_desktop.i18n.formatting import DEFAULT_LOCALE, format_money
from leadcartel_desktop.services.views import CurrencyTotals
from leadcartel_desktop.ui.colors import OVERDUE_RED


def _count(number: int) -> str:
    return f"{number} invoice" if number == 1 else f"{number} invoices"


class CurrencyCard(QFrame):
    """One currency: what is owed, and how much of it is past due."""

    def __init__(self, totals: CurrencyTotals, locale: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName(f"totals_{totals.currency}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.currency = totals.currency
        grid = QGridLayout(self)
        grid.setContentsMargins(10, 6, 10, 6)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(2)
        heading = QLabel(f"<b>{totals.currency}</b>")
        self.outstanding_label = QLabel(format_money(totals.outstanding, totals.currency, locale))
        self.outstanding_label.setObjectName("outstandingAmount")
        self.overdue_label = QLabel(format_money(totals.overdue, totals.currency, locale))
        self.overdue_label.setObjectName("overdueAmount")
        if totals.overdue:
            self.overdue_label.setStyleSheet(f"color: {OVERDUE_RED}; font-weight: bold;")
        grid.addWidget(heading, 0, 0, 1, 3)
        grid.addWidget(QLabel("Outstanding"), 1, 0)
        grid.addWidget(self.outstanding_label, 1, 1)
        grid.addWidget(QLabel(_count(totals.outstanding_count)), 1, 2)
        grid.addWidget(QLabel("Overdue"), 2, 0)
        grid.addWidget(self.overdue_label, 2, 1)
        grid.addWidget(QLabel(_count(totals.overdue_count)), 2, 2)
        for row in (1, 2):
            grid.itemAtPosition(row, 2).widget().setEnabled(False)  # dimmed counts


class OutstandingBar(QScrollArea):
    """The cards side by side, one per currency.

    With more currencies than the window is wide, the bar scrolls sideways instead of making
    the window wider.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outstandingBar")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidgetResizable(True)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        inner = QWidget()
        self._layout = QHBoxLayout(inner)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._empty = QLabel("Nothing outstanding")
        self._empty.setObjectName("nothingOutstanding")
        self._layout.addWidget(self._empty)
        self._layout.addStretch(1)
        self._empty.show()  # counted by the layout now, not once the bar is first shown
        self.setWidget(inner)
        self.cards: dict[str, CurrencyCard] = {}
        self._fit_height()

    def _fit_height(self) -> None:
        """As tall as the cards, plus the scroll bar's height only while it is needed."""
        inner = self.widget()
        height = inner.sizeHint().height()
        if self._layout.minimumSize().width() > self.viewport().width():
            height += self.horizontalScrollBar().sizeHint().height()
        self.setFixedHeight(height)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit_height()

    def set_totals(self, totals: Sequence[CurrencyTotals], locale: str = DEFAULT_LOCALE) -> None:
        for card in self.cards.values():
            self._layout.removeWidget(card)
            card.deleteLater()
        self.cards = {}
        shown = [item for item in totals if item.outstanding or item.overdue]
        for position, item in enumerate(sorted(shown, key=lambda t: t.currency)):
            card = CurrencyCard(item, locale, self)
            self._layout.insertWidget(position, card)
            card.show()  # a layout shows a new child later; its height is needed now
            self.cards[item.currency] = card
        self._empty.setVisible(not shown)
        self.widget().adjustSize()
        self._fit_height()

    def text_for(self, currency: str) -> tuple[str, str] | None:
        """(outstanding, overdue) as shown for a currency, for tests and accessibility."""
        card = self.cards.get(currency)
        if card is None:
            return None
        return card.outstanding_label.text(), card.overdue_label.text()
