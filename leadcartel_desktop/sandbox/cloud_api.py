"""The Lead Cartel cloud (HighLevel API v2 shapes) on loopback: contacts, invoices, messages."""

from __future__ import annotations

import re
import secrets
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from email import policy
from email.parser import BytesParser
from typing import Any
from urllib.parse import quote

from leadcartel_desktop.sandbox.cloud_inbound import conversation_view, inbound_message
from leadcartel_desktop.sandbox.cloud_invoices import CloudInvoices, InvoiceError
from leadcartel_desktop.sandbox.cloud_opportunities import CloudOpportunities
from leadcartel_desktop.sandbox.controls import Controls, Fault, FaultKind
from leadcartel_desktop.sandbox.http_server import Request, Response, json_response

_MESSAGE_TYPES = {"SMS": "TYPE_SMS", "Email": "TYPE_EMAIL", "WhatsApp": "TYPE_WHATSAPP"}
_REASONS = {
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    413: "Payload Too Large",
    422: "Unprocessable Entity",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}

Route = Callable[[Request, re.Match[str]], Response]


def _error(status: int, message: str, headers: tuple[tuple[str, str], ...] = ()) -> Response:
    body = {"statusCode": status, "message": message, "error": _REASONS.get(status, "Error")}
    return json_response(status, body, headers)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class CloudApi:
    name = "cloud"

    def __init__(self, controls: Controls, location_id: str, token: str) -> None:
        self.controls = controls
        self.location_id = location_id
        self.token = token
        self._lock = threading.RLock()
        controls.inbound = self.receive
        self.reset()
        self._routes: list[tuple[str, re.Pattern[str], Route]] = [
            ("GET", re.compile(r"/locations/(?P<id>[^/]+)"), self._location),
            ("POST", re.compile(r"/contacts/upsert"), self._upsert),
            ("GET", re.compile(r"/contacts/(?P<id>[^/]+)"), self._contact),
            ("POST", re.compile(r"/invoices/?"), self._create_invoice),
            ("GET", re.compile(r"/invoices/?"), self._list_invoices),
            ("GET", re.compile(r"/invoices/(?P<id>[^/]+)"), self._get_invoice),
            (
                "POST",
                re.compile(r"/invoices/(?P<id>[^/]+)/(?P<op>send|record-payment|void)"),
                self._invoice_action,
            ),
            ("GET", re.compile(r"/payments/transactions"), self._transactions),
            ("POST", re.compile(r"/conversations/messages"), self._send_message),
            ("POST", re.compile(r"/conversations/messages/upload"), self._upload),
            ("GET", re.compile(r"/conversations/messages/(?P<id>[^/]+)"), self._get_message),
            ("GET", re.compile(r"/conversations/search"), self._search_conversations),
            ("GET", re.compile(r"/conversations/(?P<id>[^/]+)/messages"), self._list_messages),
            *self._opportunity_routes(),
        ]

    def reset(self) -> None:
        """Forget every contact, invoice, conversation and remembered Idempotency-Key."""
        with self._lock:
            self.invoices = CloudInvoices(self.controls, self.location_id)
            self.opportunities = CloudOpportunities(self.controls, self.location_id)
            self.contacts: dict[str, dict[str, Any]] = {}
            self.conversations: dict[str, dict[str, Any]] = {}
            self.messages: dict[str, dict[str, Any]] = {}
            self.uploads: dict[str, dict[str, Any]] = {}  # url -> filename, contentType, content
            self._answered: dict[tuple[str, str], Response] = {}  # (path, key) -> first answer

    # The app's side -----------------------------------------------------------------------
    def handle(self, request: Request) -> Response:
        if request.header("Authorization") != f"Bearer {self.token}":
            return _error(401, "Invalid token: access token is invalid")
        if not request.header("Version"):
            return _error(400, "Version header was not found")
        key = request.header("Idempotency-Key") if request.method == "POST" else ""
        with self._lock:  # a repeated key answers as the first time and records nothing new
            if key and (request.path, key) in self._answered:
                return self._answered[(request.path, key)]
            response = self._route(request)
            if key and response.status < 300:
                self._answered[(request.path, key)] = response
            return response

    def fault_response(self, fault: Fault, request: Request) -> Response:
        if fault.kind is FaultKind.RATE_LIMIT:
            return _error(429, "Too many requests", (("Retry-After", fault.retry_after),))
        if fault.kind is FaultKind.UNAVAILABLE:
            return _error(503, "Service temporarily unavailable")
        if fault.kind is FaultKind.UNAUTHORIZED:
            return _error(401, "Invalid token: access token is invalid")
        if fault.kind is FaultKind.SCOPE:
            return _error(401, "The token is not authorized for this scope.")
        if fault.kind in (FaultKind.INVALID_NUMBER, FaultKind.UNSUBSCRIBED):
            return _error(422, "The contact cannot receive this message")
        return _error(500, "Internal server error")

    def admin(self, request: Request, action: str) -> Response | None:
        """Play the customer: pay or view an invoice, or write to us.

        POST invoices/<id>/pay {"amount": 12.5} or invoices/<id>/view;
        POST inbound {"from": "+1555...", "body": "STOP", "kind": "SMS", "subject": ""}.
        """
        if action == "inbound" and request.method == "POST":
            data = request.json()
            try:
                message = self.receive(str(data.get("from", "")), str(data.get("body", "")),
                                       kind=str(data.get("kind", "SMS")),
                                       subject=str(data.get("subject", "")))  # fmt: skip
            except ValueError as error:
                return _error(422, str(error))
            return json_response(201, message)
        match = re.fullmatch(r"invoices/(?P<id>[^/]+)/(?P<op>pay|view)", action)
        if match is None or request.method != "POST":
            return None
        with self._lock:
            try:
                if match["op"] == "view":
                    return json_response(200, self.invoices.view(match["id"]))
                amount = request.json().get("amount")
                return json_response(
                    200, self.invoices.pay(match["id"], amount, "card", online=True)
                )
            except InvoiceError as error:
                return _error(error.status, error.message)

    def _route(self, request: Request) -> Response:
        for method, pattern, route in self._routes:
            match = pattern.fullmatch(request.path)
            if match is not None and method == request.method:
                try:
                    return route(request, match)
                except InvoiceError as error:
                    return _error(error.status, error.message)
        return _error(404, f"Cannot {request.method} {request.path}")

    def _check_location(self, alt_id: str) -> None:
        if alt_id != self.location_id:
            raise InvoiceError(
                403 if alt_id else 422, "The token does not have access to this location"
            )

    # Locations and contacts ---------------------------------------------------------------
    def _location(self, request: Request, match: re.Match[str]) -> Response:
        self._check_location(match["id"])
        return json_response(
            200, {"location": {"id": self.location_id, "name": "Lead Cartel sandbox"}}
        )

    def _upsert(self, request: Request, match: re.Match[str]) -> Response:
        data = request.json()
        self._check_location(str(data.get("locationId", "")))
        email, phone = data.get("email") or "", data.get("phone") or ""
        if not email and not phone:
            raise InvoiceError(422, "email or phone is required")
        existing = next(
            (
                c
                for c in self.contacts.values()
                if (email and c.get("email") == email) or (phone and c.get("phone") == phone)
            ),
            None,
        )
        contact = existing or {
            "id": secrets.token_hex(10),
            "locationId": self.location_id,
            "dateAdded": _now(),
        }
        contact.update({k: v for k, v in data.items() if k != "locationId" and v not in (None, "")})
        self.contacts[contact["id"]] = contact
        name = " ".join(filter(None, (contact.get("firstName"), contact.get("lastName"))))
        self.controls.record("contact.upsert", f"contact {name or email or phone}", dict(contact))
        return json_response(
            200 if existing else 201, {"new": existing is None, "contact": contact}
        )

    def _contact(self, request: Request, match: re.Match[str]) -> Response:
        contact = self.contacts.get(match["id"])
        return (
            json_response(200, {"contact": contact})
            if contact
            else _error(404, "Contact not found")
        )

    # Invoices -----------------------------------------------------------------------------
    def _create_invoice(self, request: Request, match: re.Match[str]) -> Response:
        data = request.json()
        self._check_location(str(data.get("altId", "")))
        return json_response(200, self.invoices.create(data, request.base_url))

    def _list_invoices(self, request: Request, match: re.Match[str]) -> Response:
        self._check_location(request.param("altId"))
        limit, offset = int(request.param("limit", "20")), int(request.param("offset", "0"))
        found = self.invoices.find(request.param("search"), limit, offset)
        return json_response(200, {"invoices": found, "total": len(found)})

    def _get_invoice(self, request: Request, match: re.Match[str]) -> Response:
        self._check_location(request.param("altId"))
        raw = self.invoices.raw_answer(match["id"])
        if raw is not None:  # told to answer with a malformed body
            return Response(200, raw)
        return json_response(200, self.invoices.get(match["id"]))

    def _invoice_action(self, request: Request, match: re.Match[str]) -> Response:
        data = request.json()
        self._check_location(str(data.get("altId", "")))
        if match["op"] == "send":
            return json_response(200, {"invoice": self.invoices.send(match["id"], data)})
        if match["op"] == "void":
            return json_response(200, self.invoices.void(match["id"]))
        invoice = self.invoices.pay(match["id"], data.get("amount"), str(data.get("mode", "other")))
        return json_response(200, {"success": True, "invoice": invoice})

    def _transactions(self, request: Request, match: re.Match[str]) -> Response:
        self._check_location(request.param("altId"))
        entity = request.param("entityId")
        raw = self.invoices.raw_answer(entity, "transactions")
        if raw is not None:
            return Response(200, raw)
        found = [t for t in self.invoices.transactions if not entity or t["entityId"] == entity]
        return json_response(200, {"data": found, "totalCount": len(found)})

    # Opportunities ------------------------------------------------------------------------
    def _opportunity_routes(self) -> list[tuple[str, re.Pattern[str], Route]]:
        def pipelines(request: Request, match: re.Match[str]) -> Response:
            return json_response(
                200, self.opportunities.list_pipelines(request.param("locationId"))
            )

        def create(request: Request, match: re.Match[str]) -> Response:
            return json_response(201, self.opportunities.create(request.json(), self.contacts))

        def search(request: Request, match: re.Match[str]) -> Response:
            found = self.opportunities.search(
                request.param("location_id"), request.param("pipeline_id"), request.param("q")
            )
            return json_response(200, found)

        def one(request: Request, match: re.Match[str]) -> Response:
            if request.method == "GET":
                return json_response(200, self.opportunities.get(match["id"]))
            if request.method == "DELETE":
                return json_response(200, self.opportunities.delete(match["id"]))
            return json_response(200, self.opportunities.update(match["id"], request.json()))

        def status(request: Request, match: re.Match[str]) -> Response:
            return json_response(200, self.opportunities.set_status(match["id"], request.json()))

        item = re.compile(r"/opportunities/(?P<id>[^/]+)")
        return [
            ("GET", re.compile(r"/opportunities/pipelines"), pipelines),
            ("GET", re.compile(r"/opportunities/search"), search),
            ("POST", re.compile(r"/opportunities/?"), create),
            ("GET", item, one),
            ("PUT", item, one),
            ("DELETE", item, one),
            ("PUT", re.compile(r"/opportunities/(?P<id>[^/]+)/status"), status),
        ]

    # Conversations ------------------------------------------------------------------------
    def _send_message(self, request: Request, match: re.Match[str]) -> Response:
        data = request.json()
        kind = str(data.get("type", ""))
        contact = self.contacts.get(str(data.get("contactId", "")))
        if kind not in _MESSAGE_TYPES:
            raise InvoiceError(422, f"type must be one of {', '.join(_MESSAGE_TYPES)}")
        if contact is None:
            raise InvoiceError(400, "Contact not found")
        address = contact.get("email") if kind == "Email" else contact.get("phone")
        if not address:
            raise InvoiceError(400, f"The contact has no {'email' if kind == 'Email' else 'phone'}")
        attachments = data.get("attachments") or []
        if not isinstance(attachments, list) or not all(isinstance(u, str) for u in attachments):
            raise InvoiceError(422, "attachments must be an array of URLs")
        conversation = next(
            (c for c in self.conversations.values() if c["contactId"] == contact["id"]), None
        ) or self._new_conversation(contact["id"])
        message = {
            "id": secrets.token_hex(10),
            "type": {"SMS": 2, "Email": 3, "WhatsApp": 19}[kind],
            "messageType": _MESSAGE_TYPES[kind],
            "locationId": self.location_id,
            "contactId": contact["id"],
            "conversationId": conversation["id"],
            "dateAdded": _now(),
            "body": data.get("message", ""),
            "direction": "outbound",
            "status": "pending",
            "contentType": "text/html" if data.get("html") else "text/plain",
            "meta": {"email": {"subject": data.get("subject", "")}} if kind == "Email" else {},
            "attachments": attachments,
            "to": address,
        }
        self.messages[message["id"]] = message
        conversation.update(lastMessageBody=message["body"], lastMessageDate=message["dateAdded"])
        extra = {
            "subject": data.get("subject", ""),
            "html": data.get("html", ""),
            "templateId": data.get("templateId", ""),
        }
        summary = f"{kind} via cloud to {address}: {message['body'][:60]}"
        self.controls.record(kind.lower(), summary, {**message, **extra})
        answer = {
            "conversationId": conversation["id"],
            "messageId": message["id"],
            "msg": "Message queued successfully.",
        }
        if kind == "Email":
            answer["emailMessageId"] = message["id"]
        return json_response(200, answer)

    def _upload(self, request: Request, match: re.Match[str]) -> Response:
        """POST /conversations/messages/upload: multipart, each file a "fileAttachment" part.

        Answers {"uploadedFiles": {<file name>: <url>}}; a file over 5 MB is refused (413).
        """
        fields, files = _multipart(request)
        self._check_location(fields.get("locationId", ""))
        contact_id = fields.get("contactId", "")
        if not contact_id and not fields.get("conversationId"):
            raise InvoiceError(422, "conversationId or contactId is required")
        if contact_id and contact_id not in self.contacts:
            raise InvoiceError(400, "Contact not found")
        if not files:
            raise InvoiceError(400, "No fileAttachment was sent")
        uploaded: dict[str, str] = {}
        for filename, content_type, content in files:
            if len(content) > _MAX_UPLOAD_BYTES:
                raise InvoiceError(413, "File size exceeds the 5 MB limit")
            url = f"{request.base_url}/files/{secrets.token_hex(10)}/{quote(filename)}"
            kept = {"url": url, "filename": filename, "contentType": content_type,
                    "size": len(content), "contactId": contact_id, "content": content}  # fmt: skip
            self.uploads[url] = kept
            self.controls.record("upload", f"file {filename} ({len(content)} bytes)", kept)
            uploaded[filename] = url
        return json_response(200, {"uploadedFiles": uploaded})

    def receive(
        self, from_: str, body: str, *, kind: str = "SMS", subject: str = ""
    ) -> dict[str, Any]:
        """A customer (found or made by phone or email) writes to us in their conversation."""
        if not from_:
            raise ValueError("an inbound message needs the sender's phone or email")
        field = "email" if "@" in from_ else "phone"
        with self._lock:
            contact = next((c for c in self.contacts.values() if c.get(field) == from_), None)
            if contact is None:
                contact = {"id": secrets.token_hex(10), "locationId": self.location_id,
                           "dateAdded": _now(), field: from_}  # fmt: skip
                self.contacts[contact["id"]] = contact
            conversation = next(
                (c for c in self.conversations.values() if c["contactId"] == contact["id"]), None
            ) or self._new_conversation(contact["id"])
            message = inbound_message(
                self.location_id, contact, conversation, body, kind=kind, subject=subject
            )
            self.messages[message["id"]] = message
            conversation.update(lastMessageBody=body, lastMessageDate=message["dateAdded"],
                                lastMessageDirection="inbound",
                                lastMessageType=message["messageType"])  # fmt: skip
            return dict(message)

    def _new_conversation(self, contact_id: str) -> dict[str, Any]:
        conversation = {
            "id": secrets.token_hex(10),
            "contactId": contact_id,
            "locationId": self.location_id,
            "dateAdded": _now(),
        }
        self.conversations[conversation["id"]] = conversation
        return conversation

    def _get_message(self, request: Request, match: re.Match[str]) -> Response:
        message = self.messages.get(match["id"])
        if message is None:
            return _error(404, "Message not found")
        if message["status"] == "pending":  # the sandbox's carrier: delivered once looked up
            message["status"] = "delivered"
        return json_response(200, message)

    def _search_conversations(self, request: Request, match: re.Match[str]) -> Response:
        self._check_location(request.param("locationId"))
        contact = request.param("contactId")
        found = [
            conversation_view(c, self.contacts.get(c["contactId"]))
            for c in self.conversations.values()
            if not contact or c["contactId"] == contact
        ]
        if request.param("sortBy") == "last_message_date":
            descending = request.param("sort", "desc") == "desc"
            found.sort(key=lambda c: c.get("lastMessageDate") or 0, reverse=descending)
            after = request.param("startAfterDate")  # paging: the sort value to go on after
            if after:
                found = [c for c in found if _after(c.get("lastMessageDate") or 0, int(after),
                                                    descending)]  # fmt: skip
        limit = int(request.param("limit", "20") or 20)
        return json_response(200, {"conversations": found[:limit], "total": len(found)})

    def _list_messages(self, request: Request, match: re.Match[str]) -> Response:
        if match["id"] not in self.conversations:
            return _error(404, "Conversation not found")
        newest_first = [
            m for m in reversed(self.messages.values()) if m["conversationId"] == match["id"]
        ]
        after = request.param("lastMessageId")
        if after:
            ids = [m["id"] for m in newest_first]
            newest_first = newest_first[ids.index(after) + 1 :] if after in ids else []
        limit = int(request.param("limit", "20"))
        page = newest_first[:limit]
        return json_response(
            200,
            {
                "messages": {
                    "lastMessageId": page[-1]["id"] if page else None,
                    "nextPage": len(newest_first) > limit,
                    "messages": page,
                }
            },
        )


_MAX_UPLOAD_BYTES = 5_000_000


def _multipart(request: Request) -> tuple[dict[str, str], list[tuple[str, str, bytes]]]:
    """A multipart/form-data body's text fields, and its files (name, content type, bytes)."""
    head = f"Content-Type: {request.header('Content-Type')}\r\n\r\n".encode("latin-1")
    form = BytesParser(policy=policy.HTTP).parsebytes(head + request.body)
    if not form.is_multipart():
        raise InvoiceError(400, "The upload must be multipart/form-data")
    fields: dict[str, str] = {}
    files: list[tuple[str, str, bytes]] = []
    for part in form.iter_parts():
        content = part.get_payload(decode=True) or b""
        filename = part.get_filename()
        if filename:
            files.append((filename, part.get_content_type(), content))
        else:
            name = str(part.get_param("name", header="content-disposition") or "")
            fields[name] = content.decode("utf-8")
    return fields, files


def _after(value: int, start: int, descending: bool) -> bool:
    """Whether a conversation comes after `start` in the listing's order (search paging)."""
    return value < start if descending else value > start
