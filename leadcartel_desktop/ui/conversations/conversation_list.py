"""The conversations list: contact, last message, time and unread badge, painted per row."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from leadcartel_desktop.services.thread_views import Direction, ThreadSummary
from leadcartel_desktop.ui.conversations.texts import channel_name, short_time

AnyIndex = QModelIndex | QPersistentModelIndex
DISPLAY = int(Qt.ItemDataRole.DisplayRole)
TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
SUMMARY_ROLE = int(Qt.ItemDataRole.UserRole)
PADDING = 8
BADGE = QColor("#1a73e8")


class ConversationListModel(QAbstractListModel):
    """Every conversation, recent first; `set_search` shows only those matching (any case)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._all: list[ThreadSummary] = []
        self._shown: list[ThreadSummary] = []
        self._search = ""
        self.now: datetime | None = None

    def set_rows(self, rows: Sequence[ThreadSummary], now: datetime) -> None:
        self.now = now
        self._all = list(rows)
        self._filter()

    def set_search(self, text: str) -> None:
        self._search = text.strip().casefold()
        self._filter()

    def _filter(self) -> None:
        self.beginResetModel()
        needle = self._search
        self._shown = [
            row
            for row in self._all
            if not needle
            or needle in row.name.casefold()
            or needle in row.address.casefold()
            or needle in row.preview.casefold()
        ]
        self.endResetModel()

    @property
    def total(self) -> int:
        return len(self._all)

    def summary(self, row: int) -> ThreadSummary:
        return self._shown[row]

    def position_of(self, contact_id: int | None, address: str) -> int | None:
        for position, row in enumerate(self._shown):
            if row.contact_id == contact_id and (contact_id is not None or row.address == address):
                return position
        return None

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self._shown)

    def data(self, index: AnyIndex, role: int = DISPLAY) -> Any:
        row = index.row()
        if not 0 <= row < len(self._shown):
            return None
        summary = self._shown[row]
        if role == DISPLAY:
            return summary.name
        if role == SUMMARY_ROLE:
            return summary
        if role == TOOLTIP:
            unread = f" · {summary.unread} unread" if summary.unread else ""
            return f"{summary.name} ({summary.address}){unread}"
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


def preview_of(summary: ThreadSummary) -> str:
    who = "You: " if summary.direction is Direction.OUT else ""
    text = " ".join(summary.preview.split())
    return f"{channel_name(summary.channel)} · {who}{text}"


class ConversationDelegate(QStyledItemDelegate):
    """Two lines: the name (bold when unread) and time, then the last message and the badge."""

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:  # noqa: N802
        height = QFontMetrics(option.font).height()  # type: ignore[attr-defined]
        return QSize(220, 2 * height + 2 * PADDING + 4)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        summary = index.data(SUMMARY_ROLE)
        if not isinstance(summary, ThreadSummary):
            return
        model = index.model()
        now = model.now if isinstance(model, ConversationListModel) else None
        rect: QRect = option.rect  # type: ignore[attr-defined]
        font: QFont = option.font  # type: ignore[attr-defined]
        palette = option.palette  # type: ignore[attr-defined]
        selected = bool(option.state & QStyle.StateFlag.State_Selected)  # type: ignore[attr-defined]
        painter.save()
        if selected:
            painter.fillRect(rect, palette.highlight())
        text_color = palette.highlightedText().color() if selected else palette.text().color()
        bold = QFont(font)
        bold.setBold(summary.unread > 0)
        metrics, bold_metrics = QFontMetrics(font), QFontMetrics(bold)
        line = metrics.height()
        inner = rect.adjusted(PADDING, PADDING, -PADDING, -PADDING)
        when = short_time(summary.last_at, now or summary.last_at)
        when_width = metrics.horizontalAdvance(when)
        painter.setPen(text_color)
        painter.setFont(font)
        painter.drawText(
            QRect(inner.right() - when_width, inner.top(), when_width, line),
            int(Qt.AlignmentFlag.AlignRight),
            when,
        )
        painter.setFont(bold)
        name_width = inner.width() - when_width - PADDING
        name = bold_metrics.elidedText(summary.name, Qt.TextElideMode.ElideRight, name_width)
        painter.drawText(QRect(inner.left(), inner.top(), name_width, line), 0, name)
        badge_width = 0
        top = inner.top() + line + 4
        if summary.unread:
            count = str(summary.unread) if summary.unread < 100 else "99+"
            badge_width = max(line, metrics.horizontalAdvance(count) + line // 2)
            badge = QRect(inner.right() - badge_width, top, badge_width, line)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(BADGE)
            painter.drawRoundedRect(badge, line / 2, line / 2)
            painter.setPen(QColor("white"))
            painter.setFont(font)
            painter.drawText(badge, int(Qt.AlignmentFlag.AlignCenter), count)
        painter.setFont(font)
        painter.setPen(text_color if selected else palette.placeholderText().color())
        preview_width = inner.width() - badge_width - (PADDING if badge_width else 0)
        preview = metrics.elidedText(
            preview_of(summary), Qt.TextElideMode.ElideRight, preview_width
        )
        painter.drawText(QRect(inner.left(), top, preview_width, line), 0, preview)
        painter.restore()
