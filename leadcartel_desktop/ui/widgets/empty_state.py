"""A friendly message (and an optional action) where a list or pane has nothing to show."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget


class EmptyState(QWidget):
    """A centred title, an explanation and, when given, one button."""

    action_clicked = Signal()

    def __init__(
        self,
        title: str,
        text: str = "",
        action: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("emptyState")
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        self.title_label = QLabel(title)
        self.title_label.setObjectName("emptyStateTitle")
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title_label.setFont(font)
        self.text_label = QLabel(text)
        self.text_label.setObjectName("emptyStateText")
        self.text_label.setWordWrap(True)
        self.text_label.setVisible(bool(text))
        # Plain labels, not selectable: a selectable label builds a text document of its own,
        # and the window holds several of these before its first paint.
        for label in (self.title_label, self.text_label):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(label)
        self.button: QPushButton | None = None
        if action:
            self.button = QPushButton(action)
            self.button.setObjectName("emptyStateAction")
            self.button.clicked.connect(self.action_clicked)
            layout.addSpacing(8)
            layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)

    def set_text(self, title: str, text: str = "") -> None:
        self.title_label.setText(title)
        self.text_label.setText(text)
        self.text_label.setVisible(bool(text))

    def set_action_visible(self, visible: bool) -> None:
        if self.button is not None:
            self.button.setVisible(visible)
