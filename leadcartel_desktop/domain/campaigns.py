"""Campaigns: one message to many contacts on one channel, its statuses and who is left out."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, time
from enum import StrEnum

from leadcartel_desktop.domain.contact import is_e164
from leadcartel_desktop.domain.errors import FormError, ValidationError
from leadcartel_desktop.domain.merge_fields import check_template
from leadcartel_desktop.domain.outbox import Channel
from leadcartel_desktop.domain.send_windows import ALL_DAYS, MIDNIGHT, SendWindow, interval

CAMPAIGN_CHANNELS = (Channel.SMS, Channel.WHATSAPP, Channel.EMAIL)
MERGE_FIELDS = ("first_name", "last_name", "company", "email", "phone", "business_name")
QUIET_CHANNELS = frozenset({Channel.SMS, Channel.WHATSAPP})
DEFAULT_PER_MINUTE = 30
MAX_PER_MINUTE = 6000
NAME_LIMIT = 200
BODY_LIMIT = 10_000
TEXT_LIMIT = 1600  # SMS and WhatsApp: Twilio refuses a longer body (error 21617)
# What an operator meant as a merge field but mistyped: other case, spaces, no closing brace.
_LOOSE_FIELD = re.compile(r"\{ {0,3}([A-Za-z_][A-Za-z0-9_ ]{0,40}?) {0,3}\}")
_UNCLOSED_FIELD = re.compile(r"\{ {0,3}[A-Za-z_][A-Za-z0-9_]{0,40}+(?![A-Za-z0-9_ ]*\})")


class CampaignStatus(StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"  # launched, first message not due yet
    RUNNING = "running"
    PAUSED = "paused"
    DONE = "done"  # shown once every message has ended (derived, see shown_status)
    CANCELLED = "cancelled"


class LeftOutReason(StrEnum):
    OPTED_OUT = "opted out"
    DO_NOT_CONTACT = "do not contact"
    NO_PHONE = "no phone"
    NO_EMAIL = "no email"
    INVALID_NUMBER = "invalid number"
    NEEDS_TEMPLATE = "outside WhatsApp's 24-hour window (an approved template is needed)"
    EMPTY_VARIABLE = "a WhatsApp template variable would be empty"
    SAME_ADDRESS = "shares its phone or email with another recipient (sent once)"
    TOO_LONG = f"message over {TEXT_LIMIT:,} characters with their details filled in"


@dataclass(frozen=True, slots=True)
class AudienceSpec:
    """Who the operator picked: groups, tags and single contacts (a contact counts once)."""

    group_ids: tuple[int, ...] = ()
    tags: tuple[str, ...] = ()
    contact_ids: tuple[int, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.group_ids or self.tags or self.contact_ids)


@dataclass(frozen=True, slots=True)
class CampaignDraft:
    """What the New Campaign editor holds; `hours` start-end local, equal for the whole day."""

    name: str
    channel: Channel
    body: str = ""
    subject: str = ""  # email
    whatsapp_template_id: str = ""  # WhatsApp outside the 24-hour window
    whatsapp_variables: Mapping[str, str] = field(default_factory=dict)
    audience: AudienceSpec = field(default_factory=AudienceSpec)
    per_minute: int = DEFAULT_PER_MINUTE
    weekdays: frozenset[int] = ALL_DAYS
    hours: tuple[time, time] = (MIDNIGHT, MIDNIGHT)

    @property
    def window(self) -> SendWindow:
        return SendWindow(self.weekdays, self.hours[0], self.hours[1], self.quiet)

    @property
    def quiet(self) -> bool:
        return self.channel in QUIET_CHANNELS

    def check(self) -> None:
        """Refuse what cannot be sent, naming every field at fault (FormError for several)."""
        found = self.problems()
        if len(found) == 1:
            raise found[0]
        if found:
            raise FormError(found)

    def problems(self) -> list[ValidationError]:
        """Each part's first problem: the name, the message, the pacing, the window."""
        found: list[ValidationError] = []
        for part in (self._check_name, self.check_message, self._check_pacing):
            try:
                part()
            except ValidationError as error:
                found.append(error)
        return found

    def _check_name(self) -> None:
        if not self.name.strip():
            raise ValidationError("Name", "is required")
        if len(self.name) > NAME_LIMIT:
            raise ValidationError("Name", f"is longer than {NAME_LIMIT} characters")

    def _check_pacing(self) -> None:
        if self.per_minute > MAX_PER_MINUTE:
            raise ValidationError("Messages per minute", f"must be at most {MAX_PER_MINUTE}")
        interval(self.per_minute)
        self.window.check()

    def check_message(self) -> None:
        """The message alone (what a preview needs): text, subject, merge fields."""
        if self.channel not in CAMPAIGN_CHANNELS:
            raise ValidationError("Channel", "choose SMS, WhatsApp or email")
        if not (self.body.strip() or self.whatsapp_template_id.strip()):
            raise ValidationError("Message", "is empty")
        if len(self.body) > BODY_LIMIT:
            raise ValidationError("Message", f"is longer than {BODY_LIMIT} characters")
        if self.quiet and len(self.body) > TEXT_LIMIT:
            raise ValidationError(
                "Message", f"is {len(self.body)} characters; a text can carry at most {TEXT_LIMIT}"
            )
        check_fields(self.body, "Message")
        if self.channel is Channel.EMAIL:
            if not self.subject.strip():
                raise ValidationError("Subject", "is required for an email")
            if "\n" in self.subject or "\r" in self.subject:
                raise ValidationError("Subject", "must be one line")
            check_fields(self.subject, "Subject")
        for value in self.whatsapp_variables.values():
            check_fields(value, "WhatsApp variables")


