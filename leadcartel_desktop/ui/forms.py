"""Form helpers for dialogs: error messages shown next to the field at fault, and confirmations."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QDate, QObject, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from leadcartel_desktop.domain.errors import FormError, UserFacingError, ValidationError
from leadcartel_desktop.ui.tasks import TaskRunner

T = TypeVar("T")
log = logging.getLogger(__name__)


def run_for(
    owner: QObject,
    tasks: TaskRunner,
    work: Callable[[], T],
    on_done: Callable[[T], Any] | None = None,
    on_error: Callable[[BaseException], Any] | None = None,
    *,
    database: bool = True,
) -> None:
    """tasks.run(), but the answer is dropped if `owner` was deleted meanwhile.

    A dialog closed with WA_DeleteOnClose while its work still runs must not be called back.
    """

    def done(result: T) -> None:
        if shiboken6.isValid(owner) and on_done is not None:
            on_done(result)

    def failed(error: BaseException) -> None:
        if shiboken6.isValid(owner):
            assert on_error is not None
            on_error(error)
        elif not isinstance(error, UserFacingError):
            log.error("A task failed after its window closed", exc_info=error)

    # Without an on_error, failures go to the runner's own handler (the main window's).
    tasks.run(work, done, failed if on_error is not None else None, database=database)


ERROR_STYLE = "color: #b3261e;"
INVALID_STYLE = "border: 1px solid #b3261e;"


def error_label(object_name: str) -> QLabel:
    """A red, word-wrapped label that stays hidden until it has a message."""
    label = QLabel()
    label.setObjectName(object_name)
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


def to_qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def to_date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def date_edit(name: str) -> QDateEdit:
    edit = QDateEdit()
    edit.setObjectName(name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setMinimumWidth(130)
    return edit


def with_error(widget: QWidget, label: QLabel, extra: QWidget | None = None) -> QWidget:
    """The field with its error label under it (and an optional widget beside it)."""
    box = QWidget()
    box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(2)
    if extra is None:
        column.addWidget(widget)
    else:
        row = QHBoxLayout()
        row.addWidget(widget, 1)
        row.addWidget(extra)
        column.addLayout(row)
    column.addWidget(label)
    return box


def field_of(error: UserFacingError) -> str:
    """The field an error is about: its `field`, or the 'Field: ...' prefix of its message."""
    if isinstance(error, ValidationError):
        return error.field
    head, separator, _ = error.message.partition(":")
    return head.strip() if separator else ""


def detail_of(error: UserFacingError) -> str:
    if isinstance(error, ValidationError):
        return error.detail
    _, separator, tail = error.message.partition(":")
    return tail.strip() if separator else error.message


_VERBS = ("is ", "are ", "must ", "has ", "have ", "cannot ", "can ")


def sentence_of(error: UserFacingError) -> str:
    """The error as a sentence away from its field.

    'Pipeline name is required', not 'Pipeline name: is required'; a detail that is no verb
    phrase ('unknown merge field {x}') keeps the colon.
    """
    if isinstance(error, ValidationError) and error.detail.startswith(_VERBS):
        return f"{error.field} {error.detail}"
    return error.message


def fit_window(window: QWidget) -> None:
    """Grow a dialog so wrapped messages just shown are not cut off.

    Qt does not do it by itself for word-wrapped labels, whose height depends on their width.
    """
    layout = window.layout()
    if layout is None or not window.isVisible():
        return
    layout.activate()
    needed = (
        layout.totalHeightForWidth(window.width())
        if layout.hasHeightForWidth()
        else layout.totalSizeHint().height()
    )
    if needed > window.height():
        window.resize(window.width(), needed)


TITLE_BAR_ROOM = 40  # availableGeometry() includes the window frame's title bar


def resize_within_screen(window: QWidget, width: int, height: int) -> None:
    """`window.resize(width, height)`, made smaller on a screen with less room than that.

    A dialog taller than a laptop's screen would put its buttons out of reach.
    """
    parent = window.parentWidget()
    screen = (parent.screen() if parent is not None else None) or QGuiApplication.primaryScreen()
    if screen is not None:
        area = screen.availableGeometry()
        width = min(width, area.width())
        height = min(height, area.height() - TITLE_BAR_ROOM)
    window.resize(width, height)


class FieldErrors:
    """Maps the service's field names to input widgets and the error labels beside them."""

    def __init__(self, general: QLabel) -> None:
        self._general = general
        self._fields: dict[str, tuple[QWidget, QLabel]] = {}
        self._prefixes: dict[str, tuple[QWidget, QLabel]] = {}
        self._tips: dict[QWidget, str] = {}
        # Called whenever marks come or go (a form with tabs marks the tabs holding them).
        self.on_change: Callable[[], None] | None = None

    def add(self, field: str, widget: QWidget, label: QLabel, *, prefix: bool = False) -> None:
        """Route errors about `field` (or, with `prefix`, any field starting so) to `label`."""
        (self._prefixes if prefix else self._fields)[field.casefold()] = (widget, label)
        label.setBuddy(widget)
        self._tips.setdefault(widget, widget.toolTip())

    def _entry(self, field: str) -> tuple[QWidget, QLabel] | None:
        key = field.casefold()
        if key in self._fields:
            return self._fields[key]
        for prefix, entry in self._prefixes.items():
            if key.startswith(prefix):
                return entry
        return None

    def clear(self) -> None:
        for widget, label in [*self._fields.values(), *self._prefixes.values()]:
            self._mark(widget, label, "")
        self._general.clear()
        self._general.hide()

    def forget(self, field: str) -> None:
        """The field was edited: its mark goes (the next check says if it is still wrong)."""
        entry = self._entry(field)
        if entry is not None:
            self._mark(*entry, "")

    def marked(self) -> list[QWidget]:
        """The widgets now marked as wrong."""
        entries = [*self._fields.values(), *self._prefixes.values()]
        return [widget for widget, label in entries if label.text()]

    def message_for(self, field: str) -> str:
        _, label = self._fields[field.casefold()]
        return label.text()

    def show(self, error: UserFacingError) -> QWidget | None:
        """Mark every field the error names; returns the first one (None: shown below the form)."""
        self.clear()
        errors: list[UserFacingError] = (
            list(error.errors) if isinstance(error, FormError) else [error]
        )
        first: QWidget | None = None
        for item in errors:
            entry = self._entry(field_of(item))
            if entry is None:
                self._general.setText(sentence_of(item))
                self._general.show()
                continue
            widget, label = entry
            prefixed = field_of(item).casefold() not in self._fields
            self._mark(widget, label, item.message if prefixed else detail_of(item))
            first = first or widget
        if first is not None:
            first.setFocus()
        fit_window(self._general.window())
        return first

    def _mark(self, widget: QWidget, label: QLabel, message: str) -> None:
        widget.setProperty("invalid", bool(message))
        widget.setStyleSheet(INVALID_STYLE if message else "")
        widget.setToolTip(message or self._tips.get(widget, ""))
        widget.setAccessibleDescription(message)
        label.setText(message)
        label.setVisible(bool(message))
        if self.on_change is not None:
            self.on_change()


def confirm(
    parent: QWidget,
    title: str,
    text: str,
    on_yes: Callable[[], object],
    yes_text: str = "OK",
) -> QMessageBox:
    """A window-modal question opened without blocking; `on_yes` runs when it is accepted."""
    box = QMessageBox(parent)
    box.setObjectName("confirmDialog")
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(text)
    yes = box.addButton(yes_text, QMessageBox.ButtonRole.AcceptRole)
    yes.setObjectName("confirmYes")
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)

    def finished() -> None:
        if box.clickedButton() is yes:
            on_yes()
        box.deleteLater()

    box.finished.connect(finished)
    box.open()
    return box
