"""A card's texts: formatted once per card, laid out once per column width, then only drawn."""

from __future__ import annotations

import itertools
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics, QStaticText, QTransform

from leadcartel_desktop.domain.deals import DealStatus, close_passed
from leadcartel_desktop.services.deal_views import DealCard
from leadcartel_desktop.ui.opportunities.texts import date_text, days_in_stage_text, money_text

_SERIALS = itertools.count()
GAP = 8  # between a left text and the right-aligned one on the same line


class CardFonts:
    """The fonts and metrics cards are drawn with, made once per view font."""

    __slots__ = ("bold", "bold_metrics", "font", "height", "key", "metrics")

    def __init__(self, font: QFont) -> None:
        self.key = font.key()
        self.font = QFont(font)
        self.bold = QFont(font)
        self.bold.setBold(True)
        self.metrics = QFontMetrics(self.font)
        self.bold_metrics = QFontMetrics(self.bold)
        self.height = self.metrics.height()


def _static(text: str, font: QFont) -> QStaticText:
    # A static text keeps its glyph layout, so each later paint only draws it.
    static = QStaticText(text)
    static.setTextFormat(Qt.TextFormat.PlainText)
    static.prepare(QTransform(), font)
    return static


class FittedLines:
    """The texts cut to one card width (an ellipsis where they do not fit), ready to draw."""

    __slots__ = ("close", "contact", "days", "days_width", "key", "name", "value", "value_width")

    def __init__(self, lines: CardLines, width: int, fonts: CardFonts) -> None:
        self.key = (width, fonts.key)
        elide = Qt.TextElideMode.ElideRight
        metrics, bold = fonts.metrics, fonts.bold_metrics
        self.value_width = bold.horizontalAdvance(lines.value)
        self.days_width = metrics.horizontalAdvance(lines.days)
        name = bold.elidedText(lines.name, elide, max(width - self.value_width - GAP, 0))
        close = metrics.elidedText(lines.close, elide, max(width - self.days_width - GAP, 0))
        self.name = _static(name, fonts.bold)
        self.value = _static(lines.value, fonts.bold)
        self.contact = _static(metrics.elidedText(lines.contact, elide, width), fonts.font)
        self.close = _static(close, fonts.font)
        self.days = _static(lines.days, fonts.font)


class CardLines:
    """What the delegate draws for one card; made the first time the card is shown."""

    __slots__ = ("_fitted", "close", "contact", "days", "name", "overdue", "serial", "value")

    def __init__(self, card: DealCard, locale: str, now: datetime) -> None:
        self.serial = next(_SERIALS)  # names this card's pictures in the pixmap cache
        self._fitted: FittedLines | None = None
        self.name = card.name
        self.contact = card.contact_name or "No contact"
        self.value = money_text(card.value_minor, card.currency, locale)
        # `now` is in the business's zone (BoardView reads it so): its date, as invoices use.
        self.overdue = close_passed(card.status, card.expected_close, now.date())
        if card.expected_close is None:
            self.close = "No close date"
        elif self.overdue:
            self.close = f"Overdue: {date_text(card.expected_close, locale)}"
        else:
            self.close = f"Closes {date_text(card.expected_close, locale)}"
        self.days = (
            days_in_stage_text(card.stage_entered_at, now)
            if card.status is DealStatus.OPEN
            else card.status.label
        )

    def fitted(self, width: int, fonts: CardFonts) -> FittedLines:
        fitted = self._fitted
        if fitted is None or fitted.key != (width, fonts.key):
            fitted = self._fitted = FittedLines(self, width, fonts)
        return fitted

    def text(self) -> str:
        return " — ".join((self.name, self.contact, self.value, self.close, self.days))
