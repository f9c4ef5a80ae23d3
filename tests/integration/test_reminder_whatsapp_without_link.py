"""WhatsApp reminder template variables naming {payment_link}, without a cloud link."""

from __future__ import annotations

from typing import Any

from leadcartel_desktop.domain.outbox import Channel
from tests.integration.test_reminder_whatsapp import SID, issue, reminders, schedule, use_twilio

__all__ = ["reminders"]


def test_only_the_link_variable_is_skipped_with_the_field_named(context: Any, reminders) -> None:
    use_twilio(context)
    reminders.save_schedule(schedule(SID, "1={customer_first_name}; 2={payment_link}"))
    invoice_id = issue(context)
    run = reminders.run()
    assert run.queued == 0
    (skipped,) = run.skipped
    assert "variable 2" in skipped.reason and "empty" in skipped.reason, skipped.reason
    assert context.services.outbox.for_invoice(invoice_id) == []


def test_a_prompt_and_link_variable_leaves_no_dangling_prompt(context: Any, reminders) -> None:
    use_twilio(context)
    reminders.save_schedule(schedule(SID, "1={customer_first_name}; 2=Pay here: {payment_link}"))
    invoice_id = issue(context)
    reminders.run()
    rows = context.services.outbox.for_invoice(invoice_id)
    for row in rows:
        variables = row.payload.get("template_variables", {})
        assert not str(variables.get("2", "x")).rstrip().endswith(":"), variables
    assert rows == [] or rows[0].channel is Channel.WHATSAPP
