"""A small sales book for the Opportunities tests: one pipeline, two contacts, helpers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.services.deal_views import DealDraft

Services = Any  # leadcartel_desktop.services.registry.Services

STAGES = [("Lead", 10), ("Qualified", 25), ("Proposal", 50), ("Won", 100)]


@dataclass
class Book:
    services: Services
    pipeline_id: int
    stage_ids: list[int]
    ann: int
    bob: int

    def draft(
        self,
        name: str,
        value: int = 1000,
        currency: str = "USD",
        stage: int = 0,
        contact: int | None = None,
        close: date | None = None,
    ) -> DealDraft:
        return DealDraft(
            name=name,
            contact_id=contact,
            value_minor=value,
            currency=currency,
            expected_close=close,
            pipeline_id=self.pipeline_id,
            stage_id=self.stage_ids[stage],
        )

    def deal(self, name: str, **options: Any) -> int:
        deal_id: int = self.services.deals.create(self.draft(name, **options))
        return deal_id

    def column(self, stage: int) -> list[str]:
        board = self.services.deals.board(self.pipeline_id)
        return [card.name for card in board.columns[stage].cards]


def sales_book(services: Services) -> Book:
    pipeline_id = services.pipelines.create("Sales", STAGES)
    pipeline = services.pipelines.get(pipeline_id)
    ann = services.contacts.create(Contact(first_name="Ann", last_name="Lee")).id
    bob = services.contacts.create(Contact(first_name="Bob", company="Bobcat Ltd")).id
    return Book(services, pipeline_id, [stage.id for stage in pipeline.stages], ann, bob)
