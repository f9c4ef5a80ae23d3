"""Payment terms: Net N days from the issue date."""

from __future__ import annotations

from datetime import date, timedelta

from leadcartel_desktop.domain.errors import ValidationError


def due_date_for_net(issue_date: date, days: int) -> date:
    if days < 0 or days > 3650:
        raise ValidationError("Payment terms", "Net days must be between 0 and 3650")
    return issue_date + timedelta(days=days)


def check_due_date(issue_date: date, due_date: date) -> None:
    if due_date < issue_date:
        raise ValidationError("Due date", "cannot be before the issue date")
