"""Groups (smart lists): saved definitions by tags and field filters, with a live count."""

from __future__ import annotations

from leadcartel_desktop.domain.contact_groups import GroupDefinition, clean_group_name
from leadcartel_desktop.domain.errors import ValidationError
from leadcartel_desktop.services.campaign_views import Group
from leadcartel_desktop.services.ports import Clock, UnitOfWork, UnitOfWorkFactory


class GroupService:
    def __init__(self, unit_of_work: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = unit_of_work
        self._clock = clock

    def create(self, name: str, definition: GroupDefinition) -> int:
        cleaned_name, cleaned = clean_group_name(name), definition.cleaned()
        with self._uow() as uow:
            self._refuse_taken(uow, cleaned_name, None)
            group_id = uow.groups.add(cleaned_name, cleaned, self._clock.now())
            uow.commit()
        return group_id

    def update(self, group_id: int, name: str, definition: GroupDefinition) -> None:
        cleaned_name, cleaned = clean_group_name(name), definition.cleaned()
        with self._uow() as uow:
            self._refuse_taken(uow, cleaned_name, group_id)
            uow.groups.update(group_id, cleaned_name, cleaned)
            uow.commit()

    def rename(self, group_id: int, name: str) -> None:
        cleaned_name = clean_group_name(name)
        with self._uow() as uow:
            group = uow.groups.get(group_id)
            self._refuse_taken(uow, cleaned_name, group_id)
            uow.groups.update(group_id, cleaned_name, group.definition)
            uow.commit()

    def delete(self, group_id: int) -> None:
        """Delete the saved definition (contacts and their tags stay)."""
        with self._uow() as uow:
            uow.groups.delete(group_id)
            uow.commit()

    def get(self, group_id: int) -> Group:
        with self._uow(read_only=True) as uow:
            return uow.groups.get(group_id)

    def list(self) -> list[Group]:
        with self._uow(read_only=True) as uow:
            return uow.groups.all()

    def members(self, group: int | GroupDefinition) -> list[int]:
        """Contact ids of a saved group (by id) or of a definition being edited, by id."""
        with self._uow(read_only=True) as uow:
            if isinstance(group, GroupDefinition):
                definition = group
            else:
                definition = uow.groups.get(group).definition
            return uow.groups.members(definition.cleaned())

    def count(self, definition: GroupDefinition) -> int:
        """How many contacts the definition holds: one query, for a live counter."""
        cleaned = definition.cleaned()
        with self._uow(read_only=True) as uow:
            return uow.groups.count(cleaned)

    @staticmethod
    def _refuse_taken(uow: UnitOfWork, name: str, group_id: int | None) -> None:
        other = uow.groups.find_by_name(name)
        if other is not None and other.id != group_id:
            raise ValidationError("Group name", f"'{other.name}' already exists")
