"""An 'Insert field' button whose menu puts {merge_field} where the cursor is."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLineEdit, QMenu, QPlainTextEdit, QToolButton, QWidget

TemplateEditor = QLineEdit | QPlainTextEdit


class MergeFieldButton(QToolButton):
    """Inserts into the editor (of those given) that had the focus last."""

    def __init__(
        self,
        fields: Sequence[str],
        editors: Sequence[TemplateEditor],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mergeFields")
        self.setText("Insert field")
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.fields = tuple(fields)
        self._editors = tuple(editors)
        self.target: TemplateEditor = editors[-1]
        menu = QMenu(self)
        for name in self.fields:
            action = QAction("{" + name + "}", menu)
            action.setData(name)
            menu.addAction(action)
        menu.triggered.connect(lambda action: self.insert(str(action.data())))
        self.setMenu(menu)
        for editor in self._editors:
            editor.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.FocusIn and watched in self._editors:
            assert isinstance(watched, QLineEdit | QPlainTextEdit)
            self.target = watched
        return False

    def insert(self, name: str) -> None:
        """Insert {name} at the cursor of the editor last focused."""
        text = "{" + name + "}"
        if isinstance(self.target, QPlainTextEdit):
            self.target.insertPlainText(text)
        else:
            self.target.insert(text)
        self.target.setFocus()
