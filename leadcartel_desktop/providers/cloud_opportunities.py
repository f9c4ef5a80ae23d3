"""The cloud's opportunities (HighLevel API v2): pipelines down; opportunity create/update/status.

Outbox payloads (Channel.CLOUD, queued by services/deal_sync.py), values in minor units:
- opportunity_create: name, pipeline_id, stage_id, status, value_minor, currency, source and
  contact (first_name, last_name, email, phone, company; upserted first for its cloud id);
- opportunity_update: opportunity_id and the same fields (without contact);
- opportunity_status: opportunity_id, status;
- opportunity_delete: opportunity_id (one the cloud no longer has counts as deleted);
- opportunity_held: nothing is sent (the deal's stage is gone from the cloud); its reason;
- a create with superseded_by was replaced by a newer create of the same deal: not sent.
HighLevel keeps one currency per location, so the value goes as a number in the deal's
currency's major units and the currency itself is not sent.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any

from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.domain.money import to_major
from leadcartel_desktop.domain.outbox import OutboxMessage, SendOutcome
from leadcartel_desktop.providers.cloud import CloudClient, CloudError
from leadcartel_desktop.services.deal_ports import RemotePipeline, RemoteStage

CALLS = (
    "opportunity_create",
    "opportunity_update",
    "opportunity_status",
    "opportunity_delete",
    "opportunity_held",
)
CLOCK_SKEW = timedelta(minutes=10)


class CloudOpportunities:
    """CloudPipelineReader over a CloudClient, and the opportunity calls the outbox makes."""

    def __init__(self, client: CloudClient) -> None:
        self.client = client

    def pipelines(self) -> list[RemotePipeline]:
        data = self.client.call(
            "GET", "/opportunities/pipelines", params={"locationId": self.client.location_id}
        )
        found = data.get("pipelines", []) if isinstance(data, dict) else []
        return [_pipeline(item) for item in found if isinstance(item, dict) and item.get("id")]

    def send(self, message: OutboxMessage) -> SendOutcome:
        """One queued call; the outcome as the outbox records it (the opportunity id)."""
        payload = message.payload
        call = str(payload.get("call", ""))
        if call == "opportunity_held":  # kept back on purpose: a Retry changes nothing
            reason = str(payload.get("reason", "")) or "Not sent: the deal's stage is gone"
            return SendOutcome.permanent("stage_removed", reason)
        if call == "opportunity_create" and payload.get("superseded_by"):
            # Sending it would make a second opportunity beside the newer create's.
            return SendOutcome.permanent(
                "superseded",
                "Not sent: a newer create of this deal, with its current details, replaced it",
            )
        try:
            if call == "opportunity_create":
                contact_id = self._contact_id(payload, message.idempotency_key)
                if contact_id is None:
                    return SendOutcome.permanent(
                        "contact",
                        "The cloud needs a contact for every opportunity",
                        "Give the deal a contact with an email or a phone number, then edit it.",
                    )
                body = {
                    **_fields(payload),
                    "locationId": self.client.location_id,
                    "contactId": contact_id,
                }
                data = self.client.call(
                    "POST", "/opportunities/", body=body, idempotency_key=message.idempotency_key
                )
                return SendOutcome.accepted(_id(data), "created")
            opportunity = str(payload.get("opportunity_id", ""))
            if call == "opportunity_update":
                self.client.call("PUT", f"/opportunities/{opportunity}", body=_fields(payload))
                return SendOutcome.accepted(opportunity, "updated")
            if call == "opportunity_status":
                body = {"status": str(payload.get("status", ""))}
                self.client.call("PUT", f"/opportunities/{opportunity}/status", body=body)
                return SendOutcome.accepted(opportunity, "status")
            if call == "opportunity_delete":
                self.client.call("DELETE", f"/opportunities/{opportunity}")
                return SendOutcome.accepted(opportunity, "deleted")
        except CloudError as error:
            if call == "opportunity_delete" and error.outcome.code == "404":
                return SendOutcome.accepted(opportunity, "already deleted")
            return error.outcome
        return SendOutcome.permanent("call", f"Unknown cloud call '{call}'")

    def reconcile(self, message: OutboxMessage, taken: Collection[str]) -> SendOutcome | None:
        """After an ambiguous attempt: does the cloud hold this opportunity already?

        An update, a status change or a delete may simply go again (the same PUT or DELETE). A
        create is looked for (GET /opportunities/search by pipeline and name): one created since the
        attempt started that no other row holds is taken as this row's.
        """
        payload = message.payload
        if payload.get("call") != "opportunity_create":
            return None
        params = {
            "location_id": self.client.location_id,
            "pipeline_id": str(payload.get("pipeline_id", "")),
            "q": str(payload.get("name", "")),
        }
        try:
            data = self.client.call("GET", "/opportunities/search", params=params)
        except CloudError as error:
            return SendOutcome.ambiguous(
                f"Cannot check with the cloud yet: {error.outcome.message}"
            )
        since = message.attempt_started_at or message.created_at
        found = data.get("opportunities", []) if isinstance(data, dict) else []
        for item in sorted(found, key=lambda item: str(item.get("createdAt", ""))):
            if not isinstance(item, dict) or str(item.get("id", "")) in taken:
                continue
            if item.get("name") == payload.get("name") and _since(item, since):
                return SendOutcome.accepted(str(item["id"]), "created")
        return None

    def _contact_id(self, payload: dict[str, Any], key: str) -> str | None:
        given = payload.get("contact")
        if not isinstance(given, dict) or not (given.get("email") or given.get("phone")):
            return None
        contact = Contact(
            first_name=str(given.get("first_name", "")),
            last_name=str(given.get("last_name", "")),
            email=str(given.get("email", "")),
            phone=str(given.get("phone", "")),
            company=str(given.get("company", "")),
        )
        return self.client.upsert_contact(contact, idempotency_key=f"{key}:contact")


def _fields(payload: dict[str, Any]) -> dict[str, Any]:
    currency = str(payload.get("currency", "USD"))
    value = payload.get("value_minor", 0)
    body: dict[str, Any] = {
        "name": str(payload.get("name", "")),
        "pipelineId": str(payload.get("pipeline_id", "")),
        "pipelineStageId": str(payload.get("stage_id", "")),
        "status": str(payload.get("status", "open")),
        "monetaryValue": to_major(value if isinstance(value, int) else int(str(value)), currency),
    }
    if payload.get("source"):
        body["source"] = str(payload["source"])
    return body


def _id(data: Any) -> str:
    found = data.get("opportunity", data) if isinstance(data, dict) else {}
    return str(found.get("id") or found.get("_id") or "")


def _pipeline(item: dict[str, Any]) -> RemotePipeline:
    stages = [stage for stage in item.get("stages") or [] if isinstance(stage, dict)]
    return RemotePipeline(
        id=str(item["id"]),
        name=str(item.get("name") or ""),
        stages=tuple(
            RemoteStage(
                id=str(stage.get("id") or ""),
                name=str(stage.get("name") or ""),
                position=_int(stage.get("position"), index),
                probability=_probability(stage.get("probability")),
            )
            for index, stage in enumerate(stages)
            if stage.get("id")
        ),
    )


def _since(item: dict[str, Any], since: datetime | None) -> bool:
    if since is None:
        return True
    try:
        created = datetime.fromisoformat(str(item.get("createdAt")))
    except ValueError:
        return True
    return created >= since - CLOCK_SKEW


def _int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _probability(value: Any) -> int | None:
    number = _int(value, -1)
    return number if 0 <= number <= 100 else None
