"""Delivery receipts through Twilio: the account's message list, read for the sids we sent.

One pass over the list (newest first, 1,000 a page) answers a whole campaign, where a GET per
message would take one round trip each. Twilio filters DateSent by day only; the pass stops
once every wanted sid has been seen or the list (from the oldest one's day) ends.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime
from typing import Any

from leadcartel_desktop.domain.outbox import Channel
from leadcartel_desktop.domain.providers import TwilioSettings
from leadcartel_desktop.providers.http import ProviderHttp
from leadcartel_desktop.providers.twilio import API
from leadcartel_desktop.providers.twilio_inbound import MAX_PAGES, SKEW, get_page, listed
from leadcartel_desktop.services.receipt_ports import DeliveryReceipt

PAGE_SIZE = "1000"
DELIVERED = frozenset({"delivered", "read"})
FAILED = frozenset({"undelivered", "failed"})
# Twilio's delivery error codes, in words the operator can act on.
HINTS = {
    "30003": "The phone was off or out of coverage; try again later.",
    "30004": "The recipient blocks messages from this number.",
    "30005": "The number does not exist or is no longer in service; check it with the customer.",
    "30006": "The number is a landline or cannot receive texts; use email instead.",
    "30007": "The carrier filtered it as spam; change the wording or register the sender.",
    "30008": "The carrier gave no reason; try again later.",
    "63016": "WhatsApp refused free text outside the 24-hour window; send an approved template.",
}


class TwilioReceipts:
    """Receipts for the channels this account carries (SMS, WhatsApp or both)."""

    name = "Twilio"

    def __init__(
        self,
        settings: TwilioSettings,
        auth_token: str,
        channels: Collection[Channel],
        http: ProviderHttp,
    ) -> None:
        self.channels = frozenset(channels)
        self.http = http
        self._auth = (settings.account_sid, auth_token)
        self._messages = f"{API}/Accounts/{settings.account_sid}/Messages.json"

    def receipts(self, since: datetime, wanted: Collection[str]) -> list[DeliveryReceipt]:
        remaining = set(wanted)
        day = (since - SKEW).astimezone(UTC).date().isoformat()
        path, params = self._messages, {"DateSent>": day, "PageSize": PAGE_SIZE}
        found: list[DeliveryReceipt] = []
        for _ in range(MAX_PAGES):
            page = get_page(self.http, self._auth, path, params)
            for item in listed(page):
                receipt = _receipt(item) if item.get("sid") in remaining else None
                if receipt is not None:
                    found.append(receipt)
                    remaining.discard(receipt.provider_id)
            next_page = page.get("next_page_uri")
            if not remaining or not next_page:
                break
            path, params = self.http.base_url + str(next_page), {}
        return found


def _receipt(item: dict[str, Any]) -> DeliveryReceipt | None:
    sid, status = str(item["sid"]), str(item.get("status") or "")
    if status in DELIVERED:
        return DeliveryReceipt(sid, delivered=True)
    if status not in FAILED:
        return None  # still on its way (queued, sending, sent, accepted)
    code = str(item.get("error_code") or "")
    said = str(item.get("error_message") or "").strip()
    message = f"The carrier did not deliver it (Twilio {code or status})"
    return DeliveryReceipt(
        sid,
        delivered=False,
        code=code or status,
        message=f"{message}: {said}" if said else f"{message}.",
        hint=HINTS.get(code, "Check the number with the customer, then send again."),
    )
