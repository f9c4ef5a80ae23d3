"""A type-ahead field for choosing one contact by name, email or phone."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QTimer, Signal
from PySide6.QtWidgets import QCompleter, QLineEdit, QListView, QWidget

from leadcartel_desktop.services.views import ContactSuggestion
from leadcartel_desktop.ui.context import UiContext
from leadcartel_desktop.ui.forms import run_for
from leadcartel_desktop.ui.invoices.customer import CONTACT_ID, SuggestionModel

DEBOUNCE_MS = 150


class ContactFinder(QLineEdit):
    """`chosen(contact_id, display_name)` when a suggestion is picked; the field then clears."""

    chosen = Signal(int, str)

    def __init__(self, context: UiContext, placeholder: str, parent: QWidget | None = None):
        super().__init__(parent)
        self._context = context
        self.setPlaceholderText(placeholder)
        self.setClearButtonEnabled(True)
        self.suggestions = SuggestionModel(self)
        self.completer_ = QCompleter(self.suggestions, self)
        self.completer_.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer_.setWidget(self)
        popup = self.completer_.popup()
        if isinstance(popup, QListView):
            popup.setUniformItemSizes(True)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.ask)
        self.textEdited.connect(lambda _text: self._debounce.start())
        self.completer_.activated[QModelIndex].connect(self._activated)

    def ask(self) -> None:
        """Search now (off the GUI thread) for what is typed."""
        self._debounce.stop()
        text = self.text().strip()
        if not text:
            self.suggestions.set_items([])
            return
        contacts = self._context.services.contacts
        run_for(self, self._context.tasks, lambda: contacts.suggest(text), self._answered)

    def _answered(self, items: list[ContactSuggestion]) -> None:
        self.suggestions.set_items(items)
        if items and self.hasFocus():
            self.completer_.complete()

    def _activated(self, index: QModelIndex) -> None:
        self.choose_row(index.row())

    def choose_row(self, row: int) -> None:
        item = self.suggestions.item(row)
        contact_id = self.suggestions.index(row).data(CONTACT_ID)
        if isinstance(contact_id, int):
            self.chosen.emit(contact_id, item.display_name)
        QTimer.singleShot(0, self.clear)
