"""Deals and the cloud: pipelines come down; deal creates, edits, status changes and deletes go up.

Every push is an outbox row (Channel.CLOUD) written in the transaction of the change, and only
for a deal whose pipeline and stage came from the cloud (they have remote ids) while a cloud
account is set up. The create's key is `deal:<id>:create`, so queueing it twice makes one row
and the cloud (by Idempotency-Key, on every retry) one opportunity. Edits and status changes
need the opportunity's id: until the create has answered, the deal is marked as waiting and
its latest state goes up once the answer is in (`link_created`, run when the outbox changes).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from leadcartel_desktop.domain.card_order import GAP
from leadcartel_desktop.domain.errors import UserFacingError
from leadcartel_desktop.domain.outbox import Channel, OutboxState
from leadcartel_desktop.domain.pipelines import MAX_NAME
from leadcartel_desktop.services.clock import SystemClock
from leadcartel_desktop.services.deal_ports import (
    CloudPipelineReader,
    DealPushFacts,
    RemotePipeline,
    RemoteStage,
)
from leadcartel_desktop.services.outbox import OutboxService, new_item
from leadcartel_desktop.services.ports import Clock, UnitOfWork, UnitOfWorkFactory

CREATE = "opportunity_create"
UPDATE = "opportunity_update"
STATUS = "opportunity_status"
DELETE = "opportunity_delete"
log = logging.getLogger(__name__)
NOTHING_WAITING, CREATE_WAITING, CHANGED_WHILE_WAITING = 0, 1, 2
HELD = datetime(9999, 1, 1, tzinfo=UTC)  # a delete's due time while it waits for its create


@dataclass(frozen=True, slots=True)
class PipelinePull:
    """What a pull stored: pipelines new to the book, and pipelines brought up to date."""

    added: int = 0
    updated: int = 0


def create_key(deal_id: int) -> str:
    return f"deal:{deal_id}:create"


def delete_key(deal_id: int) -> str:
    return f"deal:{deal_id}:delete"


def no_cloud_pipelines() -> CloudPipelineReader:
    raise UserFacingError("No Lead Cartel cloud account is set up (Settings > Providers)")


class DealSyncService:
    """`cloud` builds the pipeline reader on demand (UserFacingError when none is set up)."""

    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory,
        outbox: OutboxService,
        cloud: Callable[[], CloudPipelineReader] = no_cloud_pipelines,
        clock: Clock | None = None,
    ) -> None:
        self._uow = unit_of_work
        self._outbox = outbox
        self._cloud = cloud
        self._clock = clock or SystemClock()
        outbox.on_change(self._after_outbox_change)

    # Down: pipelines ---------------------------------------------------------------------

    def pull_pipelines(self) -> PipelinePull:
        """Store the cloud's pipelines by remote id (names, stages, their order).

        Pipelines made in the app (no remote id) are left alone; a stage the cloud no longer
        has is removed when no deal is in it, else kept. A new stage's probability is the
        cloud's when it sends one, else spread evenly up to 100% (the operator may edit it).
        """
        remote = self._cloud().pipelines()  # the network, before any transaction
        added = updated = 0
        with self._uow() as uow:
            for pipeline in remote:
                if _store(uow, pipeline):
                    added += 1
                else:
                    updated += 1
            uow.commit()
        self.link_created()
        return PipelinePull(added, updated)

    # Up: deal changes --------------------------------------------------------------------

    def queue_in(self, uow: UnitOfWork, deal_id: int, change: str) -> bool:
        """In the caller's transaction: queue `change` ("create", "update", "status").

        Returns whether a row was queued; call notify() after the commit.
        """
        if not uow.deal_sync.cloud_configured():
            return False
        facts = uow.deal_sync.facts(deal_id)
        if facts.pipeline_remote_id is None or facts.stage_remote_id is None:
            return False  # a pipeline made in the app: the cloud does not know it
        remote_id = facts.deal.remote_id or self._adopt(uow, deal_id)
        if remote_id is not None:
            self._queue_change(uow, facts, remote_id, change)
            return True
        if not uow.deal_sync.create_queued(create_key(deal_id)):
            self._queue_create(uow, facts)
            return True
        if change != "create":  # its create has not answered yet: send this state after it
            uow.deal_sync.set_push_state(deal_id, CHANGED_WHILE_WAITING)
        return False

    def forget_in(self, uow: UnitOfWork, deal_id: int, now: datetime) -> bool:
        """In the delete's transaction, before the deal goes: cancel or delete it in the cloud.

        A create still waiting to go up is not sent; an opportunity the cloud holds is deleted
        there too; a create being sent, or whose answer is unknown, gets a delete that waits for
        its outcome. Returns whether a row was queued now; call notify() after the commit.
        """
        key = create_key(deal_id)
        waiting = uow.deal_sync.waiting_create(key)
        if waiting is not None:
            message_id, attempts = waiting
            uow.outbox.record(
                message_id,
                OutboxState.CANCELLED,
                attempts=attempts,
                error_code="cancelled",
                error="The deal was deleted before it went to the cloud",
                now=now,
            )
            return False
        deal = uow.deals.get(deal_id)
        state, answered_id = uow.deal_sync.create_outcome(key)
        remote_id = deal.remote_id or answered_id or None
        if remote_id is None and state in (None, OutboxState.FAILED, OutboxState.CANCELLED):
            return False  # it never reached the cloud
        if remote_id is None:
            # Its create is being sent or its answer is unknown: the delete waits for the
            # opportunity's id (link_created releases it, or cancels it if the create failed).
            payload = {"call": DELETE, "deal_id": deal_id, "opportunity_id": "", "after": key}
            item = new_item(
                Channel.CLOUD, deal.name, payload, cause=delete_key(deal_id), not_before=HELD
            )
            self._outbox.queue_in(uow, item)
            return False
        if not uow.deal_sync.cloud_configured():
            return False
        payload = {"call": DELETE, "deal_id": deal_id, "opportunity_id": remote_id}
        item = new_item(Channel.CLOUD, deal.name, payload, cause=delete_key(deal_id))
        self._outbox.queue_in(uow, item)
        return True

    def notify(self) -> None:
        self._outbox.changed()

    def link_created(self) -> int:
        """Keep the opportunity ids the cloud gave; push what changed while waiting for them."""
        self._release_held_deletes()
        with self._uow(read_only=True) as uow:
            waiting = uow.deal_sync.waiting()
        if not waiting:
            return 0
        linked = queued = 0
        with self._uow() as uow:
            for deal_id, state in waiting:
                remote_id = self._adopt(uow, deal_id)
                if remote_id is None:
                    continue
                linked += 1
                if state == CHANGED_WHILE_WAITING:
                    facts = uow.deal_sync.facts(deal_id)
                    if facts.pipeline_remote_id and facts.stage_remote_id:
                        self._queue_change(uow, facts, remote_id, "update")
                        queued += 1
            uow.commit()
        if queued:
            self._outbox.changed()
        return linked

    def _release_held_deletes(self) -> None:
        """Deletes that waited for their create: sent once it answered, dropped if it failed."""
        with self._uow(read_only=True) as uow:
            held = uow.deal_sync.held_deletes(HELD)
        if not held:
            return
        released = 0
        with self._uow() as uow:
            for outbox_id, create in held:
                state, remote_id = uow.deal_sync.create_outcome(create)
                if remote_id:
                    uow.deal_sync.release_delete(outbox_id, remote_id, self._clock.now())
                    released += 1
                elif state in (OutboxState.FAILED, OutboxState.CANCELLED, None):
                    uow.deal_sync.drop_delete(outbox_id, self._clock.now())
            uow.commit()
        if released:
            self._outbox.changed()

    def _after_outbox_change(self) -> None:
        try:
            self.link_created()
        except Exception:  # a listener must not break the outbox; the next change retries
            log.exception("linking created opportunities failed")

    def _adopt(self, uow: UnitOfWork, deal_id: int) -> str | None:
        """The opportunity id from the deal's answered create row, kept on the deal."""
        remote_id = uow.deal_sync.created_remote_id(create_key(deal_id))
        if remote_id is not None:
            uow.deals.set_remote_id(deal_id, remote_id)
            uow.deal_sync.set_push_state(deal_id, NOTHING_WAITING)
        return remote_id

    def _queue_create(self, uow: UnitOfWork, facts: DealPushFacts) -> None:
        deal = facts.deal
        payload = {"call": CREATE, "deal_id": deal.id, **_body(facts), "contact": facts.contact}
        item = new_item(Channel.CLOUD, deal.name, payload, cause=create_key(deal.id))
        self._outbox.queue_in(uow, item)
        uow.deal_sync.set_push_state(deal.id, CREATE_WAITING)

    def _queue_change(
        self, uow: UnitOfWork, facts: DealPushFacts, remote_id: str, change: str
    ) -> None:
        deal = facts.deal
        payload: dict[str, object] = {"deal_id": deal.id, "opportunity_id": remote_id}
        if change == "status":
            payload |= {"call": STATUS, "status": deal.status.value}
        else:  # an edit, a move, or a create of a deal already in the cloud: its whole state
            payload |= {"call": UPDATE, **_body(facts)}
        # A key of its own (random, fixed now): each change is one row, sent once.
        self._outbox.queue_in(uow, new_item(Channel.CLOUD, deal.name, payload))


