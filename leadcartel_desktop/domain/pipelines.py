"""Pipelines and their ordered stages, each with a win probability."""

from __future__ import annotations

from dataclasses import dataclass

from leadcartel_desktop.domain.errors import ValidationError
from leadcartel_desktop.domain.text import check_no_control

MAX_NAME = 200


@dataclass(frozen=True, slots=True)
class Stage:
    """A column of the board; `position` orders the stages of one pipeline."""

    id: int
    name: str
    probability: int
    position: int


@dataclass(frozen=True, slots=True)
class Pipeline:
    id: int
    name: str
    stages: tuple[Stage, ...]
    remote_id: str | None = None

    def stage(self, stage_id: int) -> Stage | None:
        return next((stage for stage in self.stages if stage.id == stage_id), None)


def check_name(field: str, name: str) -> str:
    """The trimmed name, or ValidationError naming `field` (empty, too long, control chars)."""
    cleaned = name.strip()
    if not cleaned:
        raise ValidationError(field, "is required")
    if len(cleaned) > MAX_NAME:
        raise ValidationError(field, f"is longer than {MAX_NAME} characters")
    check_no_control(field, cleaned)
    return cleaned


def check_probability(probability: int) -> int:
    if isinstance(probability, bool) or not isinstance(probability, int):
        raise ValidationError("Probability", "must be a whole number of percent")
    if not 0 <= probability <= 100:
        raise ValidationError("Probability", f"{probability}% is outside 0-100%")
    return probability
