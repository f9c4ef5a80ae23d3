"""Tags equal under Unicode case folding (and NFKC) are one tag: counts, groups, audiences."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from leadcartel_desktop.app import AppContext
from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.domain.contact_groups import GroupDefinition, clean_tags, tag_key
from leadcartel_desktop.domain.outbox import Channel
from leadcartel_desktop.services.campaign_views import TagCount
from leadcartel_desktop.storage.database import open_database
from leadcartel_desktop.storage.migrate import alembic_config
from leadcartel_desktop.storage.revision import HEAD_REVISION, stored_revision


def _people(context: AppContext, count: int) -> list[int]:
    ids = []
    for n in range(count):
        contact = Contact(f"P{n}", "X", f"p{n}@example.com", phone=f"+659111{n:04d}")
        made = context.services.contacts.create(contact).id
        assert made is not None
        ids.append(made)
    return ids


def _audience_size(context: AppContext, **reach: Any) -> int:
    audience = context.services.campaigns.audience(Channel.SMS, body="Hi", **reach)
    return len(audience.included) + len(audience.left_out)


def test_non_ascii_case_spellings_are_one_tag_with_the_first_spelling(
    context: AppContext,
) -> None:
    tags = context.services.contact_tags
    a, b, c, d = _people(context, 4)
    assert tags.tag([a], "Élite") == 1
    assert tags.tag([b], "élite") == 1
    assert tags.tag([c], "ÉLITE") == 1
    assert tags.tag([a, b], "ÉLITE") == 0  # they have it already
    tags.tag([d], "Elite")  # accents are not case: another tag

    assert tags.tags() == [TagCount("Elite", 1), TagCount("Élite", 3)]
    assert [tags.reach(contact).tags for contact in (a, b, c)] == [("Élite",)] * 3


def test_groups_and_campaign_audiences_find_a_tag_in_any_case(context: AppContext) -> None:
    services = context.services
    a, b, c = _people(context, 3)
    services.contact_tags.tag([a], "Élite")
    services.contact_tags.tag([b], "élite")
    services.contact_tags.tag([a, b, c], "Straße")

    any_of = GroupDefinition(any_tags=frozenset({"ÉLITE"}))
    assert services.groups.count(any_of) == 2
    assert services.groups.members(any_of) == [a, b]
    all_of = GroupDefinition(all_tags=frozenset({"éLITE", "STRASSE"}))
    assert services.groups.count(all_of) == 2
    gid = services.groups.create("Élite", all_of)
    assert services.groups.members(gid) == [a, b]

    assert _audience_size(context, tags=["ÉLITE"]) == 2
    assert _audience_size(context, group_ids=[gid]) == 2
    assert _audience_size(context, tags=["strasse"]) == 3


def test_nfkc_forms_are_the_same_tag(context: AppContext) -> None:
    tags = context.services.contact_tags
    a, b, c = _people(context, 3)
    tags.tag([a], "élite")  # precomposed é
    tags.tag([b], "e\u0301lite")  # e + combining acute, as macOS may type it
    tags.tag([c], "Ｅｌｉｔｅ")  # full-width: plain 'Elite'
    assert tags.tags() == [TagCount("Ｅｌｉｔｅ", 1), TagCount("élite", 2)]
    assert context.services.groups.count(GroupDefinition(any_tags=frozenset({"ELITE"}))) == 1


def test_untag_in_another_case_removes_the_tag(context: AppContext) -> None:
    tags = context.services.contact_tags
    a, b = _people(context, 2)
    tags.tag([a, b], "Ünïcode")
    assert tags.untag([a], "ÜNÏCODE") == 1
    assert tags.tags() == [TagCount("Ünïcode", 1)]
    assert tags.reach(a).tags == ()


def test_tag_key_and_clean_tags_fold_unicode_case_and_compatibility_forms() -> None:
    assert tag_key("ÉLITE") == tag_key("élite") == tag_key("e\u0301lite") == "élite"
    assert tag_key("Ｆｉｎａｎｃｅ") == tag_key("ﬁnance") == "finance"
    assert tag_key("año") != tag_key("ano")
    assert len(clean_tags(["Élite", "e\u0301LITE", "Ｅ\u0301lite"])) == 1
    assert len(clean_tags(["año", "ano"])) == 2


# The migration -----------------------------------------------------------------------------


def _downgrade_to_0010(path: Path) -> None:
    from alembic import command
    from sqlalchemy import create_engine

    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0010")
    engine.dispose()


def test_the_migration_merges_existing_case_duplicates(tmp_path: Path) -> None:
    path = tmp_path / "book.sqlite3"
    open_database(path).close()
    _downgrade_to_0010(path)
    assert stored_revision(path) == "0010"
    with sqlite3.connect(path) as connection:
        connection.executemany(
            "INSERT INTO contacts (id, first_name) VALUES (?, ?)",
            [(n, f"P{n}") for n in range(1, 5)],
        )
        # Under NOCASE these are all different tags, even on one contact.
        connection.executemany(
            "INSERT INTO contact_tags (contact_id, tag) VALUES (?, ?)",
            [(1, "Élite"), (1, "élite"), (2, "élite"), (3, "ÉLITE"), (4, "VIP"), (3, "vip")],
        )
    connection.close()

    database = open_database(path)
    try:
        assert stored_revision(path) != "0010"
        with database.unit_of_work(read_only=True) as uow:
            assert uow.contact_tags.tags() == [TagCount("VIP", 2), TagCount("élite", 3)]
            assert uow.contact_tags.reach(1).tags == ("élite",)  # one row left per contact
            assert uow.contact_tags.reach(3).tags == ("VIP", "élite")
            assert uow.groups.count(GroupDefinition(any_tags=frozenset({"ÉLITE"}))) == 3
    finally:
        database.close()

    _downgrade_to_0010(path)  # the merged spellings go back as they are
    with sqlite3.connect(path) as connection:
        rows = connection.execute("SELECT contact_id, tag FROM contact_tags ORDER BY 1, 2")
        assert rows.fetchall() == [(1, "élite"), (2, "élite"), (3, "VIP"), (3, "élite"), (4, "VIP")]
    connection.close()
    open_database(path).close()
    assert stored_revision(path) == HEAD_REVISION
