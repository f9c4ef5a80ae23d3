"""The sandbox cloud's pipelines and opportunities (HighLevel API v2 shapes)."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from leadcartel_desktop.sandbox.cloud_invoices import InvoiceError
from leadcartel_desktop.sandbox.controls import Controls

STATUSES = ("open", "won", "lost", "abandoned")
# The pipeline every sandbox location starts with: (stage id, name).
SALES_STAGES = (
    ("stage-new", "New Lead"),
    ("stage-contacted", "Contacted"),
    ("stage-proposal", "Proposal Sent"),
    ("stage-closed", "Closed"),
)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class CloudOpportunities:
    """Pipelines and opportunities of one location; callers hold the API's lock."""

    def __init__(self, controls: Controls, location_id: str) -> None:
        self.controls = controls
        self.location_id = location_id
        self.pipelines: dict[str, dict[str, Any]] = {}
        self.opportunities: dict[str, dict[str, Any]] = {}
        self.add_pipeline("pipeline-sales", "Sales Pipeline", SALES_STAGES)

    def add_pipeline(
        self, pipeline_id: str, name: str, stages: tuple[tuple[str, str], ...]
    ) -> dict[str, Any]:
        pipeline = {
            "id": pipeline_id,
            "name": name,
            "locationId": self.location_id,
            "stages": [
                {"id": stage_id, "name": stage, "position": position}
                for position, (stage_id, stage) in enumerate(stages)
            ],
        }
        self.pipelines[pipeline_id] = pipeline
        return pipeline

    def list_pipelines(self, location_id: str) -> dict[str, Any]:
        self._check_location(location_id)
        return {"pipelines": list(self.pipelines.values())}

    def create(self, data: dict[str, Any], contacts: dict[str, dict[str, Any]]) -> dict[str, Any]:
        self._check_location(str(data.get("locationId", "")))
        for key in ("name", "pipelineId", "pipelineStageId", "contactId", "status"):
            if not data.get(key):
                raise InvoiceError(422, f"{key} should not be empty")
        if str(data["contactId"]) not in contacts:
            raise InvoiceError(400, "Contact not found")
        now = _now()
        opportunity = {
            "id": secrets.token_hex(10),
            "locationId": self.location_id,
            "contactId": str(data["contactId"]),
            "createdAt": now,
            "updatedAt": now,
        }
        opportunity.update(self._fields(data))
        self.opportunities[opportunity["id"]] = opportunity
        self.controls.record(
            "opportunity.create", f"opportunity {opportunity['name']}", dict(opportunity)
        )
        return {"opportunity": opportunity}

    def update(self, opportunity_id: str, data: dict[str, Any]) -> dict[str, Any]:
        opportunity = self._get(opportunity_id)
        merged = {**opportunity, **{k: v for k, v in data.items() if v not in (None, "")}}
        opportunity.update(self._fields(merged), updatedAt=_now())
        self.controls.record(
            "opportunity.update", f"opportunity {opportunity['name']}", dict(opportunity)
        )
        return {"opportunity": opportunity}

    def set_status(self, opportunity_id: str, data: dict[str, Any]) -> dict[str, Any]:
        opportunity = self._get(opportunity_id)
        status = str(data.get("status", ""))
        if status not in STATUSES:
            raise InvoiceError(422, f"status must be one of {', '.join(STATUSES)}")
        opportunity.update(status=status, updatedAt=_now())
        self.controls.record(
            "opportunity.status", f"opportunity {opportunity['name']}: {status}", dict(opportunity)
        )
        return {"succeded": True}  # sic: HighLevel's spelling

    def delete(self, opportunity_id: str) -> dict[str, Any]:
        opportunity = self._get(opportunity_id)
        del self.opportunities[opportunity_id]
        self.controls.record(
            "opportunity.delete", f"opportunity {opportunity['name']}", dict(opportunity)
        )
        return {"succeded": True}  # sic: HighLevel's spelling

    def get(self, opportunity_id: str) -> dict[str, Any]:
        return {"opportunity": self._get(opportunity_id)}

    def search(self, location_id: str, pipeline_id: str, text: str) -> dict[str, Any]:
        self._check_location(location_id)
        found = [
            o
            for o in self.opportunities.values()
            if (not pipeline_id or o["pipelineId"] == pipeline_id)
            and text.lower() in str(o["name"]).lower()
        ]
        return {"opportunities": found, "meta": {"total": len(found)}}

    def _get(self, opportunity_id: str) -> dict[str, Any]:
        opportunity = self.opportunities.get(opportunity_id)
        if opportunity is None:
            raise InvoiceError(404, "Opportunity not found")
        return opportunity

    def _fields(self, data: dict[str, Any]) -> dict[str, Any]:
        pipeline = self.pipelines.get(str(data.get("pipelineId", "")))
        if pipeline is None:
            raise InvoiceError(400, "Pipeline not found")
        stage_id = str(data.get("pipelineStageId", ""))
        if stage_id not in {stage["id"] for stage in pipeline["stages"]}:
            raise InvoiceError(400, "Pipeline stage not found in this pipeline")
        status = str(data.get("status", "open"))
        if status not in STATUSES:
            raise InvoiceError(422, f"status must be one of {', '.join(STATUSES)}")
        value = data.get("monetaryValue", 0)
        if isinstance(value, bool) or not isinstance(value, int | Decimal) or value < 0:
            raise InvoiceError(422, "monetaryValue must be a positive number")
        fields = {
            "name": str(data.get("name", "")),
            "pipelineId": pipeline["id"],
            "pipelineStageId": stage_id,
            "status": status,
            "monetaryValue": value,
        }
        if data.get("source"):
            fields["source"] = str(data["source"])
        return fields

    def _check_location(self, location_id: str) -> None:
        if location_id != self.location_id:
            raise InvoiceError(
                403 if location_id else 422, "The token does not have access to this location"
            )
