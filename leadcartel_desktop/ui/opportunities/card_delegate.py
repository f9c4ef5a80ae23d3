"""Paints a deal card (no widget per card): name and value, contact, close date, days in stage."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QPointF, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPalette, QPen, QPixmap, QPixmapCache
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from leadcartel_desktop.ui.colors import OVERDUE_RED
from leadcartel_desktop.ui.opportunities.card_lines import CardFonts, CardLines
from leadcartel_desktop.ui.opportunities.column_model import LINES_ROLE

AnyIndex = QModelIndex | QPersistentModelIndex
MARGIN = 4  # around the card, inside its row
PADDING = 8  # inside the card
LINE_GAP = 2
RADIUS = 6.0
OVERDUE = QColor(OVERDUE_RED)


class DealCardDelegate(QStyledItemDelegate):
    """Every card has the same height (the views use uniform item sizes: one measurement).

    Paint runs per card shown, on every scroll and move, so the fonts are made once, each
    card's texts are laid out once (static texts in its CardLines) for the column's width,
    and each card's picture is kept in Qt's pixmap cache (least recently used go first).
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._fonts: CardFonts | None = None

    def _fonts_for(self, font: QFont) -> CardFonts:
        fonts = self._fonts
        if fonts is None or fonts.key != font.key():
            fonts = self._fonts = CardFonts(font)
        return fonts

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:  # noqa: N802
        height = self._fonts_for(option.font).height  # type: ignore[attr-defined]
        return QSize(200, 3 * height + 2 * LINE_GAP + 2 * (PADDING + MARGIN))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        lines = index.data(LINES_ROLE)
        if not isinstance(lines, CardLines):
            return
        fonts = self._fonts_for(option.font)  # type: ignore[attr-defined]
        rect: QRect = option.rect  # type: ignore[attr-defined]
        palette: QPalette = option.palette  # type: ignore[attr-defined]
        state = option.state  # type: ignore[attr-defined]
        selected = bool(state & QStyle.StateFlag.State_Selected)
        focused = bool(state & QStyle.StateFlag.State_HasFocus)
        ratio = painter.device().devicePixelRatioF()
        # A card is drawn once per look and then copied: a move repaints whole columns.
        key = (
            f"dealCard:{lines.serial}:{rect.width()}x{rect.height()}:{selected:d}{focused:d}:"
            f"{ratio}:{palette.cacheKey()}:{fonts.key}"
        )
        pixmap = QPixmapCache.find(key)
        if pixmap is None:
            pixmap = QPixmap(rect.size() * ratio)
            pixmap.setDevicePixelRatio(ratio)
            pixmap.fill(Qt.GlobalColor.transparent)
            card = QPainter(pixmap)
            area = QRect(0, 0, rect.width(), rect.height())
            self._draw(
                card, area, lines, fonts=fonts, palette=palette, selected=selected, focused=focused
            )
            card.end()
            QPixmapCache.insert(key, pixmap)
        painter.drawPixmap(rect.topLeft(), pixmap)

    def _draw(
        self,
        painter: QPainter,
        area: QRect,
        lines: CardLines,
        *,
        fonts: CardFonts,
        palette: QPalette,
        selected: bool,
        focused: bool,
    ) -> None:
        rect = area.adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        role = QPalette.ColorRole.Highlight if selected else QPalette.ColorRole.Mid
        painter.setPen(QPen(palette.color(role), 2.0 if selected or focused else 1.0))
        painter.setBrush(palette.color(QPalette.ColorRole.Base))
        painter.drawRoundedRect(rect, RADIUS, RADIUS)
        step = fonts.height + LINE_GAP
        left, top = rect.left() + PADDING, rect.top() + PADDING
        right = rect.right() - PADDING
        fitted = lines.fitted(rect.width() - 2 * PADDING, fonts)
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        painter.setFont(fonts.bold)  # a static text is drawn in the painter's font
        painter.drawStaticText(QPointF(left, top), fitted.name)
        painter.drawStaticText(QPointF(right - fitted.value_width, top), fitted.value)
        painter.setFont(fonts.font)
        painter.drawStaticText(QPointF(left, top + step), fitted.contact)
        quiet = palette.color(QPalette.ColorRole.PlaceholderText)
        painter.setPen(OVERDUE if lines.overdue else quiet)
        painter.drawStaticText(QPointF(left, top + 2 * step), fitted.close)
        painter.setPen(quiet)
        painter.drawStaticText(QPointF(right - fitted.days_width, top + 2 * step), fitted.days)
