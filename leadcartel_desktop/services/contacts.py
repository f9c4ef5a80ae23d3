"""Customers: create, edit, look up and type-ahead search."""

from __future__ import annotations

from dataclasses import replace

from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.domain.errors import FormError, ValidationError
from leadcartel_desktop.services.contact_fields import normalize_email, normalize_phone
from leadcartel_desktop.services.ports import UnitOfWork, UnitOfWorkFactory
from leadcartel_desktop.services.views import ContactSuggestion

SUGGESTION_LIMIT = 12


class ContactService:
    def __init__(self, unit_of_work: UnitOfWorkFactory) -> None:
        self._uow = unit_of_work

    def _clean(self, uow: UnitOfWork, contact: Contact) -> Contact:
        """Every field error at once, so the form can mark them all."""
        errors: list[ValidationError] = []
        email, phone = contact.email, contact.phone
        try:
            email = normalize_email(contact.email)
        except ValidationError as error:
            errors.append(error)
        try:
            phone = normalize_phone(contact.phone, uow.settings.business().default_country)
        except ValidationError as error:
            errors.append(error)
        cleaned = replace(
            contact,
            first_name=contact.first_name.strip(),
            last_name=contact.last_name.strip(),
            company=contact.company.strip(),
            email=email,
            phone=phone,
        )
        try:
            cleaned.check_required()
        except ValidationError as error:
            errors.insert(0, error)
        if cleaned.email:
            owner = uow.contacts.find_by_email(cleaned.email)
            if owner is not None and owner.id != contact.id:
                errors.append(ValidationError("Email", f"is already used by {owner.display_name}"))
        if errors:
            raise FormError(errors)
        return cleaned

    def create(self, contact: Contact) -> Contact:
        with self._uow() as uow:
            cleaned = self._clean(uow, contact)
            contact_id = uow.contacts.add(cleaned)
            uow.commit()
        return replace(cleaned, id=contact_id)

    def update(self, contact: Contact) -> Contact:
        if contact.id is None:
            raise ValueError("update needs a stored contact")
        with self._uow() as uow:
            cleaned = self._clean(uow, contact)
            uow.contacts.update(cleaned)
            uow.commit()
        return cleaned

    def get(self, contact_id: int) -> Contact:
        with self._uow(read_only=True) as uow:
            return uow.contacts.get(contact_id)

    def find_by_email(self, email: str) -> Contact | None:
        with self._uow(read_only=True) as uow:
            return uow.contacts.find_by_email(normalize_email(email))

    def count(self) -> int:
        with self._uow(read_only=True) as uow:
            return uow.contacts.count()

    def suggest(self, text: str, limit: int = SUGGESTION_LIMIT) -> list[ContactSuggestion]:
        if not text.strip():
            return []
        with self._uow(read_only=True) as uow:
            return uow.contacts.search(text, limit)
