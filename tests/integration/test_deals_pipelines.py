"""Pipelines and stages through the real services: refusals while deals remain, order, names."""

from __future__ import annotations

from dataclasses import replace

import pytest

from leadcartel_desktop.domain.deals import DealStatus
from leadcartel_desktop.domain.errors import ConflictError, NotFoundError, ValidationError
from tests.integration.deal_support import Book, Services, sales_book


@pytest.fixture
def book(services: Services) -> Book:
    return sales_book(services)


def _stages(services: Services, pipeline_id: int) -> list[tuple[str, int]]:
    return [(stage.name, stage.probability) for stage in services.pipelines.get(pipeline_id).stages]


def test_a_pipeline_keeps_its_stages_in_order(book: Book) -> None:
    services = book.services
    assert _stages(services, book.pipeline_id) == [
        ("Lead", 10),
        ("Qualified", 25),
        ("Proposal", 50),
        ("Won", 100),
    ]
    services.pipelines.add_stage(book.pipeline_id, "Negotiation", 75)
    services.pipelines.move_stage(services.pipelines.get(book.pipeline_id).stages[-1].id, 3)
    services.pipelines.rename_stage(book.stage_ids[3], "Closed")
    services.pipelines.set_probability(book.stage_ids[0], 5)
    services.pipelines.rename(book.pipeline_id, "New business")
    assert _stages(services, book.pipeline_id) == [
        ("Lead", 5),
        ("Qualified", 25),
        ("Proposal", 50),
        ("Negotiation", 75),
        ("Closed", 100),
    ]
    assert [p.name for p in services.pipelines.list()] == ["New business"]
    board = services.deals.board(book.pipeline_id)
    assert [column.stage.name for column in board.columns][3] == "Negotiation"


def test_a_pipeline_with_deals_cannot_be_deleted(book: Book) -> None:
    services = book.services
    first = book.deal("A")
    lost = book.deal("B", stage=2)
    services.deals.set_status(lost, DealStatus.LOST)
    with pytest.raises(ConflictError) as raised:
        services.pipelines.delete(book.pipeline_id)
    assert "still has 2 deals; move or delete them first" in raised.value.message
    services.deals.delete(first)
    services.deals.delete(lost)
    services.pipelines.delete(book.pipeline_id)
    assert services.pipelines.list() == []
    with pytest.raises(NotFoundError):
        services.pipelines.get(book.pipeline_id)


def test_a_stage_with_deals_cannot_be_removed(book: Book) -> None:
    services = book.services
    won = book.deal("A", stage=1)
    services.deals.set_status(won, DealStatus.WON)
    with pytest.raises(ConflictError) as raised:
        services.pipelines.remove_stage(book.stage_ids[1])
    assert raised.value.message == ("Stage 'Qualified' still has 1 deal; move or delete them first")
    services.pipelines.remove_stage(book.stage_ids[2])
    assert [name for name, _ in _stages(services, book.pipeline_id)] == ["Lead", "Qualified", "Won"]


def test_the_last_stage_cannot_be_removed(services: Services) -> None:
    pipeline_id = services.pipelines.create("Solo", [("Only", 50)])
    with pytest.raises(ConflictError):
        services.pipelines.remove_stage(services.pipelines.get(pipeline_id).stages[0].id)


@pytest.mark.parametrize(
    ("name", "stages", "field"),
    [
        ("  ", [("Lead", 10)], "Pipeline name"),
        ("Sales", [("", 10)], "Stage name"),
        ("Sales", [("Lead", 101)], "Probability"),
        ("Sales", [("Lead", -1)], "Probability"),
        ("Sales", [], "Stages"),
    ],
)
def test_pipeline_validation_names_the_field(
    services: Services, name: str, stages: list[tuple[str, int]], field: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        services.pipelines.create(name, stages)
    assert raised.value.field == field
    assert services.pipelines.list() == []


def test_stage_edits_are_validated(book: Book) -> None:
    services = book.services
    with pytest.raises(ValidationError) as raised:
        services.pipelines.set_probability(book.stage_ids[0], 120)
    assert raised.value.field == "Probability"
    with pytest.raises(ValidationError) as raised:
        services.pipelines.rename_stage(book.stage_ids[0], " ")
    assert raised.value.field == "Stage name"
    with pytest.raises(ValidationError) as raised:
        services.pipelines.rename(book.pipeline_id, "")
    assert raised.value.field == "Pipeline name"


def test_a_deal_must_name_a_stage_of_its_pipeline_and_a_known_contact(book: Book) -> None:
    services = book.services
    other = services.pipelines.create("Hiring", [("Applied", 5)])
    foreign_stage = services.pipelines.get(other).stages[0].id
    draft = book.draft("A")
    with pytest.raises(ValidationError) as raised:
        services.deals.create(replace(draft, stage_id=foreign_stage))
    assert raised.value.field == "Stage"
    with pytest.raises(ValidationError) as raised:
        services.deals.create(book.draft("A", contact=9999))
    assert raised.value.field == "Contact"
    with pytest.raises(ValidationError) as raised:
        services.deals.create(book.draft("A", value=-5))
    assert raised.value.field == "Value"
    with pytest.raises(ValidationError) as raised:
        services.deals.create(book.draft("A", currency="dollars"))
    assert raised.value.field == "Currency"
    assert book.column(0) == []


def test_names_that_cannot_be_told_apart_are_refused(book: Book) -> None:
    services = book.services
    hiring = services.pipelines.create("Hiring", [("Applied", 5)])
    refusals = [
        (lambda: services.pipelines.create(" sales ", [("Idea", 5)]), "Pipeline name"),
        (lambda: services.pipelines.rename(hiring, "SALES"), "Pipeline name"),
        (lambda: services.pipelines.create("Other", [("A", 5), ("a", 9)]), "Stage name"),
        (lambda: services.pipelines.add_stage(book.pipeline_id, "lead", 5), "Stage name"),
        (lambda: services.pipelines.rename_stage(book.stage_ids[1], "Won"), "Stage name"),
    ]
    for attempt, field in refusals:
        with pytest.raises(ValidationError) as raised:
            attempt()
        assert raised.value.field == field
        assert "already taken" in raised.value.message
    assert sorted(p.name for p in services.pipelines.list()) == ["Hiring", "Sales"]
    assert [name for name, _ in _stages(services, book.pipeline_id)] == [
        "Lead",
        "Qualified",
        "Proposal",
        "Won",
    ]
    services.pipelines.rename(book.pipeline_id, "sales")  # its own name, in another case
    services.pipelines.rename_stage(book.stage_ids[0], "LEAD")
    services.pipelines.add_stage(hiring, "Lead", 10)  # another pipeline's stage name
    assert _stages(services, book.pipeline_id)[0] == ("LEAD", 10)
