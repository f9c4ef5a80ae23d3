"""Tags, groups and campaign audiences on a real SQLite book: who is in, who is left out, why."""

from __future__ import annotations

from typing import Any

import pytest

from leadcartel_desktop.domain.campaigns import LeftOutReason
from leadcartel_desktop.domain.contact_groups import GroupDefinition
from leadcartel_desktop.domain.errors import NotFoundError, ValidationError
from leadcartel_desktop.domain.outbox import Channel
from leadcartel_desktop.services.campaign_views import TagCount
from tests.integration.campaign_support import (
    add_contact,
    add_raw_contact,
    save_business,
    text_draft,
)


def test_tags_are_case_blind_per_contact_and_counted(services: Any) -> None:
    ann = add_contact(services, "Ann", "+6591234567")
    bob = add_contact(services, "Bob", "+6591234568")
    assert services.contact_tags.tag([ann, bob], "VIP") == 2
    assert services.contact_tags.tag([ann], "vip") == 0  # the same tag in another case
    services.contact_tags.tag([ann], "Spring 2026")
    assert services.contact_tags.tags() == [TagCount("Spring 2026", 1), TagCount("VIP", 2)]
    assert services.contact_tags.untag([bob], "Vip") == 1
    assert services.contact_tags.reach(ann).tags == ("Spring 2026", "VIP")
    assert services.contact_tags.tags() == [TagCount("Spring 2026", 1), TagCount("VIP", 1)]


def test_tagging_refuses_an_empty_tag_and_a_missing_contact(services: Any) -> None:
    ann = add_contact(services, "Ann")
    with pytest.raises(ValidationError) as empty:
        services.contact_tags.tag([ann], "  ")
    assert empty.value.field == "Tag"
    with pytest.raises(NotFoundError):
        services.contact_tags.tag([ann, 999], "VIP")
    assert services.contact_tags.tags() == []  # nothing half-done


def test_a_contact_zone_must_be_a_known_zone(services: Any) -> None:
    ann = add_contact(services, "Ann")
    services.contact_tags.set_time_zone(ann, "Europe/Berlin")
    assert services.contact_tags.reach(ann).time_zone == "Europe/Berlin"
    with pytest.raises(ValidationError) as refused:
        services.contact_tags.set_time_zone(ann, "Berlin")
    assert refused.value.field == "Time zone"


def test_groups_filter_by_tags_and_fields_and_count_live(services: Any) -> None:
    ann = add_contact(services, "Ann", "+6591234567", "ann@acme.example", company="Acme Ltd")
    bob = add_contact(services, "Bob", "", "bob@other.example", company="Other 100%")
    cat = add_contact(services, "Cat", "+6591234569", "", company="ACME Corp", city="Paris")
    services.contact_tags.tag([ann, bob], "VIP")
    services.contact_tags.tag([ann, cat], "Newsletter")
    assert services.groups.count(GroupDefinition()) == 3
    vip = GroupDefinition(any_tags=frozenset({"vip"}))
    assert services.groups.members(vip) == [ann, bob]
    both = GroupDefinition(all_tags=frozenset({"VIP", "newsletter"}))
    assert services.groups.members(both) == [ann]
    assert services.groups.members(GroupDefinition(company_contains="acme")) == [ann, cat]
    assert services.groups.members(GroupDefinition(company_contains="100%")) == [bob]
    assert services.groups.members(GroupDefinition(company_contains="0%")) == [bob]
    assert services.groups.members(GroupDefinition(email_domain="ACME.example")) == [ann]
    assert services.groups.members(GroupDefinition(has_phone=True, has_email=False)) == [cat]
    assert services.groups.members(GroupDefinition(city="paris")) == [cat]
    assert services.groups.count(GroupDefinition(any_tags=frozenset({"nobody"}))) == 0


