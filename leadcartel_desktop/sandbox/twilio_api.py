"""Twilio's Messages API on loopback: create (text or a content template), list, get; Accounts."""

from __future__ import annotations

import base64
import binascii
import json
import re
import secrets
import threading
from datetime import UTC, date, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any
from urllib.parse import urlencode

from leadcartel_desktop.sandbox.controls import Controls, Fault, FaultKind
from leadcartel_desktop.sandbox.http_server import Request, Response, json_response

API = "/2010-04-01"
_PATH = re.compile(
    r"/2010-04-01/Accounts/(?P<account>[^/]+?)(?P<rest>/Messages(?:/(?P<sid>[^/]+?))?)?\.json"
)
_E164 = re.compile(r"\+[1-9][0-9]{6,14}")
_CONTENT_SID = re.compile(r"HX[0-9a-fA-F]{32}")
SERVICE_NUMBER = "+15005550006"  # what a messaging service "picks" in the sandbox
WHATSAPP_NUMBER = "+14155238886"  # Twilio's WhatsApp sandbox sender
# The sandbox's carrier: a queued message is delivered when it is looked up by sid, or listed
# once this long has passed (until then a list filtered by DateSent skips it, as Twilio's does).
ARRIVAL = timedelta(seconds=10)


def _error(
    status: int, code: int, message: str, headers: tuple[tuple[str, str], ...] = ()
) -> Response:
    body = {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }
    return json_response(status, body, headers)