def _body(facts: DealPushFacts) -> dict[str, object]:
    """The opportunity's fields; the value stays minor units here (JSON in the outbox)."""
    deal = facts.deal
    return {
        "name": deal.name,
        "pipeline_id": facts.pipeline_remote_id,
        "stage_id": facts.stage_remote_id,
        "status": deal.status.value,
        "value_minor": deal.value_minor,
        "currency": deal.currency,
        "source": deal.source,
    }


def _store(uow: UnitOfWork, remote: RemotePipeline) -> bool:
    """Add or update one cloud pipeline; True when it is new to the book."""
    stages = sorted(remote.stages, key=lambda stage: stage.position)
    name = _name(remote.name, "Pipeline")
    local = uow.pipelines.by_remote_id(remote.id)
    if local is None:
        pipeline_id = uow.pipelines.add(name, remote.id)
        for index, stage in enumerate(stages):
            probability = _probability(stage, index, len(stages))
            uow.pipelines.add_stage(
                pipeline_id, _name(stage.name, "Stage"), probability, GAP * (index + 1), stage.id
            )
        return True
    if local.name != name:
        uow.pipelines.rename(local.id, name)
    order: list[int] = []
    for index, stage in enumerate(stages):
        known = uow.pipelines.stage_by_remote_id(stage.id)
        if known is None:
            probability = _probability(stage, index, len(stages))
            stage_name = _name(stage.name, "Stage")
            order.append(uow.pipelines.add_stage(local.id, stage_name, probability, 0, stage.id))
            continue
        if known.pipeline_id != local.id:  # the cloud moved it to another pipeline: not ours
            log.warning("cloud stage %s moved between pipelines; left where it is", stage.id)
            continue
        probability = _probability(stage, index, len(stages), known.stage.probability)
        uow.pipelines.update_stage(known.stage.id, _name(stage.name, "Stage"), probability)
        order.append(known.stage.id)
    remote_ids = {stage.id for stage in stages}
    for stage in local.stages:  # stages the cloud no longer has, and the app's own
        if stage.id in order:
            continue
        if uow.pipelines.deal_count(stage_id=stage.id) == 0 and _came_from_cloud(
            uow, stage.id, remote_ids
        ):
            uow.pipelines.delete_stage(stage.id)
        else:
            order.append(stage.id)
    uow.pipelines.set_stage_positions(
        [(stage_id, GAP * (i + 1)) for i, stage_id in enumerate(order)]
    )
    return False


def _came_from_cloud(uow: UnitOfWork, stage_id: int, remote_ids: set[str]) -> bool:
    return uow.pipelines.stage_remote_id(stage_id) not in (None, *remote_ids)


def _name(name: str, fallback: str) -> str:
    cleaned = " ".join(name.split())[:MAX_NAME]
    return cleaned or f"({fallback} without a name)"


def _probability(stage: RemoteStage, index: int, count: int, kept: int | None = None) -> int:
    """The cloud's probability if it sends one; else the one kept here; else spread evenly."""
    if stage.probability is not None and 0 <= stage.probability <= 100:
        return stage.probability
    return kept if kept is not None else 100 * (index + 1) // count
