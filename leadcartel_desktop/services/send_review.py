"""What the Send dialog shows and returns: merge fields, templates, channel choices, results."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field

from leadcartel_desktop.domain.errors import ValidationError
from leadcartel_desktop.domain.invoice import Invoice
from leadcartel_desktop.domain.merge_fields import check_template, render_template
from leadcartel_desktop.domain.outbox import Channel, OutboxMessage, OutboxState
from leadcartel_desktop.services.whatsapp_sending import DEFAULT_VARIABLES

MERGE_FIELDS = (
    "customer_first_name",
    "invoice_number",
    "amount_due",
    "due_date",
    "payment_link",
    "business_name",
)
SMS_MAX_CHARACTERS = 1600  # a longer body is refused by Twilio (error 21617)
_FIELD = re.compile(r"\{[a-z_][a-z0-9_]*\}")
WAITING = "Waiting to send"
SENT = "Sent"
_OPEN = {OutboxState.PENDING, OutboxState.SENDING, OutboxState.UNKNOWN}
_DONE = {OutboxState.SENT, OutboxState.DELIVERED}
_EMPTY = "is empty once the merge fields are filled"
_NO_LINK = (
    " without the payment link; {payment_link} is filled only when the invoice is in the "
    "Lead Cartel cloud, so add some text"
)


@dataclass(frozen=True, slots=True)
class SendTemplates:
    subject: str
    message: str
    sms_message: str


DEFAULT_TEMPLATES = SendTemplates(
    subject="Invoice {invoice_number} from {business_name}",
    message=(
        "Hi {customer_first_name},\n\n"
        "Please find attached invoice {invoice_number} for {amount_due}, due {due_date}.\n\n"
        "Thank you,\n{business_name}"
    ),
    sms_message=(
        "Hi {customer_first_name}, invoice {invoice_number} from {business_name} for "
        "{amount_due} is due {due_date}. {payment_link}"
    ),
)


@dataclass(frozen=True, slots=True)
class ChannelChoice:
    """Whether a channel can carry this invoice, and why not when it cannot."""

    channel: Channel
    recipient: str
    reason: str = ""

    @property
    def possible(self) -> bool:
        return not self.reason


@dataclass(frozen=True, slots=True)
class SendReview:
    """What the Send dialog shows before anything happens."""

    invoice_id: int
    number: str
    is_draft: bool
    customer: str
    email: str
    phone: str
    total: str
    amount_due: str
    due_date: str
    terms: str
    values: dict[str, str]
    channels: tuple[ChannelChoice, ...]
    templates: SendTemplates = DEFAULT_TEMPLATES
    whatsapp_needs_template: bool = True  # outside the 24-hour window (always, until inbound)
    whatsapp_twilio: bool = False  # template ids are Twilio Content SIDs (HX...)
    whatsapp_variables: str = DEFAULT_VARIABLES
    paid_in_full: bool = False  # nothing is owed: no message asks for money (see PAID_IN_FULL)

    def choice(self, channel: Channel) -> ChannelChoice | None:
        return next((c for c in self.channels if c.channel is channel), None)


@dataclass(frozen=True, slots=True)
class SendResult:
    invoice: Invoice
    message_ids: dict[Channel, int] = field(default_factory=dict)
    note: str = ""  # why the cloud's payment link is missing, when it was meant to be used


def check_templates(subject: str, message: str, sms_message: str) -> None:
    """Refuse a template naming a merge field this flow cannot fill, or a stray brace.

    A mistyped field would otherwise reach the customer as typed; the field is named.
    """
    named = ((subject, "Subject"), (message, "Message"), (sms_message, "SMS message"))
    for template, field_name in named:
        check_template(template, MERGE_FIELDS, field_name)
        rest = _FIELD.sub("", template)
        if "{" in rest or "}" in rest:
            raise ValidationError(
                field_name,
                "a brace without its merge field; write fields as {invoice_number}, "
                "or remove the brace",
            )


def paid_in_full(number: str) -> str:
    """Why a paid invoice's messages are refused (the Send dialog shows it too)."""
    return (
        f"Invoice {number} is paid in full, so there is nothing to ask the customer for: "
        "it is not sent as a request for payment. Tick Download PDF or Print to give them "
        "a copy."
    )


def check_filled(
    channels: Collection[Channel], subject: str, body: str, sms: str, *, sms_text: bool = True
) -> None:
    """Refuse a message that would go out empty once its merge fields are filled.

    `subject`, `body` and `sms` are rendered without the payment link: a template of only
    {payment_link} is empty whenever the cloud cannot make the link. `sms_text`: WhatsApp
    carries the SMS text (False when it goes as an approved template instead).
    """
    if Channel.EMAIL in channels:
        if not subject.strip():
            raise ValidationError("Subject", _EMPTY + "; an email needs a subject")
        if not body.strip():
            raise ValidationError("Message", _EMPTY)
    texting = Channel.SMS in channels or (Channel.WHATSAPP in channels and sms_text)
    if texting and not sms.strip():
        raise ValidationError("SMS message", _EMPTY + _NO_LINK)


def check_sms(text: str) -> None:
    """Refuse an empty SMS, or one longer than providers carry (Twilio's limit)."""
    if not text.strip():
        raise ValidationError("SMS message", _EMPTY + _NO_LINK)
    length = len(text)
    if length > SMS_MAX_CHARACTERS:
        raise ValidationError(
            "SMS message",
            f"{length} characters; an SMS can carry at most {SMS_MAX_CHARACTERS}. "
            "Shorten it (the payment link and the invoice carry the details).",
        )


def render(template: str, values: Mapping[str, str]) -> str:
    """Fill the merge fields; spaces left by an empty field (no payment link) are tidied."""
    text = render_template(template, {name: values.get(name, "") for name in MERGE_FIELDS})
    return re.sub(r"[ \t]+(\n|$)", r"\1", text).strip()


def delivery_of(rows: Iterable[OutboxMessage]) -> str:
    """'Waiting to send' until every message is accepted, then 'Sent'; '' when none."""
    states = [row.state for row in rows if row.state is not OutboxState.CANCELLED]
    if not states:
        return ""
    if any(state in _OPEN for state in states):
        return WAITING
    if any(state is OutboxState.FAILED for state in states):
        return "Not sent"
    return SENT
