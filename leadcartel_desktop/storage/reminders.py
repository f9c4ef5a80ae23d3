"""Reminders in SQLite: the schedule row, the log of steps queued, and the stop flags."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from leadcartel_desktop.domain.outbox import Channel
from leadcartel_desktop.domain.reminders import (
    DEFAULT_SCHEDULE,
    ReminderSchedule,
    ReminderStep,
    ReminderTemplate,
)
from leadcartel_desktop.services.reminder_ports import OverdueInvoice
from leadcartel_desktop.storage.convert import date_text, instant_text, to_date
from leadcartel_desktop.storage.sql import Statements

_OPEN = "('sent', 'viewed', 'partially_paid')"


def _schedule_from(row: Any) -> ReminderSchedule:
    steps = tuple(ReminderStep(int(s["days"]), Channel(s["channel"])) for s in json.loads(row[1]))
    templates = {
        Channel(name): ReminderTemplate(
            str(t.get("body", "")),
            str(t.get("subject", "")),
            template_id=str(t.get("template_id", "")),  # absent in rows saved before it
            variables=str(t.get("variables", "")),
        )
        for name, t in json.loads(row[2]).items()
    }
    merged = {**DEFAULT_SCHEDULE.templates, **templates}
    return ReminderSchedule(steps, merged, bool(row[0]))


class SqlReminderRepository:
    def __init__(self, sql: Statements) -> None:
        self._sql = sql

    def schedule(self) -> ReminderSchedule:
        row = self._sql.run(
            "SELECT enabled, steps, templates FROM reminder_settings WHERE id = 1"
        ).first()
        return DEFAULT_SCHEDULE if row is None else _schedule_from(row)

    def save_schedule(self, schedule: ReminderSchedule) -> None:
        steps = [{"days": s.days, "channel": s.channel.value} for s in schedule.steps]
        templates = {
            channel.value: {
                "subject": t.subject,
                "body": t.body,
                "template_id": t.template_id,
                "variables": t.variables,
            }
            for channel, t in schedule.templates.items()
        }
        self._sql.run(
            "INSERT INTO reminder_settings (id, enabled, steps, templates) "
            "VALUES (1, :enabled, :steps, :templates) ON CONFLICT (id) DO UPDATE SET "
            "enabled = excluded.enabled, steps = excluded.steps, templates = excluded.templates",
            {
                "enabled": int(schedule.enabled),
                "steps": json.dumps(steps),
                "templates": json.dumps(templates),
            },
        )

    def overdue(self, today: date, min_days: int) -> list[OverdueInvoice]:
        """Open invoices with a balance, at least `min_days` past due, with no stop set."""
        latest_due = date.fromordinal(today.toordinal() - min_days)
        rows = self._sql.tuples(
            f"SELECT i.id, i.contact_id, i.due_date FROM invoices i WHERE i.status IN {_OPEN} "
            "AND i.balance > 0 AND i.due_date <= ? AND i.reminders_stopped = 0 "
            "AND i.contact_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "
            "reminder_customer_stops s WHERE s.contact_id = i.contact_id) ORDER BY i.id",
            (date_text(latest_due),),
        )
        return [OverdueInvoice(int(r[0]), int(r[1]), to_date(r[2])) for r in rows]

    def sent_steps(self, invoice_id: int) -> set[int]:
        rows = self._sql.tuples("SELECT step FROM reminder_log WHERE invoice_id = ?", (invoice_id,))
        return {int(row[0]) for row in rows}

    def claim_step(self, invoice_id: int, step: int, now: datetime) -> bool:
        """Log the step; False when it was logged before (UNIQUE (invoice_id, step))."""
        claimed = self._sql.scalar(
            "INSERT INTO reminder_log (invoice_id, step, sent_at) VALUES (?, ?, ?) "
            "ON CONFLICT (invoice_id, step) DO NOTHING RETURNING id",
            (invoice_id, step, instant_text(now)),
        )
        return claimed is not None

    def set_outbox(self, invoice_id: int, step: int, outbox_id: int) -> None:
        self._sql.run(
            "UPDATE reminder_log SET outbox_id = ? WHERE invoice_id = ? AND step = ?",
            (outbox_id, invoice_id, step),
        )

    def stop_invoice(self, invoice_id: int, stopped: bool) -> None:
        self._sql.run(
            "UPDATE invoices SET reminders_stopped = ? WHERE id = ?", (int(stopped), invoice_id)
        )

    def stop_customer(self, contact_id: int, stopped: bool, now: datetime) -> None:
        if stopped:
            self._sql.run(
                "INSERT INTO reminder_customer_stops (contact_id, stopped_at) VALUES (?, ?) "
                "ON CONFLICT (contact_id) DO NOTHING",
                (contact_id, instant_text(now)),
            )
        else:
            self._sql.run("DELETE FROM reminder_customer_stops WHERE contact_id = ?", (contact_id,))

    def customer_stopped(self, contact_id: int) -> bool:
        found = self._sql.scalar(
            "SELECT 1 FROM reminder_customer_stops WHERE contact_id = ?", (contact_id,)
        )
        return found is not None

    def is_stopped(self, invoice_id: int) -> bool:
        found = self._sql.scalar(
            "SELECT i.reminders_stopped OR EXISTS (SELECT 1 FROM reminder_customer_stops s "
            "WHERE s.contact_id = i.contact_id) FROM invoices i WHERE i.id = ?",
            (invoice_id,),
        )
        return bool(found)
