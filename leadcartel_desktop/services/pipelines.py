"""Pipelines: create, rename and delete them; add, rename, reorder and remove their stages."""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Sequence

from leadcartel_desktop.domain.card_order import GAP, renumbered
from leadcartel_desktop.domain.errors import ConflictError, ValidationError
from leadcartel_desktop.domain.pipelines import Pipeline, check_name, check_probability
from leadcartel_desktop.services.ports import UnitOfWorkFactory


def _deals(count: int) -> str:
    return "1 deal" if count == 1 else f"{count} deals"


def _unique(field: str, name: str, taken: Iterable[str]) -> None:
    """Two pipelines (or two stages of one pipeline) by one name cannot be told apart."""
    if name.casefold() in {other.casefold() for other in taken}:
        raise ValidationError(field, f"'{name}' is already taken; choose another name")


class PipelineService:
    def __init__(self, unit_of_work: UnitOfWorkFactory) -> None:
        self._uow = unit_of_work

    def list(self) -> builtins.list[Pipeline]:
        with self._uow(read_only=True) as uow:
            return uow.pipelines.all()

    def get(self, pipeline_id: int) -> Pipeline:
        with self._uow(read_only=True) as uow:
            return uow.pipelines.get(pipeline_id)

    def create(self, name: str, stages: Sequence[tuple[str, int]]) -> int:
        """A pipeline with its stages in the order given: (stage name, probability %)."""
        cleaned = check_name("Pipeline name", name)
        checked = [
            (check_name("Stage name", stage), check_probability(probability))
            for stage, probability in stages
        ]
        if not checked:
            raise ValidationError("Stages", "a pipeline needs at least one stage")
        for index, (stage, _) in enumerate(checked):
            _unique("Stage name", stage, (other for other, _ in checked[:index]))
        with self._uow() as uow:
            _unique("Pipeline name", cleaned, (p.name for p in uow.pipelines.all()))
            pipeline_id = uow.pipelines.add(cleaned)
            for (stage, probability), (_, position) in zip(
                checked, renumbered(range(len(checked))), strict=True
            ):
                uow.pipelines.add_stage(pipeline_id, stage, probability, position)
            uow.commit()
        return pipeline_id

    def rename(self, pipeline_id: int, name: str) -> None:
        cleaned = check_name("Pipeline name", name)
        with self._uow() as uow:
            others = (p.name for p in uow.pipelines.all() if p.id != pipeline_id)
            _unique("Pipeline name", cleaned, others)
            uow.pipelines.rename(pipeline_id, cleaned)
            uow.commit()

    def delete(self, pipeline_id: int) -> None:
        """Refused while the pipeline holds deals (of any status)."""
        with self._uow() as uow:
            pipeline = uow.pipelines.get(pipeline_id)
            count = uow.pipelines.deal_count(pipeline_id=pipeline_id)
            if count:
                raise ConflictError(
                    f"Pipeline '{pipeline.name}' still has {_deals(count)}; "
                    "move or delete them first"
                )
            uow.pipelines.delete(pipeline_id)
            uow.commit()

    def add_stage(self, pipeline_id: int, name: str, probability: int) -> int:
        """A new last stage."""
        cleaned = check_name("Stage name", name)
        check_probability(probability)
        with self._uow() as uow:
            pipeline = uow.pipelines.get(pipeline_id)
            _unique("Stage name", cleaned, (stage.name for stage in pipeline.stages))
            last = max((stage.position for stage in pipeline.stages), default=0)
            stage_id = uow.pipelines.add_stage(pipeline_id, cleaned, probability, last + GAP)
            uow.commit()
        return stage_id

    def rename_stage(self, stage_id: int, name: str) -> None:
        cleaned = check_name("Stage name", name)
        with self._uow() as uow:
            ref = uow.pipelines.stage(stage_id)
            others = uow.pipelines.get(ref.pipeline_id).stages
            _unique("Stage name", cleaned, (s.name for s in others if s.id != stage_id))
            uow.pipelines.update_stage(stage_id, cleaned, ref.stage.probability)
            uow.commit()

    def set_probability(self, stage_id: int, probability: int) -> None:
        check_probability(probability)
        with self._uow() as uow:
            stage = uow.pipelines.stage(stage_id).stage
            uow.pipelines.update_stage(stage_id, stage.name, probability)
            uow.commit()

    def move_stage(self, stage_id: int, new_index: int) -> None:
        """Put the stage at `new_index` (0 = first; clamped to the ends)."""
        with self._uow() as uow:
            ref = uow.pipelines.stage(stage_id)
            order = [stage.id for stage in uow.pipelines.get(ref.pipeline_id).stages]
            order.remove(stage_id)
            order.insert(max(0, min(new_index, len(order))), stage_id)
            uow.pipelines.set_stage_positions(renumbered(order))
            uow.commit()

    def remove_stage(self, stage_id: int) -> None:
        """Refused while deals (of any status) are in the stage, and for a pipeline's last one."""
        with self._uow() as uow:
            ref = uow.pipelines.stage(stage_id)
            count = uow.pipelines.deal_count(stage_id=stage_id)
            if count:
                raise ConflictError(
                    f"Stage '{ref.stage.name}' still has {_deals(count)}; move or delete them first"
                )
            if len(uow.pipelines.get(ref.pipeline_id).stages) == 1:
                raise ConflictError(
                    f"Stage '{ref.stage.name}' is the pipeline's only stage; "
                    "a pipeline needs at least one"
                )
            uow.pipelines.delete_stage(stage_id)
            uow.commit()
