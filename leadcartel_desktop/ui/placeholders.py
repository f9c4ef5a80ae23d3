"""Panes that later releases fill in; until then they say so kindly."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from leadcartel_desktop.ui.widgets.empty_state import EmptyState

COMING: dict[str, str] = {
    "Support": "Help articles, logs, diagnostics and support tickets will live here.",
}


class PlaceholderPane(QWidget):
    """A pane that is not available yet: its name and what it will do.

    A pane that is built (not in COMING) stands here only until the book is open.
    """

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"{name.lower()}Pane")
        if name in COMING:
            self.empty_state = EmptyState(
                f"{name} is not yet available",
                f"{COMING[name]}\nIt arrives in a coming update; nothing to set up meanwhile.",
            )
        else:
            self.empty_state = EmptyState("Opening your book…")
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty_state)
