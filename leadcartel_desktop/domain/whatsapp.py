"""WhatsApp's rules: the 24-hour window for free text, approved templates and their variables."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, timedelta

from leadcartel_desktop.domain.errors import ValidationError

WINDOW = timedelta(hours=24)
TEMPLATE_FIELD = "WhatsApp template"
VARIABLES_FIELD = "WhatsApp variables"
# Twilio's Content SID: "HX" and 32 hex digits (https://www.twilio.com/docs/api/errors/21655).
_TWILIO_CONTENT_SID = re.compile(r"HX[0-9a-fA-F]{32}")
_TEMPLATE_ID = re.compile(r"[A-Za-z0-9_.:-]{1,100}")
_VARIABLE_NAME = re.compile(r"[A-Za-z0-9_]{1,32}")
# The payload keys a queued WhatsApp template message carries (read back by the providers).
TEMPLATE_ID_KEY = "template_id"
TEMPLATE_VARIABLES_KEY = "template_variables"


def needs_template(last_inbound_at: datetime | None, now: datetime) -> bool:
    """True when only an approved template may be sent.

    Free text is allowed only within 24 hours of the contact's last inbound WhatsApp message;
    at exactly 24 hours the window has closed. No inbound message at all: a template.
    """
    if last_inbound_at is None:
        return True
    return now - last_inbound_at >= WINDOW


def check_template_id(template_id: str, *, twilio: bool) -> str:
    """The template id, trimmed; refused (the field named) when empty or malformed."""
    cleaned = template_id.strip()
    if not cleaned:
        raise ValidationError(TEMPLATE_FIELD, "enter the approved template's id")
    if twilio and not _TWILIO_CONTENT_SID.fullmatch(cleaned):
        raise ValidationError(
            TEMPLATE_FIELD, "a Twilio Content SID starts with HX followed by 32 hex digits"
        )
    if not _TEMPLATE_ID.fullmatch(cleaned):
        raise ValidationError(TEMPLATE_FIELD, f"'{cleaned}' is not a template id")
    return cleaned


def parse_variables(text: str) -> dict[str, str]:
    """`1={customer_first_name}; 2={invoice_number}` as {"1": "{customer_first_name}", ...}.

    Entries are separated by semicolons or new lines; a name may appear once.
    """
    variables: dict[str, str] = {}
    for raw in re.split(r"[;\n]", text):
        entry = raw.strip()
        if not entry:
            continue
        name, equals, value = entry.partition("=")
        name = name.strip()
        if not equals:
            raise ValidationError(VARIABLES_FIELD, f"'{entry}' needs the form 1={{field}}")
        if not _VARIABLE_NAME.fullmatch(name):
            raise ValidationError(VARIABLES_FIELD, f"'{name}' is not a variable name such as 1")
        if name in variables:
            raise ValidationError(VARIABLES_FIELD, f"variable {name} is given twice")
        variables[name] = value.strip()
    return variables


def format_variables(variables: Mapping[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in variables.items())


def check_filled(variables: Mapping[str, str], templates: Mapping[str, str]) -> None:
    """Refuse a variable that renders empty: providers reject empty template variables."""
    for name, value in variables.items():
        if not value.strip():
            what = templates.get(name, "")
            raise ValidationError(
                VARIABLES_FIELD,
                f"variable {name} ({what or 'nothing'}) is empty for this invoice; "
                "WhatsApp refuses empty template variables",
            )


def template_of(payload: Mapping[str, object]) -> tuple[str, dict[str, str]] | None:
    """The template id and rendered variables a queued payload carries, or None (free text)."""
    template_id = payload.get(TEMPLATE_ID_KEY)
    if not isinstance(template_id, str) or not template_id:
        return None
    raw = payload.get(TEMPLATE_VARIABLES_KEY)
    given = raw if isinstance(raw, Mapping) else {}
    return template_id, {str(name): str(value) for name, value in given.items()}