def test_saved_groups_are_named_once_renamed_and_deleted(services: Any) -> None:
    ann = add_contact(services, "Ann", "+6591234567")
    services.contact_tags.tag([ann], "VIP")
    group_id = services.groups.create("VIPs", GroupDefinition(any_tags=frozenset({"VIP"})))
    assert services.groups.members(group_id) == [ann]
    with pytest.raises(ValidationError) as taken:
        services.groups.create("vips", GroupDefinition())
    assert taken.value.field == "Group name"
    services.groups.rename(group_id, "Best customers")
    (group,) = services.groups.list()
    assert (group.name, group.definition.any_tags) == ("Best customers", frozenset({"VIP"}))
    services.groups.delete(group_id)
    assert services.groups.list() == []


def test_the_audience_names_everyone_left_out_and_why(context: Any, services: Any) -> None:
    ok = add_contact(services, "Ok", "+6591234567")
    opted = add_contact(services, "Opted", "+6591234568")
    dnc = add_contact(services, "Dnc", "+6591234569")
    no_phone = add_contact(services, "Nophone", "", "np@x.example")
    invalid = add_raw_contact(context, "Invalid", "12345")
    services.contact_tags.tag([ok, opted, dnc, no_phone, invalid], "All")
    with context.database.unit_of_work() as uow:
        uow.opt_outs.add(Channel.SMS, "+6591234568", "STOP", services.clock.now())
        uow.commit()
    services.contact_tags.set_do_not_contact(dnc, Channel.SMS, True)
    audience = services.campaigns.audience(Channel.SMS, tags=["all"])
    assert audience.included == [ok]
    assert [(row.contact_id, row.reason) for row in audience.left_out] == [
        (opted, LeftOutReason.OPTED_OUT),
        (dnc, LeftOutReason.DO_NOT_CONTACT),
        (no_phone, LeftOutReason.NO_PHONE),
        (invalid, LeftOutReason.INVALID_NUMBER),
    ]
    assert audience.left_out[0].name == "Opted"
    by_email = services.campaigns.audience(Channel.EMAIL, tags=["All"])
    assert by_email.included == [no_phone]
    assert {row.reason for row in by_email.left_out} == {LeftOutReason.NO_EMAIL}
    # Opted out of SMS only: WhatsApp may still reach them (each channel has its register).
    assert services.campaigns.audience(
        Channel.WHATSAPP, contact_ids=[opted], whatsapp_template_id="HX1"
    ).included == [opted]


def test_groups_tags_and_single_contacts_add_up_each_contact_once(services: Any) -> None:
    ann = add_contact(services, "Ann", "+6591234567")
    bob = add_contact(services, "Bob", "+6591234568")
    cat = add_contact(services, "Cat", "+6591234569")
    services.contact_tags.tag([ann, bob], "VIP")
    group_id = services.groups.create("Bob", GroupDefinition(company_contains=""))
    audience = services.campaigns.audience(
        Channel.SMS, group_ids=[group_id], tags=["VIP"], contact_ids=[ann, cat]
    )
    assert audience.included == [ann, bob, cat]


def test_two_contacts_sharing_a_number_get_one_message(services: Any) -> None:
    ann = add_contact(services, "Ann", "+6591234567", "family@x.example")
    bob = add_contact(services, "Bob", "+6591234567", "bob@x.example")
    audience = services.campaigns.audience(Channel.SMS, contact_ids=[ann, bob])
    assert audience.included == [ann]
    assert [(row.contact_id, row.reason) for row in audience.left_out] == [
        (bob, LeftOutReason.SAME_ADDRESS)
    ]
    assert services.campaigns.audience(Channel.EMAIL, contact_ids=[ann, bob]).included == [
        ann,
        bob,
    ]


def test_the_preview_fills_merge_fields_for_any_recipient(services: Any) -> None:
    save_business(services, company_name="Acme Shop")
    ann = add_contact(services, "Ann", "+6591234567", last="Lee", company="Lee & Co")
    draft = text_draft(body="Hi {first_name} {last_name} of {company}, from {business_name} 😀")
    preview = services.campaigns.preview(draft, ann)
    assert preview.text == "Hi Ann Lee of Lee & Co, from Acme Shop 😀"
    assert preview.recipient == "+6591234567"
    assert preview.sms is not None and preview.sms.encoding.value == "UCS-2"
    with pytest.raises(ValidationError) as refused:
        services.campaigns.preview(text_draft(body="Hi {nickname}"), ann)
    assert refused.value.field == "Message"
