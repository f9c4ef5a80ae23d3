"""How conversations read on screen: channel names, times, statuses and left-out reasons."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache

from leadcartel_desktop.domain.campaigns import CampaignStatus
from leadcartel_desktop.domain.outbox import Channel, OutboxState
from leadcartel_desktop.i18n.formatting import DEFAULT_LOCALE, format_date
from leadcartel_desktop.services.outbox_view import BusinessTime
from leadcartel_desktop.services.thread_views import MessageStatus

CHANNEL_NAMES: dict[Channel, str] = {
    Channel.SMS: "SMS",
    Channel.WHATSAPP: "WhatsApp",
    Channel.EMAIL: "Email",
    Channel.CLOUD: "Cloud",
}
STATUS_NAMES: dict[MessageStatus, str] = {
    MessageStatus.RECEIVED: "Received",
    MessageStatus.QUEUED: "Queued",
    MessageStatus.SENDING: "Sending",
    MessageStatus.SENT: "Sent",
    MessageStatus.DELIVERED: "Delivered",
    MessageStatus.FAILED: "Failed",
    MessageStatus.UNKNOWN: "Checking with the provider",
    MessageStatus.CANCELLED: "Cancelled",
}
CAMPAIGN_STATUS_NAMES: dict[CampaignStatus, str] = {
    CampaignStatus.DRAFT: "Draft",
    CampaignStatus.SCHEDULED: "Scheduled",
    CampaignStatus.RUNNING: "Running",
    CampaignStatus.PAUSED: "Paused",
    CampaignStatus.DONE: "Done",
    CampaignStatus.CANCELLED: "Cancelled",
}


def channel_name(channel: Channel) -> str:
    return CHANNEL_NAMES.get(channel, channel.value)


def local(at: datetime) -> datetime:
    """An instant (UTC) in this computer's zone, where the operator reads it."""
    return at.astimezone()


_shown_locale = [DEFAULT_LOCALE]  # the business's, once the pane has read it
_business_time = [BusinessTime()]  # campaigns' times: the business's zone, once read


def use_locale(locale: str) -> None:
    """Dates from now on as the business's locale writes them ('3 Dec 2026' for en_GB)."""
    if locale != _shown_locale[0]:
        _shown_locale[0] = locale
        _day.cache_clear()
    _business_time[0] = BusinessTime(_business_time[0].time_zone, locale)


def use_business(shown: BusinessTime) -> None:
    """The business's locale and time zone: campaign times are written in its zone."""
    use_locale(shown.locale)
    _business_time[0] = shown


def business_time() -> BusinessTime:
    """How campaign times read: in the business's zone, as the outbox writes them."""
    return _business_time[0]


@lru_cache(maxsize=4096)
def _day(value: date) -> str:
    """A thread of thousands of messages spans few days: each is formatted once."""
    return format_date(value, _shown_locale[0])


def short_time(at: datetime, now: datetime) -> str:
    """'14:02' today, 'Mar 9, 2026' (en_US) before: the conversations list's column."""
    shown, today = local(at), local(now)
    if shown.date() == today.date():
        return f"{shown:%H:%M}"
    return _day(shown.date())


def full_time(at: datetime) -> str:
    """A thread message's time, in this computer's zone (where the operator reads it)."""
    shown = local(at)
    return f"{_day(shown.date())} {shown:%H:%M}"


def campaign_time(at: datetime) -> str:
    """A campaign's time in the business's zone, the zone named: '5 Dec 2026 08:00 (Europe/Paris)'.

    The Schedule tab asks for times in that zone; a table names it in its header instead.
    """
    return _business_time[0].named(at)


def recipient_state(state: OutboxState | None, left_out_reason: str) -> str:
    if state is None:
        return f"Left out: {left_out_reason}" if left_out_reason else "Left out"
    return STATUS_NAMES[MessageStatus.of(state)]
