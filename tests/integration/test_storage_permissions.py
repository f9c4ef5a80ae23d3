"""A book this user cannot write is reported as a permission problem, and left untouched."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from leadcartel_desktop.cli.run import main
from leadcartel_desktop.storage.database import open_database
from leadcartel_desktop.storage.errors import DatabaseNotWritableError

MESSAGE = "cannot write to {}: check the file and folder permissions"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _chmod_binds(path: Path) -> bool:
    """False when running as root (or similar), where a read-only mode does not stop writes."""
    try:
        with path.open("r+b"):
            return False
    except PermissionError:
        return True


@pytest.fixture
def read_only_book(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "leadcartel.sqlite3"
    open_database(path).close()
    path.chmod(0o444)
    folder.chmod(0o555)
    yield path
    folder.chmod(0o755)
    path.chmod(0o644)


def test_a_read_only_file_in_a_read_only_folder(read_only_book: Path) -> None:
    if not _chmod_binds(read_only_book):
        pytest.skip("running as root: file modes do not stop writes (see the test below)")
    before = _digest(read_only_book)

    with pytest.raises(DatabaseNotWritableError) as refused:
        open_database(read_only_book)

    assert "not a Lead Cartel Desktop database" not in refused.value.message
    assert "check the file and folder permissions" in refused.value.message
    assert _digest(read_only_book) == before
    assert sorted(p.name for p in read_only_book.parent.iterdir()) == [read_only_book.name]


def test_a_folder_that_cannot_hold_the_book(tmp_path: Path) -> None:
    """Works as root too: the database's folder is a file, so nothing can be created there."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")

    with pytest.raises(DatabaseNotWritableError, match=MESSAGE.format(blocker)):
        open_database(blocker / "leadcartel.sqlite3")
    assert blocker.read_text() == "x"


def test_the_command_line_reports_it_as_an_operator_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    request = tmp_path / "invoice.json"
    request.write_text('{"customer": {"first_name": "Ann"}, "lines": []}')

    code = main(["--home", str(blocker / "home"), "invoice", "create", "--json", str(request)])

    assert code == 1
    error = capsys.readouterr().err
    assert "cannot write to" in error and "check the file and folder permissions" in error
    assert blocker.read_text() == "x"


def test_a_file_the_user_may_not_write_is_named(
    read_only_book: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The permission check itself, also where file modes do not bind (root): as a user would."""
    import os

    from leadcartel_desktop.storage import revision

    real_access = os.access

    def access(path: str | os.PathLike[str], mode: int) -> bool:
        return not mode & os.W_OK and real_access(path, mode)

    monkeypatch.setattr(revision.os, "access", access)
    before = _digest(read_only_book)

    with pytest.raises(DatabaseNotWritableError, match=MESSAGE.format(read_only_book.parent)):
        open_database(read_only_book)
    assert _digest(read_only_book) == before