def check_fields(text: str, field: str) -> None:
    """Refuse an unknown merge field, and one mistyped so it would go out as typed."""
    check_template(text, MERGE_FIELDS, field)
    options = ", ".join("{" + name + "}" for name in MERGE_FIELDS)
    for match in _LOOSE_FIELD.finditer(text):
        if match.group(1) not in MERGE_FIELDS or match.group(0) != "{" + match.group(1) + "}":
            raise ValidationError(field, f"{match.group(0)} is not a merge field; use {options}")
    unclosed = _UNCLOSED_FIELD.search(text)
    if unclosed:
        raise ValidationError(field, f"the merge field {unclosed.group(0)} has no closing brace")


@dataclass(frozen=True, slots=True)
class Campaign:
    """A saved campaign: the draft plus its status and times (UTC)."""

    id: int
    draft: CampaignDraft
    status: CampaignStatus
    scheduled_for: datetime | None = None
    created_at: datetime | None = None
    launched_at: datetime | None = None


def shown_status(
    status: CampaignStatus, scheduled_for: datetime | None, now: datetime, open_rows: int
) -> CampaignStatus:
    """The status to show: a launched campaign is scheduled, running, then done by itself."""
    if status not in (CampaignStatus.SCHEDULED, CampaignStatus.RUNNING):
        return status
    if open_rows == 0:
        return CampaignStatus.DONE
    if scheduled_for is not None and scheduled_for > now:
        return CampaignStatus.SCHEDULED
    return CampaignStatus.RUNNING


def outbox_key(campaign_id: int, contact_id: int) -> str:
    """The idempotency key: each contact receives each campaign at most once."""
    return f"campaign:{campaign_id}:contact:{contact_id}"


def text_too_long(channel: Channel, text: str) -> bool:
    """Whether a recipient's SMS or WhatsApp text, merge fields filled, is over TEXT_LIMIT.

    Twilio refuses a longer body (error 21617); a template that fits can still go over for a
    contact with a long name.
    """
    return channel in QUIET_CHANNELS and len(text) > TEXT_LIMIT


def left_out_reason(
    channel: Channel, phone: str, email: str, *, opted_out: bool, do_not_contact: bool
) -> LeftOutReason | None:
    """Why a contact gets no message on `channel`, or None when they can be sent one."""
    if opted_out:
        return LeftOutReason.OPTED_OUT
    if do_not_contact:
        return LeftOutReason.DO_NOT_CONTACT
    if channel is Channel.EMAIL:
        return None if email.strip() else LeftOutReason.NO_EMAIL
    if not phone.strip():
        return LeftOutReason.NO_PHONE
    if not is_e164(phone):
        return LeftOutReason.INVALID_NUMBER
    return None
