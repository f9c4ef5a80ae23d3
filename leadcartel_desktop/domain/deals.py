"""Deals: what the operator may be paid, where it stands, and the rules a deal keeps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from leadcartel_desktop.domain.errors import ValidationError
from leadcartel_desktop.domain.money import check_currency
from leadcartel_desktop.domain.pipelines import check_name
from leadcartel_desktop.domain.text import check_no_control

# Far beyond any real deal, and safely inside SQLite's 64-bit INTEGER (same as invoices).
MAX_VALUE = 10**15
MAX_NOTES = 10_000
MAX_SOURCE = 200
MAX_LOST_REASON = 1_000


class DealStatus(StrEnum):
    """Stored as text; the values are HighLevel's opportunity statuses."""

    OPEN = "open"
    WON = "won"
    LOST = "lost"
    ABANDONED = "abandoned"

    @property
    def label(self) -> str:
        return self.value.capitalize()


@dataclass(frozen=True, slots=True)
class DealDraft:
    """What the New Deal / Edit Deal form hands over; `value_minor` in the currency's minor unit."""

    name: str
    contact_id: int | None
    value_minor: int
    currency: str
    expected_close: date | None
    pipeline_id: int
    stage_id: int
    source: str = ""
    notes: str = ""

    def cleaned(self) -> DealDraft:
        """The draft trimmed and checked; ValidationError names the first field at fault."""
        name = check_name("Name", self.name)
        currency = check_currency(self.currency)
        value = check_value(self.value_minor)
        source = self.source.strip()
        if len(source) > MAX_SOURCE:
            raise ValidationError("Source", f"is longer than {MAX_SOURCE} characters")
        check_no_control("Source", source)
        if len(self.notes) > MAX_NOTES:
            raise ValidationError("Notes", f"is longer than {MAX_NOTES} characters")
        check_no_control("Notes", self.notes, multiline=True)
        return DealDraft(
            name=name,
            contact_id=self.contact_id,
            value_minor=value,
            currency=currency,
            expected_close=self.expected_close,
            pipeline_id=self.pipeline_id,
            stage_id=self.stage_id,
            source=source,
            notes=self.notes,
        )


def check_value(value_minor: int) -> int:
    if isinstance(value_minor, bool) or not isinstance(value_minor, int):
        raise ValidationError("Value", "must be a whole number of minor units")
    if value_minor < 0:
        raise ValidationError("Value", "cannot be negative")
    if value_minor > MAX_VALUE:
        raise ValidationError("Value", "is too large")
    return value_minor


def check_lost_reason(status: DealStatus, reason: str) -> str:
    """The reason is optional, kept for Lost (and Abandoned) and cleared for Open and Won."""
    cleaned = reason.strip()
    if status in (DealStatus.OPEN, DealStatus.WON):
        return ""
    if len(cleaned) > MAX_LOST_REASON:
        raise ValidationError("Lost reason", f"is longer than {MAX_LOST_REASON} characters")
    check_no_control("Lost reason", cleaned, multiline=True)
    return cleaned


def close_passed(status: DealStatus, expected_close: date | None, today: date) -> bool:
    """An open deal whose expected close date is behind us: the board and list mark it."""
    return status is DealStatus.OPEN and expected_close is not None and expected_close < today
