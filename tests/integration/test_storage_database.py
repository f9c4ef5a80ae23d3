"""Opening the database: migrations, refusing newer files untouched, pragmas, one writer."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.domain.errors import UserFacingError
from leadcartel_desktop.storage.database import Database, open_database
from leadcartel_desktop.storage.errors import DatabaseTooNewError, UnreadableDatabaseError
from leadcartel_desktop.storage.migrate import alembic_config, head_revision, known_revisions
from leadcartel_desktop.storage.revision import HEAD_REVISION, stored_revision

EXPECTED_TABLES = {
    "alembic_version",
    "contacts",
    "contacts_fts",
    "business_settings",
    "tax_rates",
    "invoices",
    "invoice_lines",
    "payments",
    "number_counters",
}


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "book.sqlite3"


@pytest.fixture
def database(path: Path) -> Iterator[Database]:
    db = open_database(path)
    yield db
    db.close()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _schema(path: Path) -> list[tuple[str, str, str]]:
    with sqlite3.connect(path) as connection:
        return connection.execute(
            "SELECT type, name, sql FROM sqlite_schema ORDER BY type, name"
        ).fetchall()


def _stamp(path: Path, revision: str) -> None:
    connection = sqlite3.connect(path)
    with connection:
        connection.execute("UPDATE alembic_version SET version_num = ?", (revision,))
    connection.close()


def test_the_revision_constant_is_the_scripts_head() -> None:
    assert head_revision() == HEAD_REVISION
    assert HEAD_REVISION in known_revisions()


def test_a_new_file_is_created_at_head(path: Path) -> None:
    open_database(path).close()

    assert stored_revision(path) == HEAD_REVISION
    names = {name for _type, name, _sql in _schema(path)}
    assert names >= EXPECTED_TABLES
    assert {"invoices_lock_update", "invoices_lock_delete", "invoice_lines_lock_insert"} <= names
    assert {"ix_invoices_issue_date", "ix_invoices_owing", "ux_invoices_number"} <= names


def test_reopening_a_file_at_head_changes_nothing(path: Path) -> None:
    open_database(path).close()
    schema = _schema(path)

    database = open_database(path)
    database.close()

    assert _schema(path) == schema
    assert stored_revision(path) == HEAD_REVISION


def test_a_file_at_base_is_upgraded_to_head(path: Path) -> None:
    open_database(path).close()
    from alembic import command
    from sqlalchemy import create_engine

    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        command.downgrade(alembic_config(connection), "base")
    engine.dispose()
    assert "invoices" not in {name for _type, name, _sql in _schema(path)}

    open_database(path).close()

    assert stored_revision(path) == HEAD_REVISION
    assert {name for _type, name, _sql in _schema(path)} >= EXPECTED_TABLES


@pytest.mark.parametrize("journal_mode", ["wal", "delete"])
def test_a_file_from_a_newer_version_is_refused_and_left_untouched(
    path: Path, journal_mode: str
) -> None:
    open_database(path).close()
    _stamp(path, "9999_written_by_the_future")
    with sqlite3.connect(path) as connection:
        connection.execute(f"PRAGMA journal_mode = {journal_mode}")
    before = _digest(path)
    files_before = sorted(p.name for p in path.parent.iterdir())

    with pytest.raises(DatabaseTooNewError) as refused:
        open_database(path)

    assert isinstance(refused.value, UserFacingError)
    assert "newer version of Lead Cartel Desktop" in refused.value.message
    assert str(path) in refused.value.message
    assert _digest(path) == before
    assert sorted(p.name for p in path.parent.iterdir()) == files_before


def test_a_file_of_another_application_is_refused_untouched(path: Path) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE notes (body TEXT)")
    before = _digest(path)

    with pytest.raises(UnreadableDatabaseError):
        open_database(path)

    assert _digest(path) == before


def test_a_file_that_is_not_sqlite_is_refused_untouched(path: Path) -> None:
    path.write_bytes(b"%PDF-1.7 definitely not a database" * 100)
    before = _digest(path)

    with pytest.raises(UnreadableDatabaseError):
        open_database(path)

    assert _digest(path) == before


def test_every_connection_has_wal_foreign_keys_full_sync_and_a_busy_timeout(
    database: Database,
) -> None:
    for read_only in (True, False):
        with database.unit_of_work(read_only=read_only) as uow:
            # Reads run on plain sqlite3 connections, writes through SQLAlchemy: both alike.
            statements = uow.queries._sql  # type: ignore[attr-defined]

            def pragma(name: str, statements: Any = statements) -> object:
                return statements.scalar(f"PRAGMA {name}")

            assert pragma("journal_mode") == "wal"
            assert pragma("foreign_keys") == 1
            assert pragma("synchronous") == 2  # FULL
            assert int(pragma("busy_timeout")) >= 5000  # type: ignore[call-overload]


def test_work_not_committed_is_rolled_back(database: Database) -> None:
    with database.unit_of_work() as uow:
        uow.contacts.add(Contact(first_name="Ann"))
    with pytest.raises(RuntimeError), database.unit_of_work() as uow:
        uow.contacts.add(Contact(first_name="Ben"))
        uow.commit()
        uow.contacts.add(Contact(first_name="Cy"))
        raise RuntimeError("boom")

    with database.unit_of_work(read_only=True) as uow:
        assert [uow.contacts.get(1).first_name] == ["Ben"]
        assert uow.contacts.count() == 1


def test_a_read_only_unit_cannot_write_and_its_connection_is_writable_again(
    database: Database,
) -> None:
    with (
        pytest.raises(sqlite3.OperationalError, match="readonly"),
        database.unit_of_work(read_only=True) as uow,
    ):
        uow.contacts.add(Contact(first_name="Ann"))
    with database.unit_of_work(read_only=True) as uow, pytest.raises(RuntimeError):
        uow.commit()

    with database.unit_of_work() as uow:
        uow.contacts.add(Contact(first_name="Ben"))
        uow.commit()
    with database.unit_of_work(read_only=True) as uow:
        assert uow.contacts.count() == 1


def test_a_second_write_unit_on_the_same_thread_is_refused_not_deadlocked(
    database: Database,
) -> None:
    with database.unit_of_work(), pytest.raises(RuntimeError, match="already open"):
        database.unit_of_work().__enter__()
    with database.unit_of_work(), database.unit_of_work(read_only=True) as reader:
        assert reader.contacts.count() == 0


def test_writers_on_many_threads_queue_instead_of_failing(database: Database) -> None:
    errors: list[BaseException] = []

    def write(name: str) -> None:
        try:
            for index in range(20):
                with database.unit_of_work() as uow:
                    uow.contacts.add(Contact(first_name=f"{name}{index}"))
                    uow.commit()
                with database.unit_of_work(read_only=True) as uow:
                    uow.contacts.search(name, 5)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=write, args=(f"t{n}x",)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    with database.unit_of_work(read_only=True) as uow:
        assert uow.contacts.count() == 120


def test_a_second_database_object_on_the_same_file_shares_the_write_lock(path: Path) -> None:
    first = open_database(path)
    second = open_database(path)
    try:
        with first.unit_of_work(), pytest.raises(RuntimeError, match="already open"):
            second.unit_of_work().__enter__()
    finally:
        first.close()
        second.close()


def test_importing_storage_is_cheap_and_a_file_at_head_opens_without_alembic(path: Path) -> None:
    """Cold start: SQLAlchemy loads when the file is opened, Alembic only to migrate, no ORM."""
    import subprocess
    import sys

    open_database(path).close()
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from leadcartel_desktop.storage.database import open_database\n"
        "assert 'sqlalchemy' not in sys.modules\n"
        f"open_database(Path({str(path)!r})).close()\n"
        "assert 'alembic' not in sys.modules\n"
        "assert 'sqlalchemy.orm' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=60)


def test_reading_an_up_to_date_book_never_loads_sqlalchemy(path: Path) -> None:
    """Start-up paints the list from read units alone: SQLAlchemy waits for the first write."""
    database = open_database(path)
    with database.unit_of_work() as uow:
        uow.contacts.add(Contact(first_name="Ann", email="ann@example.com"))
        uow.commit()
    database.close()
    script = f"""
import sys
from datetime import date
from leadcartel_desktop.services.views import InvoiceQuery
from leadcartel_desktop.storage.database import open_database
database = open_database({str(path)!r})
with database.unit_of_work(read_only=True) as uow:
    uow.settings.business()
    uow.queries.invoice_page(InvoiceQuery(search="ann"), date(2026, 3, 10), 100)
    assert [hit.email for hit in uow.contacts.search("ann", 5)] == ["ann@example.com"]
    uow.queries.outstanding(date(2026, 3, 10))
assert not any(name.split(".")[0] == "sqlalchemy" for name in sys.modules), "sqlalchemy loaded"
with database.unit_of_work() as uow:
    uow.contacts.add(uow.contacts.get(1))
    uow.commit()
assert "sqlalchemy" in sys.modules
with database.unit_of_work(read_only=True) as uow:
    assert uow.contacts.count() == 2
database.close()
"""
    command = [sys.executable, "-c", script]
    done = subprocess.run(command, check=False, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
