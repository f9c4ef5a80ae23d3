"""SMS and WhatsApp through Twilio's REST API (Messages create, list, get; Accounts get)."""

from __future__ import annotations

import json
from collections.abc import Collection
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any

import requests

from leadcartel_desktop.domain.errors import UserFacingError
from leadcartel_desktop.domain.outbox import Channel, OutboxMessage, SendOutcome, match_since
from leadcartel_desktop.domain.providers import TwilioSettings
from leadcartel_desktop.domain.whatsapp import template_of
from leadcartel_desktop.providers.http import ProviderHttp, TransportError, as_user_error
from leadcartel_desktop.providers.provider_clock import offset_of, on_their_clock
from leadcartel_desktop.providers.texts import redact

API = "/2010-04-01"
CREDENTIALS = "Twilio account SID and auth token"
RECONCILE_PAGES = 5

# Twilio error codes whose plain-language hint we know (https://www.twilio.com/docs/errors).
_HINTS = {
    "21211": "Correct the customer's phone number (for example +6591234567) and send again.",
    "21610": "The number is on the opt-out register; only the customer can opt back in (START).",
    "21408": "Allow this country in Twilio's Messaging Geographic Permissions.",
    "21612": "Twilio cannot reach this number from your sender; try another from number.",
    "21614": "The number cannot receive text messages (a landline?).",
    "21606": "The from number cannot send SMS: check it in Settings > Providers.",
    "21659": "The from number is not a Twilio number of this account.",
    "63016": "WhatsApp allows free text only within 24 h of the customer's last message; "
    "use an approved template.",
    "21655": "Copy the template's Content SID (HX...) from Twilio's Content Template Builder.",
    "21656": "Give every template variable a value (WhatsApp variables in the Send dialog).",
}


