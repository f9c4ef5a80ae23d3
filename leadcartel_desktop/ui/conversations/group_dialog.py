"""Groups (smart lists): name, tags any/all, simple field filters, and a live member count."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from leadcartel_desktop.domain.contact_groups import GroupDefinition
from leadcartel_desktop.domain.errors import UserFacingError
from leadcartel_desktop.services.campaign_views import Group, TagCount
from leadcartel_desktop.ui.context import UiContext
from leadcartel_desktop.ui.errors import show_error
from leadcartel_desktop.ui.forms import FieldErrors, confirm, error_label, run_for, with_error

COUNT_DEBOUNCE_MS = 250
ID_ROLE = Qt.ItemDataRole.UserRole
EITHER, YES, NO = "Either", "Yes", "No"


def _tags(text: str) -> frozenset[str]:
    return frozenset(part.strip() for part in text.split(",") if part.strip())


def _flag(combo: QComboBox) -> bool | None:
    return {YES: True, NO: False}.get(combo.currentText())


def _flag_text(value: bool | None) -> str:
    return EITHER if value is None else (YES if value else NO)


class GroupsDialog(QDialog):
    changed = Signal()
    counted = Signal(int)

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("groupsDialog")
        self.setWindowTitle("Groups")
        self._context = context
        self._asked = 0
        self.group_id: int | None = None
        self.list = QListWidget()
        self.list.setObjectName("groupList")
        self.new_button = QPushButton("&New group")
        self.new_button.setObjectName("groupNew")
        self.delete_button = QPushButton("&Delete…")
        self.delete_button.setObjectName("groupDelete")
        self.name = QLineEdit()
        self.name.setObjectName("groupName")
        self.any_tags = QLineEdit()
        self.any_tags.setObjectName("groupAnyTags")
        self.any_tags.setPlaceholderText("vip, newsletter (comma separated)")
        self.all_tags = QLineEdit()
        self.all_tags.setObjectName("groupAllTags")
        self.company = QLineEdit()
        self.company.setObjectName("groupCompany")
        self.domain = QLineEdit()
        self.domain.setObjectName("groupEmailDomain")
        self.domain.setPlaceholderText("example.com")
        self.city = QLineEdit()
        self.city.setObjectName("groupCity")
        self.country = QLineEdit()
        self.country.setObjectName("groupCountry")
        self.has_phone = QComboBox()
        self.has_phone.setObjectName("groupHasPhone")
        self.has_email = QComboBox()
        self.has_email.setObjectName("groupHasEmail")
        for combo in (self.has_phone, self.has_email):
            combo.addItems([EITHER, YES, NO])
        self.known_tags = QLabel()
        self.known_tags.setObjectName("groupKnownTags")
        self.known_tags.setWordWrap(True)
        self.count = QLabel()
        self.count.setObjectName("groupCount")
        font = self.count.font()
        font.setBold(True)
        self.count.setFont(font)
        self.save_button = QPushButton("&Save group")
        self.save_button.setObjectName("groupSave")
        self.general_error = error_label("groupError")
        self.errors = FieldErrors(self.general_error)
        form = QFormLayout()
        for label, widget, field in (
            ("&Name", self.name, "Group name"),
            ("&Any of the tags", self.any_tags, "Any of the tags"),
            ("A&ll of the tags", self.all_tags, "All of the tags"),
            ("&Company contains", self.company, "Company contains"),
            ("&Email domain", self.domain, "Email domain"),
            ("C&ity", self.city, "City"),
            ("C&ountry", self.country, "Country"),
        ):
            error = error_label(f"{widget.objectName()}Error")
            self.errors.add(field, widget, error)
            form.addRow(label, with_error(widget, error))
        form.addRow("Has a &phone", self.has_phone)
        form.addRow("Has an e&mail", self.has_email)
        form.addRow("", self.known_tags)
        form.addRow("", self.count)
        editor = QVBoxLayout()
        editor.addLayout(form)
        editor.addWidget(self.general_error)
        # Under the group it saves, not beside the window's Close at the bottom.
        save_row = QHBoxLayout()
        save_row.addStretch(1)
        save_row.addWidget(self.save_button)
        editor.addLayout(save_row)
        editor.addStretch(1)
        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        row = QHBoxLayout()
        row.addWidget(self.new_button)
        row.addWidget(self.delete_button)
        left.addLayout(row)
        body = QHBoxLayout()
        body.addLayout(left, 2)
        body.addLayout(editor, 3)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(buttons)
        self.resize(820, 520)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(COUNT_DEBOUNCE_MS)
        self._timer.timeout.connect(self.recount)
        for edit in (
            self.any_tags,
            self.all_tags,
            self.company,
            self.domain,
            self.city,
            self.country,
        ):
            edit.textChanged.connect(lambda _text: self._timer.start())
        for combo in (self.has_phone, self.has_email):
            combo.currentIndexChanged.connect(lambda _index: self._timer.start())
        self.list.currentItemChanged.connect(self._chosen)
        self.new_button.clicked.connect(self.new_group)
        self.delete_button.clicked.connect(self.ask_delete)
        self.save_button.clicked.connect(self.save)
        self.new_group()
        self.reload()

    def reload(self, select: int | None = None) -> None:
        services = self._context.services

        def load() -> tuple[list[Group], list[TagCount]]:
            return services.groups.list(), services.contact_tags.tags()

        run_for(self, self._context.tasks, load, lambda result: self._loaded(result, select))

    def _loaded(self, result: tuple[list[Group], list[TagCount]], select: int | None) -> None:
        groups, tags = result
        self.list.blockSignals(True)
        self.list.clear()
        for group in groups:
            item = QListWidgetItem(group.name)
            item.setData(ID_ROLE, group)
            self.list.addItem(item)
            if group.id == select:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        shown = ", ".join(f"{tag.tag} ({tag.contacts:,})" for tag in tags[:30])
        self.known_tags.setText(f"Tags in use: {shown}" if tags else "No contact has a tag yet.")
        self.delete_button.setEnabled(self.group_id is not None)

    def _chosen(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        group = item.data(ID_ROLE) if item is not None else None
        if isinstance(group, Group):
            self.show_group(group)

    def show_group(self, group: Group | None) -> None:
        self.group_id = group.id if group else None
        definition = group.definition if group else GroupDefinition()
        self.name.setText(group.name if group else "")
        self.any_tags.setText(", ".join(sorted(definition.any_tags, key=str.casefold)))
        self.all_tags.setText(", ".join(sorted(definition.all_tags, key=str.casefold)))
        self.company.setText(definition.company_contains)
        self.domain.setText(definition.email_domain)
        self.city.setText(definition.city)
        self.country.setText(definition.country)
        self.has_phone.setCurrentText(_flag_text(definition.has_phone))
        self.has_email.setCurrentText(_flag_text(definition.has_email))
        self.delete_button.setEnabled(group is not None)
        self.errors.clear()
        self.recount()

    def new_group(self) -> None:
        self.list.clearSelection()
        self.show_group(None)
        self.name.setFocus()

    def definition(self) -> GroupDefinition:
        return GroupDefinition(
            any_tags=_tags(self.any_tags.text()),
            all_tags=_tags(self.all_tags.text()),
            company_contains=self.company.text(),
            email_domain=self.domain.text(),
            city=self.city.text(),
            country=self.country.text(),
            has_phone=_flag(self.has_phone),
            has_email=_flag(self.has_email),
        )

    def recount(self) -> None:
        """The live member count (debounced while typing, counted off the GUI thread)."""
        self._timer.stop()
        self._asked += 1
        asked = self._asked
        definition = self.definition()
        groups = self._context.services.groups
        self.count.setText("Counting…")
        run_for(
            self,
            self._context.tasks,
            lambda: groups.count(definition),
            lambda count: self._counted(asked, count),
            lambda error: self._count_failed(asked, error),
        )

    def _counted(self, asked: int, count: int) -> None:
        if asked != self._asked:
            return
        self.errors.clear()
        self.count.setText(f"{count:,} contact{'s' if count != 1 else ''} in this group now")
        self.counted.emit(count)

    def _count_failed(self, asked: int, error: BaseException) -> None:
        if asked != self._asked:
            return
        self.count.setText("")
        if isinstance(error, UserFacingError):
            self.errors.show(error)
        else:
            show_error(self, error)

    def save(self) -> None:
        groups = self._context.services.groups
        group_id, name, definition = self.group_id, self.name.text(), self.definition()

        def work() -> int:
            if group_id is None:
                return groups.create(name, definition)
            groups.update(group_id, name, definition)
            return group_id

        run_for(self, self._context.tasks, work, self._saved, self._failed)

    def _saved(self, group_id: int) -> None:
        self.group_id = group_id
        self.errors.clear()
        self.changed.emit()
        self.reload(select=group_id)

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, UserFacingError):
            self.errors.show(error)
        else:
            show_error(self, error)

    def ask_delete(self) -> None:
        group_id = self.group_id
        if group_id is None:
            return
        groups = self._context.services.groups

        def delete() -> None:
            run_for(
                self,
                self._context.tasks,
                lambda: groups.delete(group_id),
                lambda _none: self._deleted(),
                self._failed,
            )

        confirm(
            self,
            "Delete group",
            f"Delete the group '{self.name.text()}'? Its contacts and their tags stay.",
            delete,
            "Delete",
        )

    def _deleted(self) -> None:
        self.changed.emit()
        self.new_group()
        self.reload()
