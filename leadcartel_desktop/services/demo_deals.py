"""The demo book's opportunities: a Sales pipeline and deals over the demo customers."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta

from leadcartel_desktop.domain.deals import DealStatus
from leadcartel_desktop.domain.money import exponent
from leadcartel_desktop.services.deal_views import DealDraft
from leadcartel_desktop.services.registry import Services

SALES_STAGES = (
    ("Lead", 10),
    ("Qualified", 25),
    ("Proposal", 50),
    ("Negotiation", 75),
    ("Closed", 100),
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


def load_demo_deals(
    services: Services, customers: Sequence[tuple[int, str]], rng: random.Random, today: date
) -> int:
    """The pipeline and its deals; each deal walks from Lead to its stage (history kept)."""
    pipeline_id = services.pipelines.create("Sales", SALES_STAGES)
    stage_ids = [stage.id for stage in services.pipelines.get(pipeline_id).stages]
    made = 0
    for name, (status, stage) in zip(DEALS, PLAN, strict=True):
        contact_id, currency = rng.choice(list(customers))
        major = rng.choice((800, 1200, 2500, 3900, 6400, 9800, 15000, 24000))
        close = None if made % 9 == 4 else today + timedelta(days=rng.randint(-20, 120))
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
        deal_id = services.deals.create(draft)
        for step in range(1, stage + 1):
            services.deals.move(deal_id, stage_ids[step], 10**6)
        if status is not DealStatus.OPEN:
            reason = rng.choice(LOST_REASONS) if status is DealStatus.LOST else ""
            services.deals.set_status(deal_id, status, reason)
        made += 1
    return made
