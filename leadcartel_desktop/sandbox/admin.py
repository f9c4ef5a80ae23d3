"""The /_sandbox/ admin endpoint: what arrived, failures to fake, latency and limits, over HTTP."""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Protocol

from leadcartel_desktop.sandbox.controls import Controls, FaultKind
from leadcartel_desktop.sandbox.http_server import AdminRouter, Request, Response, json_response

USAGE = {
    "GET /_sandbox/received": "everything every server received (?kind=sms to filter)",
    "GET /_sandbox/<server>/received": "what one server received (twilio, cloud, smtp, smtps)",
    "POST /_sandbox/<server>/faults": '{"kind": "500|503|429|accept_then_timeout|21211|21610|401",'
    ' "count": 1, "retry_after": "2", "hold_seconds": 5, "methods": ["POST"]}',
    "POST /_sandbox/<server>/config": '{"latency_ms": 50, "max_concurrency": 4,'
    ' "rate_per_second": 20}',
    "POST /_sandbox/<server>/reset": "forget what arrived, faults, latency and limits",
    "GET /_sandbox/<server>/stats": "server-side handling time per request",
    "POST /_sandbox/<server>/inbound": 'a customer writes to us: {"from": "+1555...", "body":'
    ' "STOP"} (twilio: "whatsapp:+1555..." for WhatsApp; cloud: "kind": "SMS|WhatsApp|Email",'
    ' "subject")',
}


class AdminTarget(Protocol):
    name: str
    controls: Controls

    def reset(self) -> None: ...

    def admin(self, request: Request, action: str) -> Response | None: ...


def admin_router(targets: Mapping[str, AdminTarget], default: str | None = None) -> AdminRouter:
    """Routes /_sandbox/<server>/<action>; a provider server also answers /_sandbox/<action>."""

    def route(request: Request) -> Response:
        parts = [part for part in request.path.split("/") if part][1:]
        if parts and parts[0] in targets:
            return _act(targets[parts[0]], request, "/".join(parts[1:]))
        if default is not None:
            return _act(targets[default], request, "/".join(parts))
        if parts == ["received"] and request.method == "GET":
            kind = request.param("kind") or None
            items = [
                item.as_json()
                for target in targets.values()
                for item in target.controls.received(kind)
            ]
            return json_response(200, {"received": sorted(items, key=lambda item: item["at"])})
        return json_response(404, {"message": "unknown admin path", "usage": USAGE})

    return route


def _act(target: AdminTarget, request: Request, action: str) -> Response:
    controls = target.controls
    if action == "received" and request.method == "GET":
        items = controls.received(request.param("kind") or None)
        return json_response(200, {"server": target.name, "received": [i.as_json() for i in items]})
    if action == "faults" and request.method == "GET":
        pending = [
            {"kind": f.kind.value, "retry_after": f.retry_after} for f in controls.pending_faults()
        ]
        return json_response(200, {"server": target.name, "pending": pending})
    if action == "faults" and request.method == "POST":
        return _add_fault(controls, request.json())
    if action == "config" and request.method == "POST":
        data = request.json()
        latency = data.get("latency_ms")
        controls.configure(
            latency_seconds=float(Decimal(latency) / 1000) if latency is not None else None,
            max_concurrency=data.get("max_concurrency"),
            rate_per_second=data.get("rate_per_second"),
        )
        return json_response(200, {"server": target.name, "ok": True})
    if action == "reset" and request.method == "POST":
        controls.reset()
        target.reset()
        return json_response(200, {"server": target.name, "ok": True})
    if action == "stats" and request.method == "GET":
        return json_response(200, {"server": target.name, **_stats(controls)})
    answer = target.admin(request, action)
    if answer is not None:
        return answer
    return json_response(404, {"message": f"unknown admin action '{action}'", "usage": USAGE})


def _add_fault(controls: Controls, data: dict[str, Any]) -> Response:
    try:
        kind = FaultKind(str(data.get("kind", "")))
    except ValueError:
        kinds = ", ".join(kind.value for kind in FaultKind)
        return json_response(400, {"message": f"kind must be one of: {kinds}"})
    controls.fail_next(
        kind,
        int(data.get("count", 1)),
        retry_after=str(data.get("retry_after", "1")),
        hold_seconds=float(Decimal(str(data.get("hold_seconds", 5)))),
        methods=set(data.get("methods", [])),
    )
    return json_response(
        200, {"server": controls.server, "pending": len(controls.pending_faults())}
    )


def _stats(controls: Controls) -> dict[str, Any]:
    times = sorted(controls.handling_times())
    if not times:
        return {"requests": 0}
    p95 = times[max(0, -(-len(times) * 95 // 100) - 1)]
    return {
        "requests": len(times),
        "mean_ms": round(statistics.fmean(times) * 1000, 3),
        "p95_ms": round(p95 * 1000, 3),
    }
