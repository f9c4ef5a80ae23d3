"""The customer field: type-ahead on name, email or phone, and the bill-to block it fills."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QCompleter,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QWidget,
)

from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.services.contact_fields import format_phone
from leadcartel_desktop.services.views import ContactSuggestion
from leadcartel_desktop.ui.context import UiContext
from leadcartel_desktop.ui.forms import run_for

AnyIndex = QModelIndex | QPersistentModelIndex
CONTACT_ID_ROLE = Qt.ItemDataRole.UserRole
# Roles arrive as plain ints; comparing ints keeps data() cheap (it runs per row per paint).
DISPLAY = int(Qt.ItemDataRole.DisplayRole)
EDIT = int(Qt.ItemDataRole.EditRole)
CONTACT_ID = int(CONTACT_ID_ROLE)
DEBOUNCE_MS = 150


class SuggestionModel(QAbstractListModel):
    """Type-ahead hits, in the order the search ranked them.

    The popup asks for each row's text many times while it sizes and paints itself, on
    every keystroke, so the texts are made once per answer and data() only looks them up.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._items: list[ContactSuggestion] = []
        self._texts: list[str] = []

    def set_items(self, items: Sequence[ContactSuggestion]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self._texts = [suggestion_text(item) for item in self._items]
        self.endResetModel()

    def item(self, row: int) -> ContactSuggestion:
        return self._items[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: AnyIndex, role: int = DISPLAY) -> Any:
        row = index.row()  # -1 for an invalid index
        if not 0 <= row < len(self._items):
            return None
        if role == DISPLAY:
            return self._texts[row]
        if role == EDIT:
            return self._items[row].display_name
        if role == CONTACT_ID:
            return self._items[row].id
        return None


def suggestion_text(item: ContactSuggestion) -> str:
    details = " · ".join(part for part in (item.company, item.email, item.phone) if part)
    return f"{item.display_name} — {details}" if details else item.display_name


def bill_to_html(contact: Contact | None, noun: str = "customer") -> str:
    if contact is None:
        return f"<i>No {noun} chosen yet.</i>"
    lines = [f"<b>{escape(contact.display_name)}</b>"]
    if contact.company and contact.company != contact.display_name:
        lines.append(escape(contact.company))
    lines += [escape(line) for line in contact.address.lines()]
    phone = format_phone(contact.phone)  # '+48 698 765 432', not the stored '+48698765432'
    lines += [escape(value) for value in (contact.email, phone) if value]
    return "<br>".join(lines)


class CustomerPicker(QWidget):
    """Customer field, 'Add new customer' beside it, and the chosen customer's details below."""

    contact_changed = Signal(object)  # Contact | None
    add_requested = Signal()
    edit_requested = Signal(int)

    def __init__(
        self,
        context: UiContext,
        parent: QWidget | None = None,
        *,
        label: str = "&Customer",
        details_title: str = "Bill to",
        noun: str = "customer",
        captions: bool = True,
    ) -> None:
        """`captions` False: no labels of its own, for a form that puts its label beside it."""
        super().__init__(parent)
        self._context = context
        self._noun = noun
        self._contact: Contact | None = None
        self._asked = ""
        self.search = QLineEdit()
        self.search.setObjectName("customerSearch")
        self.search.setPlaceholderText("Type a name, email or phone…")
        self.search.setAccessibleName(label.replace("&", ""))
        self.search.setClearButtonEnabled(True)
        self.suggestions = SuggestionModel(self)
        self.completer = QCompleter(self.suggestions, self)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setWidget(self.search)
        self.completer.setMaxVisibleItems(10)
        popup = self.completer.popup()
        if isinstance(popup, QListView):
            popup.setUniformItemSizes(True)  # one row measured, not every row per keystroke
        self.add_button = QPushButton(f"Add new {noun}…")
        self.add_button.setObjectName("addCustomer")
        self.add_button.setAutoDefault(False)
        self.edit_button = QPushButton("Edit…")
        self.edit_button.setObjectName("editCustomer")
        self.edit_button.setAutoDefault(False)
        self.edit_button.setEnabled(False)
        self.bill_to = QLabel(bill_to_html(None, noun))
        self.bill_to.setObjectName("billTo")
        self.bill_to.setTextFormat(Qt.TextFormat.RichText)
        self.bill_to.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.bill_to.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.bill_to.setMinimumHeight(72)
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        if captions:
            caption = QLabel(label)
            caption.setBuddy(self.search)
            layout.addWidget(caption, 0, 0)
            layout.addWidget(QLabel(details_title), 1, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.search, 0, 1)
        layout.addWidget(self.add_button, 0, 2)
        layout.addWidget(self.edit_button, 0, 3)
        layout.addWidget(self.bill_to, 1, 1, 1, 3)
        layout.setColumnStretch(1, 1)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self._ask)
        self.search.textEdited.connect(self._typed)
        self.completer.activated[QModelIndex].connect(self._activated)
        self.add_button.clicked.connect(self.add_requested)
        self.edit_button.clicked.connect(self._edit)

    @property
    def contact(self) -> Contact | None:
        return self._contact

    def set_contact(self, contact: Contact | None) -> None:
        """Show this customer (or none) without searching."""
        self._contact = contact
        self.search.setText(contact.display_name if contact else "")
        self.bill_to.setText(bill_to_html(contact, self._noun))
        self.edit_button.setEnabled(contact is not None and self.search.isEnabled())
        self.contact_changed.emit(contact)

    def set_read_only(self, read_only: bool) -> None:
        """Locked: greyed out like the form's other locked fields, not a white box to type in."""
        self.search.setReadOnly(read_only)
        self.search.setEnabled(not read_only)
        self.search.setClearButtonEnabled(not read_only)
        self.add_button.setVisible(not read_only)
        self.edit_button.setVisible(not read_only)
        self.edit_button.setEnabled(self._contact is not None and not read_only)

    def _typed(self, text: str) -> None:
        if self._contact is not None:
            self._contact = None  # what is typed no longer names the chosen customer
            self.bill_to.setText(bill_to_html(None, self._noun))
            self.edit_button.setEnabled(False)
            self.contact_changed.emit(None)
        self._debounce.start()

    def _ask(self) -> None:
        text = self.search.text().strip()
        self._asked = text
        if not text:
            self.suggestions.set_items([])
            self.completer.popup().hide()
            return
        contacts = self._context.services.contacts
        run_for(
            self,
            self._context.tasks,
            lambda: contacts.suggest(text),
            lambda items: self._answered(text, items),
        )

    def _answered(self, text: str, items: list[ContactSuggestion]) -> None:
        if text != self._asked or self._contact is not None:
            return  # an older answer, or a customer was chosen meanwhile
        self.suggestions.set_items(items)
        if items and self.search.hasFocus():
            self.completer.complete()
        elif not items:
            self.completer.popup().hide()

    def _activated(self, index: QModelIndex) -> None:
        contact_id = index.data(CONTACT_ID_ROLE)
        if contact_id is not None:
            self.choose(int(contact_id))

    def choose(self, contact_id: int) -> None:
        """Load the customer and fill the bill-to block."""
        contacts = self._context.services.contacts
        run_for(self, self._context.tasks, lambda: contacts.get(contact_id), self.set_contact)

    def _edit(self) -> None:
        if self._contact is not None and self._contact.id is not None:
            self.edit_requested.emit(self._contact.id)
