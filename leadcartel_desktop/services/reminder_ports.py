"""Ports for payment reminders: the schedule, the log of steps queued and the stop flags."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from leadcartel_desktop.domain.reminders import ReminderSchedule


@dataclass(frozen=True, slots=True)
class OverdueInvoice:
    id: int
    contact_id: int
    due_date: date


class ReminderRepository(Protocol):
    def schedule(self) -> ReminderSchedule: ...

    def save_schedule(self, schedule: ReminderSchedule) -> None: ...

    def overdue(self, today: date, min_days: int) -> list[OverdueInvoice]:
        """Open invoices with a balance at least `min_days` past due, with no stop set."""
        ...

    def sent_steps(self, invoice_id: int) -> set[int]: ...

    def claim_step(self, invoice_id: int, step: int, now: datetime) -> bool:
        """Log the step as queued; False when it already was (it is never queued twice)."""
        ...

    def set_outbox(self, invoice_id: int, step: int, outbox_id: int) -> None: ...

    def stop_invoice(self, invoice_id: int, stopped: bool) -> None: ...

    def stop_customer(self, contact_id: int, stopped: bool, now: datetime) -> None: ...

    def customer_stopped(self, contact_id: int) -> bool: ...

    def is_stopped(self, invoice_id: int) -> bool: ...