class TwilioApi:
    name = "twilio"

    def __init__(
        self,
        controls: Controls,
        account_sid: str,
        auth_token: str,
        *,
        sms_number: str = SERVICE_NUMBER,
        whatsapp_number: str = WHATSAPP_NUMBER,
    ) -> None:
        self.controls = controls
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.sms_number = sms_number
        self.whatsapp_number = whatsapp_number
        controls.inbound = self.receive
        self._lock = threading.Lock()
        self._messages: list[dict[str, Any]] = []  # oldest first

    def messages(self) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(message) for message in self._messages]

    def fault_response(self, fault: Fault, request: Request) -> Response:
        if fault.kind is FaultKind.RATE_LIMIT:
            return _error(429, 20429, "Too Many Requests", (("Retry-After", fault.retry_after),))
        if fault.kind is FaultKind.UNAVAILABLE:
            return _error(503, 20503, "Service Unavailable")
        if fault.kind is FaultKind.UNAUTHORIZED:
            return _error(401, 20003, "Authenticate")
        to = request.form().get("To", "") if request.method == "POST" else ""
        if fault.kind is FaultKind.INVALID_NUMBER:
            return _error(400, 21211, f"Invalid 'To' Phone Number: {to}")
        if fault.kind is FaultKind.UNSUBSCRIBED:
            return _error(400, 21610, "Attempt to send to unsubscribed recipient")
        return _error(500, 20500, "Internal Server Error")

    def reset(self) -> None:
        with self._lock:
            self._messages.clear()

    def admin(self, request: Request, action: str) -> Response | None:
        """A customer's reply, or what the carrier did with a message.

        POST /_sandbox/twilio/inbound {"from": "+1555...", "body": "STOP", "to": ...};
        POST /_sandbox/twilio/status {"sid": "SM...", "status": "undelivered", "error_code": 30003}
        """
        if request.method != "POST" or action not in {"inbound", "status"}:
            return None
        data = request.json()
        if action == "status":
            try:
                message = self.set_status(
                    str(data.get("sid", "")),
                    str(data.get("status", "")),
                    _int_or_none(data.get("error_code")),
                )
            except KeyError as error:
                return _error(404, 20404, str(error.args[0]))
            return json_response(200, message)
        try:
            message = self.receive(str(data.get("from", "")), str(data.get("body", "")),
                                   to=str(data.get("to", "")))  # fmt: skip
        except ValueError as error:
            return _error(400, 21211, str(error))
        return json_response(201, message)

    def receive(self, from_: str, body: str, *, to: str = "") -> dict[str, Any]:
        """A customer's message to our number, listed as Twilio lists an inbound one."""
        whatsapp = from_.startswith("whatsapp:")
        if not _E164.fullmatch(from_.removeprefix("whatsapp:")):
            raise ValueError(f"'{from_}' is not an E.164 number (whatsapp: prefix allowed)")
        ours = to or (f"whatsapp:{self.whatsapp_number}" if whatsapp else self.sms_number)
        now = format_datetime(datetime.now(UTC))
        sid = "SM" + secrets.token_hex(16)
        message = {
            "account_sid": self.account_sid,
            "api_version": "2010-04-01",
            "body": body,
            "date_created": now,
            "date_sent": now,
            "date_updated": now,
            "direction": "inbound",
            "error_code": None,
            "error_message": None,
            "from": from_,
            "messaging_service_sid": None,
            "num_media": "0",
            "num_segments": "1",
            "price": None,
            "price_unit": "USD",
            "sid": sid,
            "status": "received",
            "to": ours,
            "uri": f"{API}/Accounts/{self.account_sid}/Messages/{sid}.json",
        }
        with self._lock:
            self._messages.append(message)
        return dict(message)

    def set_status(self, sid: str, status: str, error_code: int | None = None) -> dict[str, Any]:
        """What the carrier did with a message we took: delivered, undelivered (30003)..."""
        with self._lock:
            for message in self._messages:
                if message["sid"] == sid:
                    message["status"] = status
                    message["error_code"] = error_code
                    message["date_sent"] = message["date_sent"] or message["date_created"]
                    message["date_updated"] = format_datetime(datetime.now(UTC))
                    return dict(message)
        raise KeyError(f"No message {sid}")

    def handle(self, request: Request) -> Response:
        match = _PATH.fullmatch(request.path)
        if match is None:
            return _error(404, 20404, f"The requested resource {request.path} was not found")
        if not self._authorised(request, match["account"]):
            return _error(401, 20003, "Authenticate")
        if match["rest"] is None:
            if request.method != "GET":
                return _error(405, 20004, "Method not allowed")
            return json_response(200, self._account())
        if match["sid"] is not None:
            return (
                self._get(match["sid"])
                if request.method == "GET"
                else _error(405, 20004, "Method not allowed")
            )
        if request.method == "POST":
            return self._create(request)
        return self._list(request)

    def _authorised(self, request: Request, account: str) -> bool:
        scheme, _, encoded = request.header("Authorization").partition(" ")
        if scheme.lower() != "basic":
            return False
        try:
            user, _, password = base64.b64decode(encoded, validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return False
        same = secrets.compare_digest(password.encode(), self.auth_token.encode())
        return user == self.account_sid == account and same

    def _account(self) -> dict[str, Any]:
        return {
            "sid": self.account_sid,
            "friendly_name": "Lead Cartel sandbox",
            "status": "active",
            "type": "Full",
            "uri": f"{API}/Accounts/{self.account_sid}.json",
        }

    def _create(self, request: Request) -> Response:
        form = request.form()
        to, sender, service = (
            form.get("To", ""),
            form.get("From", ""),
            form.get("MessagingServiceSid", ""),
        )
        body = form.get("Body", "")
        content = _content(form)
        if isinstance(content, Response):
            return content
        whatsapp = to.startswith("whatsapp:")
        if not _E164.fullmatch(to.removeprefix("whatsapp:")):
            return _error(400, 21211, f"Invalid 'To' Phone Number: {to}")
        if not sender and not service:
            return _error(400, 21603, "A 'From' or 'MessagingServiceSid' parameter is required")
        if sender and not _E164.fullmatch(sender.removeprefix("whatsapp:")):
            return _error(400, 21212, f"Invalid 'From' Phone Number: {sender}")
        if whatsapp != sender.startswith("whatsapp:") and sender:
            return _error(
                400, 63007, "Twilio could not find a Channel with the specified From address"
            )
        if content is not None:  # Twilio renders the approved template into the body
            body = _render(*content)
        if not body:
            return _error(400, 21602, "Message body is required")
        now = format_datetime(datetime.now(UTC))  # "Tue, 10 Mar 2026 12:00:00 +0000"
        sid = "SM" + secrets.token_hex(16)
        message = {
            "account_sid": self.account_sid,
            "api_version": "2010-04-01",
            "body": body,
            "date_created": now,
            "date_sent": None,  # a queued message has not been sent yet
            "date_updated": now,
            "direction": "outbound-api",
            "error_code": None,
            "error_message": None,
            "from": sender or SERVICE_NUMBER,
            "messaging_service_sid": service or None,
            "num_media": "0",
            "num_segments": "1",
            "price": None,
            "price_unit": "USD",
            "sid": sid,
            "status": "queued",
            "to": to,
            "uri": f"{API}/Accounts/{self.account_sid}/Messages/{sid}.json",
        }
        with self._lock:
            self._messages.append(message)
        kind = "whatsapp" if whatsapp else "sms"
        seen = dict(message)
        if content is not None:  # what the request named, for tests and the sandbox's list
            seen.update(content_sid=content[0], content_variables=content[1])
        self.controls.record(kind, f"{kind.upper()} to {to}: {body[:70]}", seen)
        return json_response(201, message)

    def _get(self, sid: str) -> Response:
        with self._lock:
            for message in self._messages:
                if message["sid"] == sid:
                    _arrive(message)
                    return json_response(200, message)
        return _error(404, 20404, f"The requested resource /Messages/{sid}.json was not found")

    def _list(self, request: Request) -> Response:
        page = int(request.param("Page", "0") or 0)
        size = min(1000, int(request.param("PageSize", "50") or 50))
        with self._lock:
            arrived = datetime.now(UTC) - ARRIVAL
            for message in self._messages:
                if parsedate_to_datetime(message["date_created"]) <= arrived:
                    _arrive(message)
            chosen = [m for m in reversed(self._messages) if self._matches(m, request)]
        items = chosen[page * size : (page + 1) * size]
        base = f"{API}/Accounts/{self.account_sid}/Messages.json"
        more = (page + 1) * size < len(chosen)
        params = {key: values[0] for key, values in request.query.items() if key != "Page"}
        return json_response(
            200,
            {
                "messages": items,
                "page": page,
                "page_size": size,
                "start": page * size,
                "end": page * size + max(0, len(items) - 1),
                "uri": f"{base}?{urlencode({**params, 'Page': page})}",
                "first_page_uri": f"{base}?{urlencode({**params, 'Page': 0})}",
                "next_page_uri": f"{base}?{urlencode({**params, 'Page': page + 1})}"
                if more
                else None,
                "previous_page_uri": f"{base}?{urlencode({**params, 'Page': page - 1})}"
                if page
                else None,
            },
        )

    @staticmethod
    def _matches(message: dict[str, Any], request: Request) -> bool:
        if request.param("To") and message["to"] != request.param("To"):
            return False
        if request.param("From") and message["from"] != request.param("From"):
            return False
        sent = message["date_sent"]
        day = _day(sent) if sent else None
        for key, test in (
            ("DateSent", lambda d, v: d == v),
            ("DateSent>", lambda d, v: d >= v),  # `DateSent>=2026-03-01` in the query string
            ("DateSent<", lambda d, v: d <= v),
        ):
            wanted = request.param(key)
            if wanted and (day is None or not test(day, date.fromisoformat(wanted))):
                return False
        return True


def _arrive(message: dict[str, Any]) -> None:
    """A queued message delivered, as the sandbox's carrier does it (see ARRIVAL)."""
    if message["status"] == "queued":
        message["status"] = "delivered"
        message["date_sent"] = message["date_updated"] = message["date_created"]


def _int_or_none(value: object) -> int | None:
    try:
        return int(str(value))
    except ValueError:
        return None


def _content(form: dict[str, str]) -> tuple[str, dict[str, str]] | Response | None:
    """ContentSid and its ContentVariables, checked as Twilio does; None for a Body message.

    The variables must be a JSON object of non-empty strings; a refusal is the error answer.
    """
    sid, raw = form.get("ContentSid", ""), form.get("ContentVariables", "")
    if not sid:
        if raw:
            return _error(400, 21654, "A ContentSid must be specified with ContentVariables")
        return None
    if not _CONTENT_SID.fullmatch(sid):
        return _error(400, 21655, f"The ContentSid is Invalid: {sid}")
    try:
        variables = json.loads(raw) if raw else {}
    except ValueError:
        variables = None
    if not isinstance(variables, dict) or not all(
        isinstance(value, str) and value for value in variables.values()
    ):
        return _error(400, 21656, "The ContentVariables Parameter is invalid")
    return sid, {str(name): value for name, value in variables.items()}


def _render(sid: str, variables: dict[str, str]) -> str:
    """The sandbox keeps no template texts: it shows the template and each variable's value."""
    filled = "; ".join(f"{{{{{name}}}}}={value}" for name, value in variables.items())
    return f"Template {sid}: {filled}" if filled else f"Template {sid}"


def _day(rfc2822: str) -> date:
    return parsedate_to_datetime(rfc2822).astimezone(UTC).date()
