"""Deals and the sandbox cloud: pipelines pulled; creates, moves and status changes pushed once."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from leadcartel_desktop.app import AppContext, build_context
from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.domain.deals import DealStatus
from leadcartel_desktop.domain.outbox import Channel, OutboxState
from leadcartel_desktop.domain.providers import ProviderSettings, SecretName
from leadcartel_desktop.providers.factory import DefaultProviderFactory
from leadcartel_desktop.providers.keychain import KeyringSecretStore
from leadcartel_desktop.sandbox import FaultKind, Sandbox
from leadcartel_desktop.services.deal_sync import DELETE
from leadcartel_desktop.services.deal_views import DealDraft
from leadcartel_desktop.services.sending import AlwaysOnline, SendingPorts
from tests.conftest import FixedClock
from tests.integration.provider_support import HOLD_SECONDS, sandbox_settings
from tests.integration.sandbox_support import TIMEOUTS, clock_at_real_time, memory_keyring


@dataclass
class World:
    app: AppContext
    sandbox: Sandbox
    clock: FixedClock
    pipeline_id: int
    stage_ids: list[int]
    contact_id: int

    @property
    def services(self) -> Any:
        return self.app.services

    def deal(self, name: str, stage: int = 0, value: int = 150000) -> int:
        draft = DealDraft(
            name, self.contact_id, value, "USD", date(2026, 6, 1), self.pipeline_id,
            self.stage_ids[stage],
        )  # fmt: skip
        deal_id: int = self.services.deals.create(draft)
        return deal_id

    def send(self) -> int:
        sent: int = self.services.outbox.process_due(self.clock.now())
        return sent

    def created(self) -> list[dict[str, object]]:
        return [item.data for item in self.sandbox.received("cloud", "opportunity.create")]


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    with Sandbox(tmp_path_factory.mktemp("sandbox")) as running:
        yield running


@pytest.fixture
def world(sandbox: Sandbox, tmp_path: Path) -> Iterator[World]:
    sandbox.reset()
    clock = clock_at_real_time()
    factory = DefaultProviderFactory(timeouts=TIMEOUTS, clock=clock)
    with memory_keyring():
        secrets = KeyringSecretStore()
        app = build_context(
            tmp_path / "home", clock, SendingPorts(factory, secrets, AlwaysOnline())
        )
        services = app.services
        services.providers.save(sandbox_settings(sandbox))
        services.providers.save_secret(SecretName.CLOUD_TOKEN, sandbox.credentials.cloud_token)
        contact = services.contacts.create(Contact(first_name="Ann", email="ann@example.com"))
        assert services.deal_sync.pull_pipelines().added == 1
        (pipeline,) = services.pipelines.list()
        try:
            yield World(
                app, sandbox, clock, pipeline.id, [s.id for s in pipeline.stages], contact.id
            )
        finally:
            app.close()
            factory.close()


def test_pipelines_are_pulled_with_their_remote_ids_and_updated_in_place(world: World) -> None:
    services = world.services
    local = services.pipelines.create("My own", [("Idea", 5)])
    (pulled,) = [p for p in services.pipelines.list() if p.id == world.pipeline_id]
    assert (pulled.name, pulled.remote_id) == ("Sales Pipeline", "pipeline-sales")
    assert [(s.name, s.probability) for s in pulled.stages] == [
        ("New Lead", 25),
        ("Contacted", 50),
        ("Proposal Sent", 75),
        ("Closed", 100),
    ]
    cloud = world.sandbox.cloud.opportunities
    stages = cloud.pipelines["pipeline-sales"]["stages"]
    stages[0]["name"] = "Fresh lead"
    stages.insert(2, {"id": "stage-demo", "name": "Demo", "position": 1})
    stages[3]["position"], stages[1]["position"] = 2, 1
    stages[2]["position"] = 1
    for position, stage in enumerate(sorted(stages, key=lambda s: s["position"])):
        stage["position"] = position
    cloud.pipelines["pipeline-sales"]["name"] = "Sales"
    services.pipelines.set_probability(world.stage_ids[1], 40)

    assert services.deal_sync.pull_pipelines().updated == 1

    pipelines = {p.name: p for p in services.pipelines.list()}
    assert set(pipelines) == {"Sales", "My own"}
    assert pipelines["My own"].id == local and pipelines["My own"].remote_id is None
    names = [s.name for s in pipelines["Sales"].stages]
    assert names[0] == "Fresh lead" and "Demo" in names and len(names) == 5
    assert pipelines["Sales"].stage(world.stage_ids[1]).probability == 40  # kept  # type: ignore[union-attr]


def test_a_new_deal_is_created_once_even_when_sent_twice(world: World) -> None:
    services = world.services
    deal_id = world.deal("Website")
    (row,) = services.outbox.in_state(OutboxState.PENDING)
    assert (row.channel, row.idempotency_key) == (Channel.CLOUD, f"deal:{deal_id}:create")
    with world.app.database.unit_of_work() as uow:
        assert services.deal_sync.queue_in(uow, deal_id, "create") is False
        uow.commit()
    assert len(services.outbox.in_state(OutboxState.PENDING)) == 1

    assert world.send() == 1
    assert world.send() == 0
    (created,) = world.created()
    assert created["name"] == "Website"
    assert created["monetaryValue"] == Decimal("1500.00")
    assert created["pipelineStageId"] == "stage-new"
    assert services.deals.get(deal_id).remote_id == created["id"]


def test_a_create_whose_answer_was_lost_is_found_not_made_again(world: World) -> None:
    services = world.services
    world.deal("Logo")
    (row,) = services.outbox.in_state(OutboxState.PENDING)
    # Both the contact upsert and the create are taken, and their answers never come.
    world.sandbox.controls("cloud").fail_next(
        FaultKind.ACCEPT_THEN_TIMEOUT, count=2, hold_seconds=HOLD_SECONDS
    )
    world.send()
    assert services.outbox.get(row.id).state is OutboxState.UNKNOWN
    for _attempt in range(3):  # checked with the cloud before any resend, as the worker does
        if services.outbox.get(row.id).state is OutboxState.UNKNOWN:
            services.outbox.check_unknown(services.outbox.get(row.id))
        world.clock.instant += timedelta(minutes=5)
        world.send()
    assert services.outbox.get(row.id).state is OutboxState.SENT
    assert len(world.created()) == 1


def test_moves_and_status_changes_go_up_after_the_create(world: World) -> None:
    services = world.services
    deal_id = world.deal("Hosting")
    world.send()
    opportunity = services.deals.get(deal_id).remote_id
    assert opportunity

    services.deals.move(deal_id, world.stage_ids[2], 0)
    services.deals.set_status(deal_id, DealStatus.WON)
    assert world.send() == 2
    stored = world.sandbox.cloud.opportunities.opportunities[opportunity]
    assert (stored["pipelineStageId"], stored["status"]) == ("stage-proposal", "won")
    assert len(world.created()) == 1


def test_changes_made_before_the_create_answered_follow_it(world: World) -> None:
    services = world.services
    deal_id = world.deal("Consulting")
    services.deals.move(deal_id, world.stage_ids[3], 0)  # the create has not gone yet
    services.deals.set_status(deal_id, DealStatus.LOST, "Budget")
    assert len(services.outbox.in_state(OutboxState.PENDING)) == 1  # only the create

    world.send()  # the create; its answer links the deal and queues its latest state
    world.send()
    opportunity = services.deals.get(deal_id).remote_id
    assert opportunity is not None
    stored = world.sandbox.cloud.opportunities.opportunities[opportunity]
    assert (stored["pipelineStageId"], stored["status"]) == ("stage-closed", "lost")
    assert len(world.created()) == 1


def test_deals_of_the_apps_own_pipelines_stay_local(world: World) -> None:
    services = world.services
    local = services.pipelines.create("My own", [("Idea", 5)])
    stage = services.pipelines.get(local).stages[0].id
    draft = DealDraft("Local", world.contact_id, 100, "USD", None, local, stage)
    services.deals.set_status(services.deals.create(draft), DealStatus.WON)
    assert services.outbox.in_state(OutboxState.PENDING) == []


def test_without_a_cloud_account_nothing_is_queued(world: World) -> None:
    world.services.providers.save(ProviderSettings())
    world.deal("Offline")
    assert world.services.outbox.in_state(OutboxState.PENDING) == []


def test_the_periodic_job_pulls_the_clouds_pipelines(world: World) -> None:
    from leadcartel_desktop.ui.periodic_sync import run_periodic

    world.services.pipelines.rename(world.pipeline_id, "Renamed here")
    run_periodic(world.services, world.clock.now())
    (pipeline,) = world.services.pipelines.list()
    assert pipeline.name != "Renamed here"  # the cloud's name came back with the pull


def test_a_deal_made_after_the_last_one_was_deleted_gets_its_own_opportunity(
    world: World,
) -> None:
    services = world.services
    first = world.deal("First")
    world.send()
    old = services.deals.get(first).remote_id
    services.deals.delete(first)  # the newest deal: SQLite would hand its id out again

    second = world.deal("Second")
    world.send()
    world.send()

    assert second != first
    assert [created["name"] for created in world.created()] == ["First", "Second"]
    opportunities = world.sandbox.cloud.opportunities.opportunities
    assert old not in opportunities  # the deleted deal's opportunity went with it
    mine = services.deals.get(second).remote_id
    assert mine not in (None, old) and opportunities[mine]["name"] == "Second"


def test_a_deal_deleted_before_its_create_went_up_is_not_created(world: World) -> None:
    services = world.services
    kept = world.deal("Kept")
    gone = world.deal("Gone")
    services.deals.delete(gone)

    world.send()
    world.send()

    assert [created["name"] for created in world.created()] == ["Kept"]
    assert services.deals.get(kept).remote_id is not None
    (cancelled,) = services.outbox.in_state(OutboxState.CANCELLED)
    assert cancelled.idempotency_key == f"deal:{gone}:create"


def test_a_deleted_deal_is_deleted_in_the_cloud_once(world: World) -> None:
    services = world.services
    deal_id = world.deal("Gone later")
    world.send()
    remote_id = services.deals.get(deal_id).remote_id
    assert remote_id in world.sandbox.cloud.opportunities.opportunities

    services.deals.delete(deal_id)
    world.send()
    world.send()

    assert remote_id not in world.sandbox.cloud.opportunities.opportunities
    deletes = world.sandbox.received("cloud", "opportunity.delete")
    assert [item.data["id"] for item in deletes] == [remote_id]
    sent = [m for m in services.outbox.in_state(OutboxState.SENT) if m.payload["call"] == DELETE]
    assert [m.idempotency_key for m in sent] == [f"deal:{deal_id}:delete"]


def test_an_opportunity_already_gone_from_the_cloud_counts_as_deleted(world: World) -> None:
    services = world.services
    deal_id = world.deal("Removed there first")
    world.send()
    remote_id = services.deals.get(deal_id).remote_id
    del world.sandbox.cloud.opportunities.opportunities[remote_id]  # deleted on the web

    services.deals.delete(deal_id)
    world.send()

    (sent,) = [m for m in services.outbox.in_state(OutboxState.SENT) if m.payload["call"] == DELETE]
    assert sent.provider_id == remote_id
    assert services.outbox.in_state(OutboxState.FAILED) == []


def test_a_deal_deleted_while_its_create_is_unknown_is_deleted_once_the_create_settles(
    world: World,
) -> None:
    services = world.services
    deal_id = world.deal("Unknown then deleted")
    (create,) = services.outbox.in_state(OutboxState.PENDING)
    world.sandbox.controls("cloud").fail_next(
        FaultKind.ACCEPT_THEN_TIMEOUT, count=1, hold_seconds=HOLD_SECONDS
    )
    world.send()
    assert services.outbox.get(create.id).state is OutboxState.UNKNOWN
    services.deals.delete(deal_id)
    pending = services.outbox.in_state(OutboxState.PENDING)
    (held,) = [m for m in pending if m.payload["call"] == DELETE]
    assert held.idempotency_key == f"deal:{deal_id}:delete"

    services.outbox.check_unknown(services.outbox.get(create.id))  # the cloud has it: sent
    world.send()

    assert services.outbox.get(create.id).state is OutboxState.SENT
    assert world.sandbox.cloud.opportunities.opportunities == {}  # created, then deleted
    (deleted,) = world.sandbox.received("cloud", "opportunity.delete")
    assert deleted.data["id"] == services.outbox.get(create.id).provider_id


def test_a_held_delete_is_dropped_when_its_create_fails(world: World) -> None:
    services = world.services
    deal_id = world.deal("Never made")
    (create,) = services.outbox.in_state(OutboxState.PENDING)
    world.sandbox.controls("cloud").fail_next(
        FaultKind.ACCEPT_THEN_TIMEOUT, count=1, hold_seconds=HOLD_SECONDS
    )
    world.send()
    services.deals.delete(deal_id)
    services.outbox.resolve_unknown(create.id, arrived=False)  # the operator: send it again...
    services.outbox.cancel(create.id)  # ...no: cancel it

    services.deal_sync.link_created()

    (dropped,) = [m for m in services.outbox.in_state(OutboxState.CANCELLED)
                  if m.payload["call"] == DELETE]  # fmt: skip
    assert "never reached the cloud" in dropped.last_error
    assert world.sandbox.received("cloud", "opportunity.delete") == []