class TwilioProvider:
    """One channel (SMS or WhatsApp) over one Twilio account."""

    def __init__(
        self, settings: TwilioSettings, auth_token: str, channel: Channel, http: ProviderHttp
    ) -> None:
        if channel not in (Channel.SMS, Channel.WHATSAPP):
            raise ValueError(f"Twilio carries SMS and WhatsApp, not {channel}")
        self.settings = settings
        self.channel = channel
        self.http = http
        self._auth = (settings.account_sid, auth_token)
        self._messages = f"{API}/Accounts/{settings.account_sid}/Messages.json"

    # Addresses ----------------------------------------------------------------------------
    def _address(self, number: str) -> str:
        if self.channel is Channel.WHATSAPP and not number.startswith("whatsapp:"):
            return f"whatsapp:{number}"
        return number

    def _sender(self) -> dict[str, str]:
        if self.channel is Channel.WHATSAPP:
            number = self.settings.whatsapp_from or self.settings.from_number
            return {"From": self._address(number)} if number else {}
        if self.settings.messaging_service_sid:
            return {"MessagingServiceSid": self.settings.messaging_service_sid}
        return {"From": self.settings.from_number} if self.settings.from_number else {}

    # MessageProvider ----------------------------------------------------------------------
    def send(self, message: OutboxMessage) -> SendOutcome:
        sender = self._sender()
        if not sender:
            return SendOutcome.permanent(
                "config",
                f"No Twilio sender is set for {self.channel.value}.",
                "Enter a from number or messaging service SID in Settings > Providers.",
            )
        form = {"To": self._address(message.recipient), **self._content(message), **sender}
        try:
            response = self.http.request("POST", self._messages, form=form, auth=self._auth)
        except TransportError as failure:
            return failure.outcome
        if response.status_code in (200, 201):
            try:
                data = self.http.json_of(response)
            except TransportError as failure:
                return failure.outcome
            return SendOutcome.accepted(str(data["sid"]), str(data.get("status", "")))
        return self._refusal(response, message.recipient)

    def _template(self, message: OutboxMessage) -> tuple[str, dict[str, str]] | None:
        """An approved WhatsApp template and its variables; None for free text."""
        return template_of(message.payload) if self.channel is Channel.WHATSAPP else None

    def _content(self, message: OutboxMessage) -> dict[str, str]:
        template = self._template(message)
        if template is None:
            return {"Body": str(message.payload.get("body", ""))}
        content_sid, variables = template
        # Twilio wants ContentVariables as a JSON string of {"1": "value", ...}.
        return {"ContentSid": content_sid, "ContentVariables": json.dumps(variables)}

    def _same(self, item: dict[str, Any], message: OutboxMessage) -> bool:
        """Whether a message Twilio holds is this row's (for reconciling an unknown outcome).

        A template message comes back with Twilio's rendering of the template as its body,
        which the app never sees: it matches when every variable's value appears in it.
        """
        said = str(item.get("body") or "")
        template = self._template(message)
        if template is None:
            return said == str(message.payload.get("body", ""))
        return all(value in said for value in template[1].values())

    def _refusal(self, response: requests.Response, number: str) -> SendOutcome:
        code, said = _error(response)
        said = redact(said, [self._auth[1]])
        if code == "21211":
            return SendOutcome.permanent(
                code, f"Twilio says {number} is not a valid phone number.", _HINTS[code]
            )
        if code == "21610":
            text = f"{number} has unsubscribed from your messages (replied STOP)."
            return SendOutcome.permanent(code, text, _HINTS[code], opted_out=True)
        return self.http.refusal(response, code, said, _HINTS.get(code, ""))

    def reconcile(
        self, message: OutboxMessage, *, taken: Collection[str] = ()
    ) -> SendOutcome | None:
        """Look for the message among those Twilio holds for the number.

        Twilio has no lookup by our key, so this lists the number's messages (newest first,
        filtered by To and, with a fixed sender, From) and takes the oldest with this text
        created since the row's attempt started whose sid no other row holds (`taken`): two
        identical texts to one number are never confused. DateSent is not used as a filter:
        a message still queued has no date_sent yet.
        """
        params = {"To": self._address(message.recipient), "PageSize": "50"}
        sender = self._sender().get("From")
        if sender:
            params["From"] = sender
        since = match_since(message)
        path: str = self._messages
        found: dict[str, Any] | None = None
        for page_number in range(RECONCILE_PAGES):
            try:
                response = self.http.request("GET", path, params=params, auth=self._auth)
            except TransportError as failure:
                return SendOutcome.ambiguous(f"Cannot check with Twilio yet: {failure}")
            if response.status_code != 200:
                return SendOutcome.ambiguous(
                    f"Cannot check with Twilio yet ({response.status_code})."
                )
            if page_number == 0:
                since = on_their_clock(since, offset_of(response, self.http.now()))
            try:
                page = self.http.json_of(response)
            except TransportError as failure:
                return SendOutcome.ambiguous(f"Cannot check with Twilio yet: {failure}")
            items: list[dict[str, Any]] = page.get("messages", [])
            for item in items:  # newest first: the last match seen is the oldest
                if (
                    _created(item, since)
                    and str(item.get("sid")) not in taken
                    and self._same(item, message)
                ):
                    found = item
            older = since is not None and any(not _created(item, since) for item in items)
            if older or not page.get("next_page_uri"):
                # Every message since the attempt started has been seen.
                if found is None:
                    return None
                return SendOutcome.accepted(str(found["sid"]), str(found.get("status", "")))
            path, params = self.http.base_url + str(page["next_page_uri"]), {}
        return SendOutcome.ambiguous("Too many recent messages to this number to be sure yet.")

    def status(self, sid: str) -> str:
        """The message's delivery status (queued, sent, delivered, undelivered, failed...)."""
        try:
            response = self.http.request(
                "GET",
                f"{API}/Accounts/{self.settings.account_sid}/Messages/{sid}.json",
                auth=self._auth,
            )
        except TransportError as failure:
            raise as_user_error(failure.outcome) from None
        if response.status_code != 200:
            raise as_user_error(self._refusal(response, ""))
        try:
            return str(self.http.json_of(response).get("status", ""))
        except TransportError as failure:
            raise as_user_error(failure.outcome) from None

    def check(self) -> str:
        if not self.settings.account_sid:
            raise UserFacingError("Enter the Twilio account SID in Settings > Providers.")
        try:
            response = self.http.request(
                "GET", f"{API}/Accounts/{self.settings.account_sid}.json", auth=self._auth
            )
        except TransportError as failure:
            raise as_user_error(failure.outcome) from None
        if response.status_code != 200:
            raise as_user_error(self._refusal(response, ""))
        try:
            name = self.http.json_of(response).get("friendly_name") or self.settings.account_sid
        except TransportError as failure:
            raise as_user_error(failure.outcome) from None
        if not self._sender():
            raise UserFacingError(
                f"Signed in to Twilio account '{name}', but no from number is set for "
                f"{self.channel.value}: enter one in Settings > Providers."
            )
        return f"Connected to Twilio account '{name}'."


def _error(response: requests.Response) -> tuple[str, str]:
    """Twilio's error body {code, message, more_info, status}, or what can be made of it."""
    try:
        data = response.json()
    except ValueError:
        return "", ""
    if not isinstance(data, dict):
        return "", ""
    code = data.get("code")
    return (str(code) if code is not None else ""), str(data.get("message") or "")


def _created(item: dict[str, Any], since: datetime | None) -> bool:
    if since is None:
        return True
    try:
        return parsedate_to_datetime(str(item.get("date_created"))) >= since
    except (TypeError, ValueError):
        return True  # no usable date: let the body decide
