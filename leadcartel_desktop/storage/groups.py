"""Saved contact groups (smart lists): a name and a definition stored as JSON."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from leadcartel_desktop.domain.contact_groups import GroupDefinition
from leadcartel_desktop.domain.errors import NotFoundError
from leadcartel_desktop.services.campaign_views import Group
from leadcartel_desktop.storage.convert import instant_text
from leadcartel_desktop.storage.group_sql import group_condition
from leadcartel_desktop.storage.sql import Statements


def _definition_text(definition: GroupDefinition) -> str:
    return json.dumps(definition.as_json(), ensure_ascii=False, sort_keys=True)


def _group(row: Any) -> Group:
    return Group(int(row[0]), str(row[1]), GroupDefinition.from_json(json.loads(row[2])))


class SqlGroupRepository:
    def __init__(self, sql: Statements) -> None:
        self._sql = sql

    def add(self, name: str, definition: GroupDefinition, now: datetime) -> int:
        return int(
            self._sql.scalar(
                "INSERT INTO contact_groups (name, definition, created_at) VALUES (?, ?, ?) "
                "RETURNING id",
                (name, _definition_text(definition), instant_text(now)),
            )
        )

    def update(self, group_id: int, name: str, definition: GroupDefinition) -> None:
        changed = self._sql.run(
            "UPDATE contact_groups SET name = ?, definition = ? WHERE id = ?",
            (name, _definition_text(definition), group_id),
        ).rowcount
        if changed != 1:
            raise NotFoundError(f"Group {group_id} was not found")

    def delete(self, group_id: int) -> None:
        self._sql.run("DELETE FROM contact_groups WHERE id = ?", (group_id,))

    def get(self, group_id: int) -> Group:
        rows = self._sql.tuples(
            "SELECT id, name, definition FROM contact_groups WHERE id = ?", (group_id,)
        )
        if not rows:
            raise NotFoundError(f"Group {group_id} was not found")
        return _group(rows[0])

    def find_by_name(self, name: str) -> Group | None:
        rows = self._sql.tuples(
            "SELECT id, name, definition FROM contact_groups WHERE name = ?", (name,)
        )
        return _group(rows[0]) if rows else None

    def all(self) -> list[Group]:
        rows = self._sql.tuples(
            "SELECT id, name, definition FROM contact_groups ORDER BY name COLLATE NOCASE"
        )
        return [_group(row) for row in rows]

    def members(self, definition: GroupDefinition) -> list[int]:
        condition, params = group_condition(definition)
        return self._sql.ids(
            f"SELECT c.id FROM contacts AS c WHERE {condition} ORDER BY c.id", params
        )

    def count(self, definition: GroupDefinition) -> int:
        condition, params = group_condition(definition)
        return int(
            self._sql.scalar(f"SELECT count(*) FROM contacts AS c WHERE {condition}", params)
        )
