"""WhatsApp template fields: a note on the 24-hour window, the template id and its variables."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QWidget

from leadcartel_desktop.domain.errors import ValidationError
from leadcartel_desktop.domain.whatsapp import TEMPLATE_FIELD, VARIABLES_FIELD, parse_variables


class WhatsAppTemplateFields(QWidget):
    """`changed` fires on every edit; `variables()` raises ValidationError naming the field."""

    changed = Signal()

    def __init__(self, variables_hint: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("whatsAppTemplateFields")
        self.note = QLabel()
        self.note.setObjectName("whatsAppWindowNote")
        self.note.setWordWrap(True)
        self.template_id = QLineEdit()
        self.template_id.setObjectName("whatsAppTemplate")
        self.template_id.setAccessibleName(TEMPLATE_FIELD)
        self.template_id.setPlaceholderText("Approved template id, e.g. HX and 32 hex digits")
        self.variables_edit = QLineEdit()
        self.variables_edit.setObjectName("whatsAppVariables")
        self.variables_edit.setAccessibleName(VARIABLES_FIELD)
        self.variables_edit.setPlaceholderText(variables_hint)
        self.variables_edit.setToolTip(f"The template's numbered variables: {variables_hint}")
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.note)
        form.addRow("Template &id", self.template_id)
        form.addRow("&Variables", self.variables_edit)
        for edit in (self.template_id, self.variables_edit):
            edit.textChanged.connect(self.changed)

    def set_note(self, text: str) -> None:
        self.note.setText(text)
        self.note.setVisible(bool(text))

    @property
    def template(self) -> str:
        return self.template_id.text().strip()

    def variables(self) -> dict[str, str]:
        """The variables typed so far ({} when none); ValidationError names the field."""
        return parse_variables(self.variables_edit.text())

    def problem(self) -> ValidationError | None:
        try:
            self.variables()
        except ValidationError as error:
            return error
        return None
