"""Deals and the cloud: pipelines come down; deal creates, edits, status changes and deletes go up.

Every push is an outbox row (Channel.CLOUD) written in the transaction of the change, and only
for a deal whose pipeline and stage came from the cloud (they have remote ids) while a cloud
account is set up. The create's key is `deal:<id>:create`, so queueing it twice makes one row
and the cloud (by Idempotency-Key, on every retry) one opportunity. Edits and status changes
need the opportunity's id: until the create has answered, the deal is marked as waiting and
its latest state goes up once the answer is in (`link_created`, run when the outbox changes).

A create that failed (the contact had no email or phone, say) or was cancelled is not the end:
the deal's next change queues a fresh create with its current details and contact, keyed
`deal:<id>:create:<attempt>` (a new key: the cloud may remember the old key's answer), and the
old row is cancelled and made inert, so a Retry of it cannot make a second opportunity. Only
the newest create row of a deal is ever live.

A stage the cloud removed while deals sit in it stays in the book, its remote id kept as a
tombstone (`removed:<id>`); changes of deals in it are held (a failed outbox row per deal and
stage, `deal:<id>:held:<stage>`, says why) until the deal moves to a live stage, whose push
carries the deal's whole state and cancels the held rows. Once empty, the stage goes on the next
pull. Pulled pipelines and stages never take a name the book already uses (in any case).
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
    StageRef,
)
from leadcartel_desktop.services.outbox import OutboxService, new_item
from leadcartel_desktop.services.ports import Clock, UnitOfWork, UnitOfWorkFactory

CREATE = "opportunity_create"
UPDATE = "opportunity_update"
STATUS = "opportunity_status"
DELETE = "opportunity_delete"
HELD = "opportunity_held"  # a change kept back: the deal's stage is gone from the cloud
REMOVED = "removed:"  # prefix of the remote id of a stage the cloud no longer has
log = logging.getLogger(__name__)
NOTHING_WAITING, CREATE_WAITING, CHANGED_WHILE_WAITING = 0, 1, 2
WAITS = datetime(9999, 1, 1, tzinfo=UTC)  # a delete's due time while it waits for its create


@dataclass(frozen=True, slots=True)
class PipelinePull:
    """What a pull stored: pipelines new to the book, those brought up to date, and problems.

    A problem (a stage removed in the cloud while deals sit in it) is reported by the pull that
    finds it, once: later pulls keep the stage quietly until it is empty.
    """

    added: int = 0
    updated: int = 0
    problems: tuple[str, ...] = ()


def create_key(deal_id: int, attempt: int = 1) -> str:
    """The create's idempotency key: the first attempt's is `deal:<id>:create`."""
    first = f"deal:{deal_id}:create"
    return first if attempt == 1 else f"{first}:{attempt}"


def _attempt(key: str) -> int:
    tail = key.rsplit(":", 1)[-1]
    return int(tail) if tail.isdigit() else 1


def held_prefix(deal_id: int) -> str:
    return f"deal:{deal_id}:held"


def removed_in_cloud(stage_remote_id: str | None) -> bool:
    return stage_remote_id is not None and stage_remote_id.startswith(REMOVED)


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
        has is removed when no deal is in it, else kept, marked removed in the cloud (and
        reported once): its deals' changes are held until they move to a live stage. A new
        stage's probability is the cloud's when it sends one, else spread evenly up to 100%
        (the operator may edit it). A name the book already uses gets a suffix ("(cloud)").
        """
        remote = self._cloud().pipelines()  # the network, before any transaction
        added = updated = 0
        problems: list[str] = []
        with self._uow() as uow:
            for pipeline in remote:
                if _store(uow, pipeline, problems):
                    added += 1
                else:
                    updated += 1
            uow.commit()
        self.link_created()
        return PipelinePull(added, updated, tuple(problems))

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
        if removed_in_cloud(facts.stage_remote_id):
            self._hold(uow, facts)  # the cloud would refuse it; a failed row says why
            return True
        remote_id = facts.deal.remote_id or self._adopt(uow, deal_id)
        if remote_id is not None:
            self._queue_change(uow, facts, remote_id, change)
            return True
        attempts = uow.deal_sync.create_attempts(create_key(deal_id))
        if not attempts:
            self._queue_create(uow, facts, create_key(deal_id))
            return True
        latest, state, _answered = attempts[-1]
        if state in (OutboxState.FAILED, OutboxState.CANCELLED):
            # Its create failed (or was cancelled) and the deal changed since, perhaps to fix
            # the cause: a fresh create with its current details, under a new key.
            fresh = create_key(deal_id, _attempt(latest) + 1)
            self._queue_create(uow, facts, fresh)
            now = self._clock.now()
            for key, old_state, _ in attempts:
                if old_state in (OutboxState.FAILED, OutboxState.CANCELLED):
                    uow.deal_sync.supersede_create(key, fresh, now)
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
        uow.deal_sync.drop_held(held_prefix(deal_id), now)
        creates = uow.deal_sync.create_attempts(create_key(deal_id))
        key = creates[-1][0] if creates else create_key(deal_id)  # the newest: the live one
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
        state, _ = uow.deal_sync.create_outcome(key)
        answered_id = next((answered for _, _, answered in creates if answered), "")
        remote_id = deal.remote_id or answered_id or None
        if remote_id is None and state in (None, OutboxState.FAILED, OutboxState.CANCELLED):
            return False  # it never reached the cloud
        if remote_id is None:
            # Its create is being sent or its answer is unknown: the delete waits for the
            # opportunity's id (link_created releases it, or cancels it if the create failed).
            payload = {"call": DELETE, "deal_id": deal_id, "opportunity_id": "", "after": key}
            item = new_item(
                Channel.CLOUD, deal.name, payload, cause=delete_key(deal_id), not_before=WAITS
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
                    if removed_in_cloud(facts.stage_remote_id):
                        self._hold(uow, facts)
                        queued += 1
                    elif facts.pipeline_remote_id and facts.stage_remote_id:
                        self._queue_change(uow, facts, remote_id, "update")
                        queued += 1
            uow.commit()
        if queued:
            self._outbox.changed()
        return linked

    def _release_held_deletes(self) -> None:
        """Deletes that waited for their create: sent once it answered, dropped if it failed."""
        with self._uow(read_only=True) as uow:
            held = uow.deal_sync.held_deletes(WAITS)
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
        attempts = uow.deal_sync.create_attempts(create_key(deal_id))
        remote_id = next((answered for _, _, answered in attempts if answered), None)
        if remote_id is not None:
            uow.deals.set_remote_id(deal_id, remote_id)
            uow.deal_sync.set_push_state(deal_id, NOTHING_WAITING)
        return remote_id

    def _queue_create(self, uow: UnitOfWork, facts: DealPushFacts, key: str) -> None:
        deal = facts.deal
        uow.deal_sync.drop_held(held_prefix(deal.id), self._clock.now())
        payload = {"call": CREATE, "deal_id": deal.id, **_body(facts), "contact": facts.contact}
        item = new_item(Channel.CLOUD, deal.name, payload, cause=key)
        self._outbox.queue_in(uow, item)
        uow.deal_sync.set_push_state(deal.id, CREATE_WAITING)

    def _hold(self, uow: UnitOfWork, facts: DealPushFacts) -> None:
        """A failed row (one per deal and stage) saying why the deal's changes stay here.

        Nothing is lost: the deal's next push, once it is in a live stage, carries its whole
        state (or its create), and cancels this row.
        """
        deal = facts.deal
        reason = (
            f"Not sent: the stage '{deal.stage_name}' was removed in the cloud. Move the deal to "
            "another stage; its current details then go up."
        )
        payload = {"call": HELD, "deal_id": deal.id, "stage": deal.stage_name, "reason": reason}
        cause = f"{held_prefix(deal.id)}:{deal.stage_id}"
        item = new_item(Channel.CLOUD, deal.name, payload, cause=cause)
        outbox_id = self._outbox.queue_in(uow, item)
        uow.outbox.record(
            outbox_id,
            OutboxState.FAILED,
            attempts=0,
            error_code="stage_removed",
            error=reason,
            now=self._clock.now(),
        )

    def _queue_change(
        self, uow: UnitOfWork, facts: DealPushFacts, remote_id: str, change: str
    ) -> None:
        deal = facts.deal
        uow.deal_sync.drop_held(held_prefix(deal.id), self._clock.now())
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


def _store(uow: UnitOfWork, remote: RemotePipeline, problems: list[str]) -> bool:
    """Add or update one cloud pipeline; True when it is new to the book."""
    stages = sorted(remote.stages, key=lambda stage: stage.position)
    local = uow.pipelines.by_remote_id(remote.id)
    # The app refuses two pipelines whose names differ only in case (or outer spaces): a
    # pulled one clashing with another gets a suffix rather than being linked to it (the
    # operator's own pipeline has its own stages and deals the cloud knows nothing of).
    others = {_key(p.name) for p in uow.pipelines.all() if local is None or p.id != local.id}
    name = _distinct(_name(remote.name, "Pipeline"), others, _cloud_suffix)
    if local is None:
        pipeline_id = uow.pipelines.add(name, remote.id)
        taken: set[str] = set()
        for index, stage in enumerate(stages):
            probability = _probability(stage, index, len(stages))
            stage_name = _distinct(_name(stage.name, "Stage"), taken, _number_suffix)
            taken.add(_key(stage_name))
            uow.pipelines.add_stage(
                pipeline_id, stage_name, probability, GAP * (index + 1), stage.id
            )
        return True
    if local.name != name:
        uow.pipelines.rename(local.id, name)
    known_stages = [(stage, _known(uow, local.id, stage.id)) for stage in stages]
    named = {known.stage.id for _, known in known_stages if known is not None}
    remote_ids = {stage.id for stage in stages}
    left: list[int] = []  # stages the cloud no longer has, and the app's own: kept at the end
    for stage in local.stages:
        if stage.id in named:
            continue
        remote_id = uow.pipelines.stage_remote_id(stage.id)
        gone = remote_id is not None and remote_id not in remote_ids
        count = uow.pipelines.deal_count(stage_id=stage.id) if gone else 0
        if gone and count == 0:
            uow.pipelines.delete_stage(stage.id)
            continue
        if gone and not removed_in_cloud(remote_id):
            # Deals sit in it: kept, but the cloud would refuse any push naming it.
            uow.pipelines.set_stage_remote_id(stage.id, f"{REMOVED}{remote_id}")
            deals = "1 deal" if count == 1 else f"{count} deals"
            problems.append(
                f"The stage '{stage.name}' of '{name}' was removed in the cloud; its {deals} "
                "will not sync until moved to another stage"
            )
        left.append(stage.id)
    # Names held by the stages kept at the end come first; the cloud's give way to them.
    taken = {_key(stage.name) for stage in local.stages if stage.id in left}
    order: list[int] = []
    for index, (stage, known) in enumerate(known_stages):
        stage_name = _distinct(_name(stage.name, "Stage"), taken, _number_suffix)
        taken.add(_key(stage_name))
        if known is None:
            probability = _probability(stage, index, len(stages))
            order.append(uow.pipelines.add_stage(local.id, stage_name, probability, 0, stage.id))
            continue
        if known.pipeline_id != local.id:  # the cloud moved it to another pipeline: not ours
            log.warning("cloud stage %s moved between pipelines; left where it is", stage.id)
            continue
        probability = _probability(stage, index, len(stages), known.stage.probability)
        uow.pipelines.update_stage(known.stage.id, stage_name, probability)
        order.append(known.stage.id)
    order.extend(left)
    uow.pipelines.set_stage_positions(
        [(stage_id, GAP * (i + 1)) for i, stage_id in enumerate(order)]
    )
    return False


def _known(uow: UnitOfWork, pipeline_id: int, remote_id: str) -> StageRef | None:
    """The stage with this cloud id; one marked removed here comes back if the cloud has it."""
    known = uow.pipelines.stage_by_remote_id(remote_id)
    if known is not None:
        return known
    removed = uow.pipelines.stage_by_remote_id(f"{REMOVED}{remote_id}")
    if removed is None or removed.pipeline_id != pipeline_id:
        return None
    uow.pipelines.set_stage_remote_id(removed.stage.id, remote_id)
    return removed


def _key(name: str) -> str:
    """Names compare as the app compares them: trimmed, spaces collapsed, any case."""
    return " ".join(name.split()).casefold()


def _cloud_suffix(n: int) -> str:
    return " (cloud)" if n == 1 else f" (cloud {n})"


def _number_suffix(n: int) -> str:
    return f" ({n + 1})"


def _distinct(name: str, taken: set[str], suffix: Callable[[int], str]) -> str:
    """`name`, or `name` with the first suffix that makes it unlike every name in `taken`."""
    if _key(name) not in taken:
        return name
    n = 1
    while True:
        end = suffix(n)
        candidate = name[: MAX_NAME - len(end)].rstrip() + end
        if _key(candidate) not in taken:
            return candidate
        n += 1


def _name(name: str, fallback: str) -> str:
    cleaned = " ".join(name.split())[:MAX_NAME]
    return cleaned or f"({fallback} without a name)"


def _probability(stage: RemoteStage, index: int, count: int, kept: int | None = None) -> int:
    """The cloud's probability if it sends one; else the one kept here; else spread evenly."""
    if stage.probability is not None and 0 <= stage.probability <= 100:
        return stage.probability
    return kept if kept is not None else 100 * (index + 1) // count
