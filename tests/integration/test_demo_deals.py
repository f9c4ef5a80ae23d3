"""The demo book's opportunities: a Sales pipeline, 25 deals in two currencies, won and lost."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date

from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.domain.deals import DealStatus
from leadcartel_desktop.services.deal_views import DealFilter
from leadcartel_desktop.services.demo_deals import load_demo_deals
from tests.integration.deal_support import Services


def test_the_demo_pipeline_and_deals(services: Services) -> None:
    customers = [
        (services.contacts.create(Contact(first_name=name)).id, currency)
        for name, currency in (("Ann", "EUR"), ("Bob", "GBP"), ("Cy", "USD"), ("Di", "EUR"))
    ]
    made = load_demo_deals(services, customers, random.Random(7), date(2026, 3, 10))

    assert made == 25
    (pipeline,) = services.pipelines.list()
    assert [(s.name, s.probability) for s in pipeline.stages] == [
        ("Lead", 10),
        ("Qualified", 25),
        ("Proposal", 50),
        ("Negotiation", 75),
        ("Contract sent", 90),
    ]
    rows = services.deals.rows(pipeline.id, DealFilter(statuses=frozenset()), "name", False)
    assert len(rows) == 25
    statuses = Counter(row.status for row in rows)
    assert statuses[DealStatus.WON] >= 3 and statuses[DealStatus.LOST] >= 2
    assert len({row.currency for row in rows}) >= 2
    assert all(row.stage == "Contract sent" for row in rows if row.status is DealStatus.WON)
    board = services.deals.board(pipeline.id)
    assert all(column.cards for column in board.columns)
    won = next(row for row in rows if row.status is DealStatus.WON)
    assert [h.to_stage for h in services.deals.history(won.id)] == [
        "Lead",
        "Qualified",
        "Proposal",
        "Negotiation",
        "Contract sent",
    ]
    changes = [h.changed_at for h in services.deals.history(won.id)]
    assert changes == sorted(changes) and changes[-1] < services.clock.now()  # made in the past
    entered = {card.stage_entered_at.date() for column in board.columns for card in column.cards}
    assert len(entered) >= 5  # days in stage differ from card to card
    today = date(2026, 3, 10)
    for row in rows:
        if row.expected_close is not None and row.status is DealStatus.OPEN:
            assert row.expected_close > today  # an open deal is expected to close ahead
