"""The demo book's opportunities: a Sales pipeline and deals over the demo customers."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from leadcartel_desktop.domain.deals import DealStatus
from leadcartel_desktop.domain.money import exponent
from leadcartel_desktop.services.deal_views import DealDraft
from leadcartel_desktop.services.registry import Services

SALES_STAGES = (
    ("Lead", 10),
    ("Qualified", 25),
    ("Proposal", 50),
    ("Negotiation", 75),
    ("Contract sent", 90),
)
DEALS = (
    "Brand refresh", "Website redesign", "Annual report layout", "Product photo shoot",
    "Trade fair stand", "Packaging for the spring range", "Newsletter templates",
    "Logo and stationery", "Menu and signage", "Catalogue translation", "E-shop photos",
    "Conference visuals", "Podcast artwork", "Social media kit", "Event invitations",
    "Museum guide print run", "Office wayfinding", "Wine labels", "Recruitment campaign",
    "Hotel brochure", "Illustrated map", "Investor deck", "Retail window display",
    "Magazine launch issue", "Charity gala programme",
)  # fmt: skip
# (status, stage index) for each deal in turn; open deals fill the pipeline, left to right.
PLAN = (
    [(DealStatus.WON, 4)] * 4
    + [(DealStatus.LOST, 2), (DealStatus.LOST, 3), (DealStatus.LOST, 1)]
    + [(DealStatus.ABANDONED, 0)]
    + [(DealStatus.OPEN, stage) for stage in (0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 4, 4)]
)
LOST_REASONS = ("Went with a cheaper studio", "Budget cut this year", "Project postponed")
SOURCES = ("Referral", "Website form", "Trade fair", "LinkedIn", "Returning customer", "")


@dataclass(slots=True)
class _DemoClock:
    """The instant each demo change is stamped with: deals entered their stages days ago."""

    instant: datetime

    def now(self) -> datetime:
        return self.instant


def load_demo_deals(
    services: Services, customers: Sequence[tuple[int, str]], rng: random.Random, today: date
) -> int:
    """The pipeline and its deals; each deal walks from Lead to its stage (history kept).

    Each deal was made weeks ago and moved on every few days, so the cards show varied days
    in stage; open deals are expected to close in the coming months, closed ones already did.
    """
    pipeline_id = services.pipelines.create("Sales", SALES_STAGES)
    stage_ids = [stage.id for stage in services.pipelines.get(pipeline_id).stages]
    now = services.clock.now()
    clock = _DemoClock(now)
    deals = services.deals_stamped_by(clock)
    made = 0
    for name, (status, stage) in zip(DEALS, PLAN, strict=True):
        contact_id, currency = rng.choice(list(customers))
        major = rng.choice((800, 1200, 2500, 3900, 6400, 9800, 15000, 24000))
        if made % 9 == 4:
            close = None
        elif status is DealStatus.OPEN:
            close = today + timedelta(days=rng.randint(7, 120))
        else:
            close = today - timedelta(days=rng.randint(3, 60))
        draft = DealDraft(
            name=name,
            contact_id=contact_id,
            value_minor=(major + rng.choice((0, 0, 50, 250))) * 10 ** exponent(currency),
            currency=currency,
            expected_close=close,
            pipeline_id=pipeline_id,
            stage_id=stage_ids[0],
            source=rng.choice(SOURCES),
        )
        steps = [timedelta(days=rng.randint(2, 12), hours=rng.randint(0, 9)) for _ in range(stage)]
        clock.instant = now - sum(steps, timedelta(days=rng.randint(1, 9), hours=3))
        deal_id = deals.create(draft)
        for step, waited in enumerate(steps, start=1):
            clock.instant += waited
            deals.move(deal_id, stage_ids[step], 10**6)
        if status is not DealStatus.OPEN:
            clock.instant += timedelta(days=1)
            reason = rng.choice(LOST_REASONS) if status is DealStatus.LOST else ""
            deals.set_status(deal_id, status, reason)
        made += 1
    return made
