"""Panes that later releases fill in; until then they say so kindly."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from leadcartel_desktop.ui.widgets.empty_state import EmptyState

COMING: dict[str, str] = {
    "Opportunities": "Pipelines and deals will live here: track every sale from lead to won.",
    "Conversations": "SMS, WhatsApp and email threads and campaigns will live here.",
    "Support": "Help articles, logs, diagnostics and support tickets will live here.",
}


class PlaceholderPane(QWidget):
    """A pane that is not available yet: its name and what it will do."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"{name.lower()}Pane")
        self.empty_state = EmptyState(
            f"{name} is not yet available",
            f"{COMING.get(name, '')}\nIt arrives in a coming update; nothing to set up meanwhile.",
        )
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty_state)
