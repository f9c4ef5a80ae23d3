"""WhatsApp in the Send flow: is the 24-hour window open, and the payload the outbox queues."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from leadcartel_desktop.domain.errors import ValidationError
from leadcartel_desktop.domain.merge_fields import check_template
from leadcartel_desktop.domain.outbox import Channel
from leadcartel_desktop.domain.whatsapp import (
    TEMPLATE_FIELD,
    TEMPLATE_ID_KEY,
    TEMPLATE_VARIABLES_KEY,
    VARIABLES_FIELD,
    check_filled,
    check_template_id,
    format_variables,
    needs_template,
    parse_variables,
)
from leadcartel_desktop.services.ports import Clock

# The approved template's numbered variables, filled from the Send flow's merge fields.
# {payment_link} is left out by default: without the cloud account it is empty, and WhatsApp
# refuses an empty variable; the operator can map it when the cloud supplies the link.
DEFAULT_VARIABLES = format_variables({
    "1": "{customer_first_name}",
    "2": "{invoice_number}",
    "3": "{amount_due}",
    "4": "{due_date}",
})  # fmt: skip
OUTSIDE_WINDOW = (
    "Outside WhatsApp's 24-hour window: choose an approved template (its id and variables); "
    "free text is allowed only within 24 hours of the customer's last WhatsApp message."
)


class InboundMessages(Protocol):
    """Messages customers sent us; Conversations will store them."""

    def last_inbound_at(self, channel: Channel, address: str) -> datetime | None:
        """When `address` last wrote to us on `channel`; None when never (or not known)."""
        ...


class NoInboundMessages:
    """No inbound message is stored yet, so WhatsApp's window is never known to be open."""

    def last_inbound_at(self, channel: Channel, address: str) -> datetime | None:
        return None


class WhatsAppWindow:
    """Whether a WhatsApp message to an address must be an approved template now."""

    def __init__(self, inbound: InboundMessages | None = None, clock: Clock | None = None) -> None:
        if inbound is not None and clock is None:
            raise ValueError("judging an inbound message's age needs a clock")
        self._inbound = inbound or NoInboundMessages()
        self._clock = clock

    def needs_template(self, address: str) -> bool:
        last = self._inbound.last_inbound_at(Channel.WHATSAPP, address) if address else None
        if last is None or self._clock is None:
            return True
        return needs_template(last, self._clock.now())


@dataclass(frozen=True, slots=True)
class WhatsAppRequest:
    """What the operator chose in the Send dialog: the template id and its variables."""

    template_id: str = ""
    variables: str = DEFAULT_VARIABLES


def check_request(
    request: WhatsAppRequest, fields: Iterable[str], *, needs: bool, twilio: bool
) -> dict[str, str] | None:
    """The variables' templates ({"1": "{customer_first_name}"}), None for free text.

    Refused, the field named, when a template is needed and missing, or is malformed.
    """
    known = tuple(fields)
    if not request.template_id.strip():
        if needs:
            raise ValidationError(TEMPLATE_FIELD, OUTSIDE_WINDOW)
        return None
    check_template_id(request.template_id, twilio=twilio)
    templates = parse_variables(request.variables)
    for template in templates.values():
        check_template(template, known, VARIABLES_FIELD)
    return templates


def whatsapp_payload(
    request: WhatsAppRequest,
    fields: Iterable[str],
    fill: Callable[[str], str],
    *,
    needs: bool,
    twilio: bool,
    free_text: str,
) -> dict[str, object]:
    """The outbox payload: an approved template with its rendered variables, or free text.

    `fill` renders a merge-field template for this customer; `body` describes a template
    message for the outbox list (the provider sends the template itself).
    """
    templates = check_request(request, fields, needs=needs, twilio=twilio)
    if templates is None:
        return {"body": free_text}
    template_id = request.template_id.strip()
    variables = {name: fill(template) for name, template in templates.items()}
    check_filled(variables, templates)
    shown = "; ".join(f"{name}={value}" for name, value in variables.items())
    return {
        "body": f"WhatsApp template {template_id}: {shown}",
        TEMPLATE_ID_KEY: template_id,
        TEMPLATE_VARIABLES_KEY: variables,
    }
