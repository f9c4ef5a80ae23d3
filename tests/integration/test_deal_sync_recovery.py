"""Deal sync recovering from what the cloud refused or changed: a failed create, a removed stage,
a pulled pipeline named like one of the book's."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.domain.deals import DealStatus
from leadcartel_desktop.domain.outbox import OutboxMessage, OutboxState
from leadcartel_desktop.services.deal_views import DealDraft
from leadcartel_desktop.ui.periodic_sync import run_periodic
from tests.integration import test_deal_sync
from tests.integration.test_deal_sync import World

# The fixtures of test_deal_sync.py: `sandbox` (one loopback sandbox per module) and `world` (a
# book with the cloud set up and its Sales Pipeline pulled).
sandbox = test_deal_sync.sandbox
world = test_deal_sync.world


def every_row(w: World) -> list[OutboxMessage]:
    return [row for state in OutboxState for row in w.services.outbox.in_state(state)]


def creates_of(w: World, deal_id: int) -> list[OutboxMessage]:
    prefix = f"deal:{deal_id}:create"
    rows = [
        row
        for row in every_row(w)
        if row.idempotency_key == prefix or row.idempotency_key.startswith(f"{prefix}:")
    ]
    return sorted(rows, key=lambda row: row.id)


def settle(w: World, rounds: int = 3) -> None:
    for _ in range(rounds):
        w.services.outbox.reconcile_unknown(w.clock.now())
        w.clock.instant += timedelta(minutes=10)
        w.send()


def unreachable_deal(w: World, name: str = "Unreachable") -> tuple[int, Contact]:
    """A deal whose contact has neither email nor phone: its cloud create fails."""
    services = w.services
    bare = services.contacts.create(Contact(first_name="NoReach"))
    draft = DealDraft(name, bare.id, 5000, "USD", None, w.pipeline_id, w.stage_ids[0])
    deal_id: int = services.deals.create(draft)
    w.send()
    (failed,) = services.outbox.in_state(OutboxState.FAILED)
    assert failed.idempotency_key == f"deal:{deal_id}:create"
    assert "contact" in failed.last_error.lower()
    return deal_id, bare


def edit(w: World, deal_id: int, **changes: object) -> None:
    detail = w.services.deals.get(deal_id)
    w.services.deals.update(deal_id, replace(detail.draft(), **changes))


# A create that failed, then the cause fixed ------------------------------------------------------


def test_an_edit_after_the_contact_is_fixed_creates_the_opportunity_once(world: World) -> None:
    services = world.services
    deal_id, bare = unreachable_deal(world)
    services.contacts.update(replace(bare, email="reach@example.com"))

    edit(world, deal_id, name="Reachable now")
    settle(world)

    remote = services.deals.get(deal_id).remote_id
    assert remote
    (created,) = world.created()
    assert created["id"] == remote and created["name"] == "Reachable now"
    contact = world.sandbox.cloud.contacts[str(created["contactId"])]
    assert contact["email"] == "reach@example.com"  # the contact as it is now, not as queued
    first, fresh = creates_of(world, deal_id)
    assert fresh.idempotency_key == f"deal:{deal_id}:create:2"  # a new key, not the old one's
    assert (fresh.state, fresh.provider_id) == (OutboxState.SENT, remote)
    assert first.state is OutboxState.CANCELLED
    assert "new create" in first.last_error
    assert services.outbox.in_state(OutboxState.FAILED) == []


def test_retrying_the_replaced_create_makes_no_second_opportunity(world: World) -> None:
    services = world.services
    deal_id, bare = unreachable_deal(world)
    old = creates_of(world, deal_id)[0]
    services.contacts.update(replace(bare, phone="+14155550123"))
    edit(world, deal_id, name="Fixed")

    services.outbox.retry_now(old.id)  # before the fresh create went: it must stay inert
    settle(world)
    services.outbox.retry_now(old.id)  # and after
    settle(world)

    (created,) = world.created()
    assert services.deals.get(deal_id).remote_id == created["id"]
    again = services.outbox.get(old.id)
    assert again.state is OutboxState.FAILED and again.provider_id == ""
    assert "newer create" in again.last_error
    live = [row for row in creates_of(world, deal_id) if row.state is not OutboxState.FAILED]
    assert [row.idempotency_key for row in live] == [f"deal:{deal_id}:create:2"]


def test_each_failed_attempt_gets_the_next_key_and_only_one_create_is_ever_live(
    world: World,
) -> None:
    services = world.services
    deal_id, bare = unreachable_deal(world)
    edit(world, deal_id, name="Still unreachable")  # the cause is not fixed yet
    creates = creates_of(world, deal_id)
    assert [row.state for row in creates] == [OutboxState.CANCELLED, OutboxState.PENDING]
    edit(world, deal_id, name="Edited again while the second waits")
    assert len(creates_of(world, deal_id)) == 2  # a waiting create is not doubled
    world.send()
    assert creates_of(world, deal_id)[-1].state is OutboxState.FAILED

    services.contacts.update(replace(bare, email="third@example.com"))
    services.deals.set_status(deal_id, DealStatus.WON)  # a status change is a change too
    settle(world)

    keys = [row.idempotency_key for row in creates_of(world, deal_id)]
    assert keys == [f"deal:{deal_id}:create"] + [f"deal:{deal_id}:create:{n}" for n in (2, 3)]
    (created,) = world.created()
    stored = world.sandbox.cloud.opportunities.opportunities[str(created["id"])]
    assert (stored["name"], stored["status"]) == ("Edited again while the second waits", "won")


def test_a_create_cancelled_in_the_outbox_goes_up_with_the_next_edit(world: World) -> None:
    services = world.services
    deal_id = world.deal("Cancelled first")
    (create,) = services.outbox.in_state(OutboxState.PENDING)
    services.outbox.cancel(create.id)
    world.send()
    assert world.created() == []

    edit(world, deal_id, value_minor=777)
    settle(world)

    (created,) = world.created()
    assert services.deals.get(deal_id).remote_id == created["id"]


# A stage removed in the cloud while deals sit in it -----------------------------------------------


def remove_contacted(w: World) -> None:
    pipeline = w.sandbox.cloud.opportunities.pipelines["pipeline-sales"]
    pipeline["stages"] = [s for s in pipeline["stages"] if s["id"] != "stage-contacted"]


def test_a_stage_removed_in_the_cloud_holds_its_deals_pushes_until_they_move(
    world: World,
) -> None:
    services = world.services
    deal_id = world.deal("Sits there", stage=1)
    world.send()
    remote = services.deals.get(deal_id).remote_id
    assert remote
    remove_contacted(world)

    first = services.deal_sync.pull_pipelines()
    second = services.deal_sync.pull_pipelines()

    (problem,) = first.problems
    assert "'Contacted'" in problem and "removed in the cloud" in problem and "1 deal" in problem
    assert second.problems == ()  # reported once, not on every pull
    stages = services.pipelines.get(world.pipeline_id).stages
    assert world.stage_ids[1] in [stage.id for stage in stages]

    edit(world, deal_id, name="Edited while held")
    edit(world, deal_id, value_minor=999_00)
    services.deals.set_status(deal_id, DealStatus.LOST, "Price")
    settle(world)

    assert world.sandbox.received("cloud", "opportunity.update") == []  # nothing refused there
    assert world.sandbox.received("cloud", "opportunity.status") == []
    (held,) = services.outbox.in_state(OutboxState.FAILED)  # one per deal and stage
    assert held.last_error_code == "stage_removed"
    assert "'Contacted' was removed in the cloud" in held.last_error
    assert "Move the deal" in held.last_error
    services.outbox.retry_now(held.id)  # a Retry sends nothing either
    settle(world)
    assert services.outbox.get(held.id).state is OutboxState.FAILED
    assert world.sandbox.received("cloud", "opportunity.update") == []

    services.deals.move(deal_id, world.stage_ids[2], 0)
    world.send()

    stored = world.sandbox.cloud.opportunities.opportunities[remote]
    assert stored["pipelineStageId"] == "stage-proposal"
    assert (stored["name"], stored["monetaryValue"], stored["status"]) == (
        "Edited while held",
        999,
        "lost",
    )  # everything held went up with the move
    assert services.outbox.get(held.id).state is OutboxState.CANCELLED
    assert services.outbox.in_state(OutboxState.FAILED) == []

    services.deal_sync.pull_pipelines()  # empty now: it goes
    stages = services.pipelines.get(world.pipeline_id).stages
    assert world.stage_ids[1] not in [stage.id for stage in stages]


def test_the_periodic_job_reports_the_removed_stage(world: World) -> None:
    world.deal("Sits there", stage=1)
    world.send()
    remove_contacted(world)

    run = run_periodic(world.services, world.clock.now())

    assert any("'Contacted'" in problem for problem in run.problems), run.problems


def test_a_deal_made_in_a_removed_stage_is_created_once_it_moves(world: World) -> None:
    services = world.services
    world.deal("Keeps the stage", stage=1)
    world.send()
    remove_contacted(world)
    services.deal_sync.pull_pipelines()

    newcomer = world.deal("Newcomer", stage=1)
    settle(world)
    assert [created["name"] for created in world.created()] == ["Keeps the stage"]
    assert services.deals.get(newcomer).remote_id is None

    services.deals.move(newcomer, world.stage_ids[0], 0)
    settle(world)

    names = [created["name"] for created in world.created()]
    assert names == ["Keeps the stage", "Newcomer"]
    assert services.deals.get(newcomer).remote_id


def test_a_create_queued_before_its_stage_went_is_made_once_the_deal_moves(world: World) -> None:
    services = world.services
    late = world.deal("Queued before the pull", stage=1)
    remove_contacted(world)
    services.deal_sync.pull_pipelines()
    world.send()  # queued while the stage was live: the cloud refuses it
    (failed,) = services.outbox.in_state(OutboxState.FAILED)
    assert "stage" in failed.last_error.lower()

    services.deals.move(late, world.stage_ids[3], 0)
    settle(world)

    (created,) = world.created()
    assert created["pipelineStageId"] == "stage-closed"
    assert services.deals.get(late).remote_id == created["id"]


def test_a_stage_the_cloud_brings_back_is_live_again(world: World) -> None:
    services = world.services
    deal_id = world.deal("Patient", stage=1)
    world.send()
    remote = services.deals.get(deal_id).remote_id
    assert remote
    cloud = world.sandbox.cloud.opportunities.pipelines["pipeline-sales"]
    stages = list(cloud["stages"])
    remove_contacted(world)
    assert services.deal_sync.pull_pipelines().problems  # marked removed here
    edit(world, deal_id, name="Held meanwhile")
    cloud["stages"] = stages
    assert services.deal_sync.pull_pipelines().problems == ()

    edit(world, deal_id, name="Pushed again")
    world.send()

    ids = [stage.id for stage in services.pipelines.get(world.pipeline_id).stages]
    assert ids == world.stage_ids  # the same local stage, not a second "Contacted"
    assert world.sandbox.cloud.opportunities.opportunities[remote]["name"] == "Pushed again"


# Names the book already uses ----------------------------------------------------------------------


def test_a_pulled_pipeline_named_like_one_of_the_book_gets_a_distinct_name(world: World) -> None:
    services = world.services
    mine = services.pipelines.create("My Pipeline", [("Idea", 5)])
    cloud = world.sandbox.cloud.opportunities
    cloud.add_pipeline("pipeline-2", "my pipeline", (("s-a", "A"), ("s-b", "a"), ("s-c", " A ")))
    cloud.add_pipeline("pipeline-3", " MY PIPELINE ", (("s-x", "X"),))

    pulled = services.deal_sync.pull_pipelines()
    again = services.deal_sync.pull_pipelines()

    assert (pulled.added, again.added) == (2, 0)
    by_remote = {p.remote_id: p for p in services.pipelines.list()}
    assert by_remote[None].id == mine and by_remote[None].name == "My Pipeline"
    assert by_remote["pipeline-2"].name == "my pipeline (cloud)"
    assert by_remote["pipeline-3"].name == "MY PIPELINE (cloud 2)"
    assert [s.name for s in by_remote["pipeline-2"].stages] == ["A", "a (2)", "A (3)"]
    names = [p.name.casefold() for p in services.pipelines.list()]
    assert len(names) == len(set(names)), names

    services.pipelines.rename(mine, "Mine")  # the clash is gone: the cloud's name comes back
    services.deal_sync.pull_pipelines()
    by_remote = {p.remote_id: p for p in services.pipelines.list()}
    assert by_remote["pipeline-2"].name == "my pipeline"


def test_a_cloud_stage_renamed_like_a_stage_the_app_added_gives_way(world: World) -> None:
    services = world.services
    own = services.pipelines.add_stage(world.pipeline_id, "Demo", 60)
    stages = world.sandbox.cloud.opportunities.pipelines["pipeline-sales"]["stages"]
    stages[0]["name"] = "demo"

    services.deal_sync.pull_pipelines()

    pipeline = services.pipelines.get(world.pipeline_id)
    names = {stage.id: stage.name for stage in pipeline.stages}
    assert names[world.stage_ids[0]] == "demo (2)"
    assert names[own] == "Demo"
