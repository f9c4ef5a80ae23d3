"""Contacts and their full-text index: kept in step by triggers, safe against query syntax."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from leadcartel_desktop.domain.contact import Address, Contact
from leadcartel_desktop.domain.errors import NotFoundError
from leadcartel_desktop.storage.database import Database, open_database
from leadcartel_desktop.storage.fts import prefix_query, query_words


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    db = open_database(tmp_path / "book.sqlite3")
    yield db
    db.close()


def _add(database: Database, *contacts: Contact) -> list[int]:
    with database.unit_of_work() as uow:
        ids = [uow.contacts.add(contact) for contact in contacts]
        uow.commit()
    return ids


def _names(database: Database, text: str, limit: int = 10) -> list[str]:
    with database.unit_of_work(read_only=True) as uow:
        return [hit.display_name for hit in uow.contacts.search(text, limit)]


def _fts_is_consistent(database: Database) -> None:
    with database.engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO contacts_fts (contacts_fts) VALUES ('integrity-check')"
        )
        counted = connection.exec_driver_sql(
            "SELECT (SELECT count(*) FROM contacts), (SELECT count(*) FROM contacts_fts)"
        ).one()
    assert counted[0] == counted[1]


JANE = Contact(
    first_name="Jane",
    last_name="Doe",
    email="jane.doe@example.com",
    phone="+6591234567",
    company="Acme Trading",
    address=Address("1 Main St", "Singapore", "", "123456", "SG"),
)


def test_a_contact_round_trips(database: Database) -> None:
    (contact_id,) = _add(database, JANE)

    with database.unit_of_work(read_only=True) as uow:
        assert uow.contacts.get(contact_id) == Contact(**{**_fields(JANE), "id": contact_id})
        assert uow.contacts.find_by_email("JANE.DOE@example.com") == uow.contacts.get(contact_id)
        assert uow.contacts.find_by_email("nobody@example.com") is None
        assert uow.contacts.find_by_email("") is None
        assert uow.contacts.count() == 1


def _fields(contact: Contact) -> dict[str, object]:
    return {name: getattr(contact, name) for name in Contact.__slots__ if name != "id"}


def test_a_missing_contact_is_not_found(database: Database) -> None:
    with database.unit_of_work() as uow, pytest.raises(NotFoundError, match="Contact 7 was"):
        uow.contacts.get(7)
    with database.unit_of_work() as uow, pytest.raises(NotFoundError, match="Contact 7 was"):
        uow.contacts.update(Contact(first_name="X", id=7))


@pytest.mark.parametrize(
    "typed",
    ["jan", "JANE", "do", "jane d", "acme", "trad", "jane.doe@", "example", "9123", "6591",
     "+65 9123", "+65 9123-4567", "4567", "Jane Acme"],
)  # fmt: skip
def test_type_ahead_finds_by_any_word_prefix_including_phone_digits(
    database: Database, typed: str
) -> None:
    _add(database, JANE, Contact(first_name="Bob", company="Other", phone="+6588887777"))

    assert _names(database, typed) == ["Jane Doe"]


@pytest.mark.parametrize(
    "typed",
    ['"', "*", '"jane', "jane*", "AND", "OR", "NOT", "NEAR", "jane OR bob", "(", ")", ":", "^",
     "first_name:jane", "-", "'", "a\u0000b", "   ", "", "\u200b"],
)  # fmt: skip
def test_query_syntax_in_what_is_typed_cannot_break_the_search(
    database: Database, typed: str
) -> None:
    _add(database, JANE)

    names = _names(database, typed)

    assert names in ([], ["Jane Doe"])


def test_the_query_quotes_every_word() -> None:
    assert prefix_query('jane "OR" do*') == '"jane"* "OR"* "do"*'
    assert prefix_query("+65 9123-4567") == '"6591234567"*'
    assert prefix_query("**") is None
    assert query_words("Zoë O'Brien") == ["Zoë", "O", "Brien"]


def test_accents_and_case_do_not_matter(database: Database) -> None:
    _add(database, Contact(first_name="Zoë", last_name="Müller"))

    assert _names(database, "zoe mull") == ["Zoë Müller"]
    assert _names(database, "ZOË") == ["Zoë Müller"]


def test_name_matches_come_before_company_and_email_matches(database: Database) -> None:
    _add(
        database,
        Contact(first_name="Zed", email="ann@example.com"),
        Contact(first_name="Yan", company="Ann Supplies"),
        Contact(first_name="Anna", last_name="Berg"),
        Contact(first_name="Ann", last_name="Abbot"),
    )

    assert _names(database, "ann") == ["Ann Abbot", "Anna Berg", "Yan", "Zed"]
    assert _names(database, "ann", limit=2) == ["Ann Abbot", "Anna Berg"]


def test_the_index_follows_inserts_updates_and_deletes(database: Database) -> None:
    (contact_id,) = _add(database, JANE)

    with database.unit_of_work() as uow:
        uow.contacts.update(
            Contact(first_name="Janet", last_name="Roe", phone="+6580001111", id=contact_id)
        )
        uow.commit()

    assert _names(database, "jane") == ["Janet Roe"]
    assert _names(database, "doe") == []
    assert _names(database, "acme") == []
    assert _names(database, "9123") == []
    assert _names(database, "0001") == ["Janet Roe"]
    _fts_is_consistent(database)

    with database.engine.begin() as connection:
        connection.exec_driver_sql(
            "UPDATE contacts SET last_name = 'Smith' WHERE id = ?", (contact_id,)
        )
    assert _names(database, "smi") == ["Janet Smith"]
    _fts_is_consistent(database)

    with database.engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM contacts WHERE id = ?", (contact_id,))
    assert _names(database, "janet") == []
    _fts_is_consistent(database)
