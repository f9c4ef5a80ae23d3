"""Replies through the Lead Cartel cloud: conversations by last message, then their messages."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from leadcartel_desktop.domain.outbox import Channel
from leadcartel_desktop.providers.cloud import CONVERSATIONS_VERSION, CloudClient
from leadcartel_desktop.providers.inbound_mark import InboundMark
from leadcartel_desktop.services.thread_ports import InboundBatch, InboundMessage

FIRST_PULL = timedelta(days=7)
SKEW = timedelta(minutes=5)
CONVERSATIONS_LIMIT = 100
MESSAGES_LIMIT = 50
MAX_PAGES = 20
CONVERSATION_PAGES = 100
_CHANNELS = {
    "TYPE_SMS": Channel.SMS,
    "TYPE_WHATSAPP": Channel.WHATSAPP,
    "TYPE_EMAIL": Channel.EMAIL,
}


class CloudConversations:
    """HighLevel v2: conversations by last message, then each one's inbound messages.

    GET /conversations/search (sorted by last message, newest first), then
    GET /conversations/{id}/messages (newest first, paged by lastMessageId) for each
    conversation with a message since the mark; only inbound SMS, WhatsApp and email. After
    CONVERSATION_PAGES pages the batch says `more` and the mark keeps the next page.
    """

    name = "cloud"

    def __init__(self, client: CloudClient) -> None:
        self.client = client

    def fetch(self, mark: str | None, now: datetime) -> InboundBatch:
        start = InboundMark.read(mark, now - FIRST_PULL)
        since = start.since
        found: list[InboundMessage] = []
        newest = start.newest
        resume = ""
        for number, (conversations, after) in enumerate(self._pages(start.resume)):
            reached_back = False
            for conversation in conversations:
                last = _instant(conversation.get("lastMessageDate"))
                if last is not None and last < since - SKEW:
                    reached_back = True  # sorted by last message: the rest are older
                    break
                for message in reversed(self._messages(str(conversation["id"]), since)):
                    item = _inbound(message, conversation)
                    if item is not None:
                        found.append(item)
                        newest = max(newest, item.at)
            if reached_back or not after:
                break
            if number == CONVERSATION_PAGES - 1:
                # Cut short, these are the conversations written to last: the mark stays at
                # `since` and keeps where the listing goes on (see InboundMark).
                resume = after
                break
        batch = InboundMark(since, newest, resume)
        return InboundBatch(found, batch.text(), more=bool(resume))

    def _pages(self, after: str) -> Iterator[tuple[list[dict[str, Any]], str]]:
        """Pages newest first: new conversations, and the next page's startAfterDate or "".

        The next page starts a millisecond after the last one listed, so conversations sharing
        its time are listed again (and skipped) rather than lost; fetch stops asking once
        they are older than the mark.
        """
        params = {
            "locationId": self.client.location_id,
            "sortBy": "last_message_date",
            "sort": "desc",
            "limit": str(CONVERSATIONS_LIMIT),
        }
        if after:
            params["startAfterDate"] = after
        seen: set[str] = set()
        while True:
            data = self.client.call(
                "GET", "/conversations/search", version=CONVERSATIONS_VERSION, params=params
            )
            page: list[dict[str, Any]] = list(data.get("conversations") or [])
            fresh = [item for item in page if str(item.get("id")) not in seen]
            seen.update(str(item.get("id")) for item in fresh)
            last = _instant(page[-1].get("lastMessageDate")) if page else None
            more = len(page) >= CONVERSATIONS_LIMIT and bool(fresh) and last is not None
            after = str(round(last.timestamp() * 1000) + 1) if more and last else ""
            yield fresh, after
            if not after:
                return
            params = {**params, "startAfterDate": after}

    def _messages(self, conversation_id: str, since: datetime) -> list[dict[str, Any]]:
        params = {"limit": str(MESSAGES_LIMIT)}
        messages: list[dict[str, Any]] = []
        for _ in range(MAX_PAGES):
            data = self.client.call(
                "GET",
                f"/conversations/{conversation_id}/messages",
                params=params,
                version=CONVERSATIONS_VERSION,
            )
            page = data.get("messages") or {}
            items: list[dict[str, Any]] = list(page.get("messages") or [])
            messages += items
            dates = [_instant(item.get("dateAdded")) for item in items]
            older = any(date is not None and date < since - SKEW for date in dates)
            if older or not page.get("nextPage") or not page.get("lastMessageId"):
                break
            params = {**params, "lastMessageId": str(page["lastMessageId"])}
        return messages


def _inbound(message: dict[str, Any], conversation: dict[str, Any]) -> InboundMessage | None:
    channel = _CHANNELS.get(str(message.get("messageType", "")))
    at = _instant(message.get("dateAdded"))
    if message.get("direction") != "inbound" or channel is None or at is None:
        return None
    if channel is Channel.EMAIL:
        address = str(conversation.get("email") or message.get("from") or "")
    else:
        address = str(conversation.get("phone") or message.get("from") or "")
    meta = message.get("meta") or {}
    subject = str((meta.get("email") or {}).get("subject") or "") if isinstance(meta, dict) else ""
    return InboundMessage(
        channel=channel,
        provider_id=str(message["id"]),
        address=address,
        body=str(message.get("body") or ""),
        at=at,
        subject=subject,
    )


def _instant(value: object) -> datetime | None:
    """HighLevel writes ISO 8601 text in messages and epoch milliseconds in conversations."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float) or (isinstance(value, str) and value.isdigit()):
        return datetime.fromtimestamp(int(value) / 1000, UTC)
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
