"""Replies through Twilio: the account's message list, filtered To our number, newest first."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

from leadcartel_desktop.domain.errors import UserFacingError
from leadcartel_desktop.domain.outbox import Channel
from leadcartel_desktop.domain.providers import TwilioSettings
from leadcartel_desktop.providers.http import ProviderHttp, TransportError, as_user_error
from leadcartel_desktop.providers.inbound_mark import InboundMark
from leadcartel_desktop.providers.twilio import API
from leadcartel_desktop.services.thread_ports import InboundBatch, InboundMessage

log = logging.getLogger(__name__)
FIRST_PULL = timedelta(days=7)  # how far back the first pull looks
SKEW = timedelta(minutes=5)  # Twilio's clock against ours, and late date_sent stamps
MAX_PAGES = 50
PAGE_SIZE = "100"


class TwilioInbound:
    """One channel's inbound messages (SMS to the from number, WhatsApp to whatsapp:...).

    Twilio filters DateSent by day only (`DateSent>=YYYY-MM-DD`), so a pull lists that whole
    day again: what was stored before is skipped by its sid. Paging follows next_page_uri and
    stops at the first page reaching back past the mark, or after MAX_PAGES: then the batch
    says `more` and the mark keeps the next page, so the next fetch goes on from there.
    """

    def __init__(
        self, settings: TwilioSettings, auth_token: str, channel: Channel, http: ProviderHttp
    ) -> None:
        self.channel = channel
        self.name = f"twilio:{channel.value}"
        self.http = http
        self._settings = settings
        self._auth = (settings.account_sid, auth_token)
        self._messages = f"{API}/Accounts/{settings.account_sid}/Messages.json"

    def _our_number(self) -> str:
        if self.channel is Channel.WHATSAPP:
            number = self._settings.whatsapp_from or self._settings.from_number
            return f"whatsapp:{number.removeprefix('whatsapp:')}" if number else ""
        return self._settings.from_number

    def fetch(self, mark: str | None, now: datetime) -> InboundBatch:
        start = InboundMark.read(mark, now - FIRST_PULL)
        since = start.since
        first = self._messages, self._first_params(since)
        path, params = (self.http.base_url + start.resume, {}) if start.resume else first
        found: list[InboundMessage] = []
        newest = start.newest
        resume = ""
        for number in range(MAX_PAGES):
            try:
                page = get_page(self.http, self._auth, path, params)
            except UserFacingError as error:
                if number or not start.resume:
                    raise
                # The page saved last time was refused (its token gone stale, say): list again
                # from the top. The mark never moved past `since`, so nothing is lost.
                log.warning(
                    "%s: saved next page refused (%s); listing again", self.name, error.message
                )
                path, params = first
                page = get_page(self.http, self._auth, path, params)
            reached_back = False
            for item in listed(page):
                sent = _date(item.get("date_sent")) or _date(item.get("date_created"))
                if sent is None:
                    continue
                # Listed is kept (a sid stored before is skipped when stored): a clock that is
                # off by minutes loses nothing. Older than the mark ends the paging.
                reached_back = reached_back or sent < since - SKEW
                message = self._inbound(item, sent)
                if message is not None:
                    found.append(message)
                    newest = max(newest, sent)
            next_page = page.get("next_page_uri")
            if reached_back or not next_page:
                break
            path, params = self.http.base_url + str(next_page), {}
            resume = str(next_page) if number == MAX_PAGES - 1 else ""
        found.reverse()  # Twilio lists newest first; a batch is oldest first
        # Cut short at the page limit, these are the newest replies, not the oldest: the mark
        # stays at `since` and keeps the next page, where the next fetch goes on.
        return InboundBatch(found, InboundMark(since, newest, resume).text(), more=bool(resume))

    def _first_params(self, since: datetime) -> dict[str, str]:
        params = {"DateSent>": (since - SKEW).astimezone(UTC).date().isoformat()}
        params["PageSize"] = PAGE_SIZE
        ours = self._our_number()
        if ours:
            params["To"] = ours
        return params

    def _inbound(self, item: dict[str, Any], sent: datetime) -> InboundMessage | None:
        if str(item.get("direction", "")) != "inbound":
            return None
        sender = str(item.get("from") or "")
        if sender.startswith("whatsapp:") != (self.channel is Channel.WHATSAPP):
            return None
        return InboundMessage(
            channel=self.channel,
            provider_id=str(item["sid"]),
            address=sender.removeprefix("whatsapp:"),
            body=str(item.get("body") or ""),
            at=sent,
        )


def get_page(
    http: ProviderHttp, auth: tuple[str, str], path: str, params: dict[str, str]
) -> dict[str, Any]:
    """One page of the account's message list; UserFacingError when Twilio cannot answer."""
    try:
        response = http.request("GET", path, params=params, auth=auth)
    except TransportError as failure:
        raise as_user_error(failure.outcome) from None
    if response.status_code != 200:
        raise as_user_error(http.refusal(response, "", _said(response)))
    try:
        return http.json_of(response)  # a network login page's HTML is refused here
    except TransportError as failure:
        raise as_user_error(failure.outcome) from None


def listed(page: dict[str, Any]) -> list[dict[str, Any]]:
    """The page's messages; anything that is not a message object is passed over."""
    items = page.get("messages")
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []


def _said(response: Any) -> str:
    try:
        data = response.json()
    except ValueError:
        return ""
    return str(data.get("message") or "") if isinstance(data, dict) else ""


def _date(value: object) -> datetime | None:
    if not value:
        return None
    try:
        return parsedate_to_datetime(str(value)).astimezone(UTC)
    except (TypeError, ValueError):
        return None
