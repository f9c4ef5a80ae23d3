"""Paints a thread's messages as chat bubbles (no widget per message): out right, in left."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTimer,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QListView, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from leadcartel_desktop.ui.conversations.thread_model import BUBBLE_ROLE, Bubble, ThreadModel

AnyIndex = QModelIndex | QPersistentModelIndex
MARGIN = 6  # around a bubble, inside its row
SIDE = 12  # the gap to the view's edge
PADDING = 8  # inside a bubble
GAP = 3
RADIUS = 9.0
WIDTH_SHARE = 0.72  # a bubble takes at most this share of the view's width
TALL = 1_000_000
SLACK = 4
WRAP = (
    int(Qt.TextFlag.TextWordWrap) | int(Qt.AlignmentFlag.AlignLeft) | int(Qt.AlignmentFlag.AlignTop)
)
OUT_FILL = QColor("#dcecff")
IN_FILL = QColor("#f1f1f1")
FAILED_PEN = QColor("#b3261e")
META_COLOR = QColor("#5f6368")
TEXT_COLOR = QColor("#1f1f1f")


@dataclass(frozen=True, slots=True)
class BubbleLayout:
    """Where a bubble's parts go, relative to its row, for one view width."""

    width: int
    height: int
    text_height: int
    problem_height: int


class BubbleDelegate(QStyledItemDelegate):
    """Measures each message once per view width and keeps the answer.

    A 5,000-message thread is measured once when it opens (the list view lays every row out
    to place the scroll bar), so sizeHint must be cheap: two font-metric calls per message.
    """

    def __init__(self, view: QListView, model: ThreadModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._view = view
        self._model = model
        self._layouts: dict[tuple[int, int], BubbleLayout] = {}
        self._sizes: dict[tuple[int, int], QSize] = {}
        self._font_key = ""
        self._small = QFont()
        self._metrics = QFontMetrics(self._small)
        self._small_metrics = QFontMetrics(self._small)

    def forget(self) -> None:
        """Drop measurements (the thread was reloaded); the view's font is read again."""
        self._layouts.clear()
        self._sizes.clear()
        self._fonts(self._view.font())

    def _fonts(self, font: QFont) -> bool:
        """Take the font the rows are drawn in; True when it changed."""
        if font.key() == self._font_key:
            return False
        self._font_key = font.key()
        self._small = QFont(font)
        self._small.setPointSizeF(font.pointSizeF() * 0.85)
        self._metrics = QFontMetrics(font)
        self._small_metrics = QFontMetrics(self._small)
        self._layouts.clear()
        self._sizes.clear()
        return True

    def _view_width(self) -> int:
        return int(self._view.viewport().width())

    def layout_of(self, bubble: Bubble, width: int) -> BubbleLayout:
        key = (bubble.id, width)
        found = self._layouts.get(key)
        if found is not None:
            return found
        inner = max(120, int(width * WIDTH_SHARE)) - 2 * PADDING
        text = self._metrics.boundingRect(QRect(0, 0, inner, TALL), WRAP, bubble.text)
        used = max(text.width(), self._small_metrics.horizontalAdvance(bubble.meta))
        problem_height = 0
        if bubble.problem:
            problem = self._small_metrics.boundingRect(
                QRect(0, 0, inner, TALL), WRAP, bubble.problem
            )
            used = max(used, problem.width())
            problem_height = problem.height() + GAP
        used += SLACK  # painted widths may round up a pixel or two over the measured ones
        meta_height = self._small_metrics.height()
        height = 2 * (MARGIN + PADDING) + text.height() + GAP + meta_height + problem_height
        found = BubbleLayout(min(used, inner) + 2 * PADDING, height, text.height(), problem_height)
        self._layouts[key] = found
        return found

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:  # noqa: N802
        # Called for every loaded row on each layout (a page paged in, a resize): the row's
        # size is looked up by message and width; the font is checked in forget() and paint().
        row = index.row()
        if not 0 <= row < self._model.rowCount():
            return QSize(0, 0)
        bubble = self._model.bubble(row)
        width = self._view_width() - 2 * SIDE
        key = (bubble.id, width)
        size = self._sizes.get(key)
        if size is None:
            size = self._sizes[key] = QSize(width, self.layout_of(bubble, width).height)
        return size

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        bubble = index.data(BUBBLE_ROLE)
        if not isinstance(bubble, Bubble):
            return
        if self._fonts(option.font):  # type: ignore[attr-defined]
            QTimer.singleShot(0, self._view.doItemsLayout)  # the rows' heights change too
        rect: QRect = option.rect  # type: ignore[attr-defined]
        width = self._view_width() - 2 * SIDE
        shape = self.layout_of(bubble, width)
        left = rect.right() - SIDE - shape.width if bubble.outgoing else rect.left() + SIDE
        box = QRectF(left, rect.top() + MARGIN, shape.width, rect.height() - 2 * MARGIN)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)  # type: ignore[attr-defined]
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pen = QPen(FAILED_PEN if bubble.failed else QColor(0, 0, 0, 0))
        pen.setWidthF(1.5 if bubble.failed else 0)
        if selected:
            pen = QPen(option.palette.highlight().color(), 2)  # type: ignore[attr-defined]
        painter.setPen(pen)
        painter.setBrush(OUT_FILL if bubble.outgoing else IN_FILL)
        painter.drawRoundedRect(box, RADIUS, RADIUS)
        inner = int(box.width()) - 2 * PADDING
        x, y = int(box.left()) + PADDING, int(box.top()) + PADDING
        painter.setFont(option.font)  # type: ignore[attr-defined]
        painter.setPen(TEXT_COLOR)
        painter.drawText(QRect(x, y, inner, shape.text_height), WRAP, bubble.text)
        y += shape.text_height + GAP
        painter.setFont(self._small)
        if bubble.problem:
            painter.setPen(FAILED_PEN)
            painter.drawText(QRect(x, y, inner, shape.problem_height), WRAP, bubble.problem)
            y += shape.problem_height
        painter.setPen(FAILED_PEN if bubble.failed else META_COLOR)
        meta = self._small_metrics.elidedText(bubble.meta, Qt.TextElideMode.ElideRight, inner)
        painter.drawText(QRect(x, y, inner, self._small_metrics.height()), WRAP, meta)
        painter.restore()
