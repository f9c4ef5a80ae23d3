"""Create or edit a customer; every bad field is marked with its message, nothing typed is lost.

The form also holds the customer's "no payment reminders" switch, saved with the contact.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from leadcartel_desktop.domain.contact import Address, Contact
from leadcartel_desktop.domain.errors import UserFacingError
from leadcartel_desktop.ui.context import UiContext
from leadcartel_desktop.ui.conversations.reach_editor import ReachEditor
from leadcartel_desktop.ui.errors import show_error
from leadcartel_desktop.ui.forms import FieldErrors, error_label, run_for
from leadcartel_desktop.ui.widgets.hint_text import hint_label

# (service field name, attribute, label, placeholder)
_PERSON_FIELDS = (
    ("First name", "first_name", "&First name", ""),
    ("Last name", "last_name", "&Last name", ""),
    ("Email", "email", "&Email", "name@example.com"),
    ("Phone", "phone", "&Phone", "+1 555 123 4567"),
    ("Company", "company", "C&ompany", ""),
)
_ADDRESS_FIELDS = (
    ("Street", "street", "&Street", ""),
    ("City", "city", "Cit&y", ""),
    ("State/province", "region", "State/p&rovince", ""),
    ("Postal code", "postal_code", "Postal co&de", ""),
    ("Country", "country", "Coun&try", ""),
)


class ContactDialog(QDialog):
    """`contact_id` None creates a customer; `saved` carries the stored Contact."""

    saved = Signal(object)

    def __init__(
        self, context: UiContext, contact_id: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._contact_id = contact_id
        self.setObjectName("contactDialog")
        self.setWindowTitle("New customer" if contact_id is None else "Edit customer")
        self.setMinimumWidth(460)
        self.general_error = error_label("contactError")
        self.errors = FieldErrors(self.general_error)
        self.inputs: dict[str, QLineEdit] = {}
        self.stop_reminders = QCheckBox("Do&n't send payment reminders to this customer")
        self.stop_reminders.setObjectName("stopReminders")
        self._stopped = False  # the switch as stored
        self._reach_saved = False

        person = QFormLayout()
        address_box = QGroupBox("Billing address")
        address = QFormLayout(address_box)
        for form, fields in ((person, _PERSON_FIELDS), (address, _ADDRESS_FIELDS)):
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            for field, attribute, label_text, placeholder in fields:
                self._add_field(form, field, attribute, label_text, placeholder)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("saveContact")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        hint = hint_label("Enter a first name, last name or company. Everything else is optional.")
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(person)
        layout.addWidget(address_box)
        layout.addWidget(self.stop_reminders)
        self.reach = ReachEditor(context)  # tags, time zone, do not contact (campaigns)
        self.reach.add_errors(self.errors)
        layout.addWidget(self.reach)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)
        if contact_id is not None:
            self.reach.load(contact_id)
            self._set_busy(True)
            contacts, reminders = context.services.contacts, context.services.reminders
            run_for(
                self,
                context.tasks,
                lambda: (contacts.get(contact_id), reminders.is_stopped_for_customer(contact_id)),
                self._loaded,
                self._failed_load,
            )

    def _add_field(
        self, form: QFormLayout, field: str, attribute: str, label_text: str, placeholder: str
    ) -> None:
        edit = QLineEdit()
        edit.setObjectName(attribute)
        edit.setAccessibleName(field)
        edit.setPlaceholderText(placeholder)
        label = error_label(f"{attribute}Error")
        column = QWidget()
        box = QVBoxLayout(column)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addWidget(edit)
        box.addWidget(label)
        caption = QLabel(label_text)
        caption.setBuddy(edit)
        form.addRow(caption, column)
        self.inputs[attribute] = edit
        self.errors.add(field, edit, label)

    def contact(self) -> Contact:
        """What the form holds now."""
        text = {name: edit.text() for name, edit in self.inputs.items()}
        return Contact(
            first_name=text["first_name"],
            last_name=text["last_name"],
            email=text["email"],
            phone=text["phone"],
            company=text["company"],
            address=Address(
                street=text["street"].strip(),
                city=text["city"].strip(),
                region=text["region"].strip(),
                postal_code=text["postal_code"].strip(),
                country=text["country"].strip(),
            ),
            id=self._contact_id,
        )

    def _loaded(self, loaded: tuple[Contact, bool]) -> None:
        contact, self._stopped = loaded
        self.stop_reminders.setChecked(self._stopped)
        values = {
            "first_name": contact.first_name,
            "last_name": contact.last_name,
            "email": contact.email,
            "phone": contact.phone,
            "company": contact.company,
            "street": contact.address.street,
            "city": contact.address.city,
            "region": contact.address.region,
            "postal_code": contact.address.postal_code,
            "country": contact.address.country,
        }
        for name, value in values.items():
            self.inputs[name].setText(value)
        self._set_busy(False)

    def _failed_load(self, error: BaseException) -> None:
        self._set_busy(False)
        self.save_button.setEnabled(False)
        show_error(self, error)

    def _set_busy(self, busy: bool) -> None:
        self.save_button.setEnabled(not busy)
        self.stop_reminders.setEnabled(not busy)
        for edit in self.inputs.values():
            edit.setReadOnly(busy)

    def save(self) -> None:
        contact = self.contact()
        contacts = self._context.services.contacts
        work = (
            (lambda: contacts.create(contact))
            if self._contact_id is None
            else (lambda: contacts.update(contact))
        )
        self.errors.clear()
        self._set_busy(True)
        run_for(self, self._context.tasks, work, self._saved, self._refused)

    def _saved(self, contact: Contact) -> None:
        """The contact is stored; then the reminder switch, if it changed."""
        self._contact_id = contact.id  # should the switch fail, Save again updates, not adds
        stop = self.stop_reminders.isChecked()
        if stop == self._stopped or contact.id is None:
            self._finish(contact)
            return
        reminders, contact_id = self._context.services.reminders, contact.id
        run_for(
            self,
            self._context.tasks,
            lambda: reminders.stop_for_customer(contact_id, stop),
            lambda _none: self._switched(contact, stop),
            self._refused,
        )

    def _switched(self, contact: Contact, stopped: bool) -> None:
        self._stopped = stopped
        self._finish(contact)

    def _finish(self, contact: Contact) -> None:
        if contact.id is not None and not self._reach_saved:
            try:
                work = self.reach.save_work(contact.id)
            except UserFacingError as error:
                self._refused(error)
                return
            self._reach_saved = True
            run_for(
                self, self._context.tasks, work, lambda _n: self._finish(contact), self._refused
            )
            return
        self._set_busy(False)
        self.saved.emit(contact)
        self.accept()

    def _refused(self, error: BaseException) -> None:
        self._reach_saved = False
        self._set_busy(False)
        if isinstance(error, UserFacingError):
            self.errors.show(error)
        else:
            show_error(self, error)
