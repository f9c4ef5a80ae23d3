"""Pipelines and their stages in SQLite."""

from __future__ import annotations

from collections.abc import Sequence

from leadcartel_desktop.domain.errors import NotFoundError
from leadcartel_desktop.domain.pipelines import Pipeline, Stage
from leadcartel_desktop.services.deal_ports import StageRef
from leadcartel_desktop.storage.sql import Statements

_STAGES = "SELECT pipeline_id, id, name, probability, position FROM pipeline_stages"


class SqlPipelineRepository:
    def __init__(self, sql: Statements) -> None:
        self._sql = sql

    def all(self) -> list[Pipeline]:
        heads = self._sql.tuples("SELECT id, name, remote_id FROM pipelines ORDER BY name, id")
        stages = self._stages(f"{_STAGES} ORDER BY pipeline_id, position, id", ())
        return [
            Pipeline(pipeline_id, name, tuple(stages.get(pipeline_id, ())), remote_id)
            for pipeline_id, name, remote_id in heads
        ]

    def get(self, pipeline_id: int) -> Pipeline:
        head = self._sql.tuples(
            "SELECT id, name, remote_id FROM pipelines WHERE id = ?", (pipeline_id,)
        )
        if not head:
            raise NotFoundError(f"Pipeline {pipeline_id} was not found")
        stages = self._stages(
            f"{_STAGES} WHERE pipeline_id = ? ORDER BY position, id", (pipeline_id,)
        )
        _, name, remote_id = head[0]
        return Pipeline(pipeline_id, name, tuple(stages.get(pipeline_id, ())), remote_id)

    def _stages(self, statement: str, params: Sequence[object]) -> dict[int, list[Stage]]:
        found: dict[int, list[Stage]] = {}
        for pipeline_id, *values in self._sql.tuples(statement, params):
            found.setdefault(pipeline_id, []).append(Stage(*values))
        return found

    def add(self, name: str, remote_id: str | None = None) -> int:
        return int(
            self._sql.scalar(
                "INSERT INTO pipelines (name, remote_id) VALUES (?, ?) RETURNING id",
                (name, remote_id),
            )
        )

    def rename(self, pipeline_id: int, name: str) -> None:
        result = self._sql.run("UPDATE pipelines SET name = ? WHERE id = ?", (name, pipeline_id))
        if result.rowcount == 0:
            raise NotFoundError(f"Pipeline {pipeline_id} was not found")

    def delete(self, pipeline_id: int) -> None:
        result = self._sql.run("DELETE FROM pipelines WHERE id = ?", (pipeline_id,))
        if result.rowcount == 0:
            raise NotFoundError(f"Pipeline {pipeline_id} was not found")

    def stage(self, stage_id: int) -> StageRef:
        rows = self._sql.tuples(f"{_STAGES} WHERE id = ?", (stage_id,))
        if not rows:
            raise NotFoundError(f"Stage {stage_id} was not found")
        pipeline_id, *values = rows[0]
        return StageRef(pipeline_id, Stage(*values))

    def add_stage(
        self,
        pipeline_id: int,
        name: str,
        probability: int,
        position: int,
        remote_id: str | None = None,
    ) -> int:
        return int(
            self._sql.scalar(
                "INSERT INTO pipeline_stages (pipeline_id, name, probability, position, "
                "remote_id) VALUES (?, ?, ?, ?, ?) RETURNING id",
                (pipeline_id, name, probability, position, remote_id),
            )
        )

    def update_stage(self, stage_id: int, name: str, probability: int) -> None:
        result = self._sql.run(
            "UPDATE pipeline_stages SET name = ?, probability = ? WHERE id = ?",
            (name, probability, stage_id),
        )
        if result.rowcount == 0:
            raise NotFoundError(f"Stage {stage_id} was not found")

    def set_stage_positions(self, positions: Sequence[tuple[int, int]]) -> None:
        self._sql.many(
            "UPDATE pipeline_stages SET position = :position WHERE id = :id",
            [{"id": stage_id, "position": position} for stage_id, position in positions],
        )

    def delete_stage(self, stage_id: int) -> None:
        result = self._sql.run("DELETE FROM pipeline_stages WHERE id = ?", (stage_id,))
        if result.rowcount == 0:
            raise NotFoundError(f"Stage {stage_id} was not found")

    def deal_count(self, *, pipeline_id: int | None = None, stage_id: int | None = None) -> int:
        if stage_id is not None:
            return int(
                self._sql.scalar(
                    "SELECT count(*) FROM deals WHERE stage_id = :stage AND pipeline_id = "
                    "(SELECT pipeline_id FROM pipeline_stages WHERE id = :stage)",
                    {"stage": stage_id},
                )
            )
        return int(
            self._sql.scalar("SELECT count(*) FROM deals WHERE pipeline_id = ?", (pipeline_id,))
        )

    def by_remote_id(self, remote_id: str) -> Pipeline | None:
        found = self._sql.scalar("SELECT id FROM pipelines WHERE remote_id = ?", (remote_id,))
        return None if found is None else self.get(int(found))

    def stage_by_remote_id(self, remote_id: str) -> StageRef | None:
        found = self._sql.scalar("SELECT id FROM pipeline_stages WHERE remote_id = ?", (remote_id,))
        return None if found is None else self.stage(int(found))

    def set_stage_remote_id(self, stage_id: int, remote_id: str) -> None:
        self._sql.run(
            "UPDATE pipeline_stages SET remote_id = ? WHERE id = ?", (remote_id, stage_id)
        )

    def stage_remote_id(self, stage_id: int) -> str | None:
        found = self._sql.scalar("SELECT remote_id FROM pipeline_stages WHERE id = ?", (stage_id,))
        return None if found is None else str(found)
