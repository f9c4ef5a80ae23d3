"""A demo book appears whole or not at all: killed, cancelled or failed, nothing half-made stays."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from leadcartel_desktop.app import build_context, create_demo_book, demo_partial_path
from leadcartel_desktop.cli.run import main
from leadcartel_desktop.domain.contact import Contact
from leadcartel_desktop.domain.errors import ConflictError
from leadcartel_desktop.paths import resolve_paths
from tests.conftest import FixedClock


def _files(home: Path) -> list[str]:
    return sorted(path.name for path in resolve_paths(home).data.iterdir())


def _kill_while_building(home: Path) -> None:
    """Run `leadcartel demo` in a process and kill it (SIGKILL) half-way through."""
    partial = demo_partial_path(home)
    env = {**os.environ, "LEADCARTEL_HOME": str(home)}
    process = subprocess.Popen(
        [sys.executable, "-m", "leadcartel_desktop.cli", "demo"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while not (partial.exists() and partial.stat().st_size > 64 * 1024):
            assert process.poll() is None, "the demo finished before it could be killed"
            assert time.monotonic() < deadline
            time.sleep(0.02)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()


def test_killed_then_cancelled_leaves_no_book_and_demo_works_afterwards(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    _kill_while_building(home)
    assert not resolve_paths(home).database.exists()
    assert demo_partial_path(home).exists()  # what the killed run left behind

    seen: list[int] = []
    book = create_demo_book(
        home,
        FixedClock(),
        progress=lambda done, _total: seen.append(done),
        should_cancel=lambda: len(seen) >= 60,
    )

    assert book is None
    assert seen[-1] == 60
    assert _files(home) == []  # the leftover went first, the cancelled build after it

    code = main(["--home", str(home), "demo"], clock=FixedClock())
    out = capsys.readouterr()
    assert code == 0, out.err
    assert out.out.startswith("Demo data loaded: 45 customers, 150 invoices")
    files = _files(home)
    assert "leadcartel.sqlite3" in files
    assert not [name for name in files if "demo-partial" in name]
    context = build_context(home, FixedClock())
    try:
        assert context.services.invoice_list.invoice_count() == 150
    finally:
        context.close()


def test_a_failure_half_way_deletes_the_partial_file(tmp_path: Path) -> None:
    home = tmp_path / "home"

    def fail(done: int, _total: int) -> None:
        if done == 30:
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        create_demo_book(home, FixedClock(), progress=fail)
    assert _files(home) == []


def test_a_book_with_data_is_refused_and_kept(tmp_path: Path) -> None:
    home = tmp_path / "home"
    context = build_context(home, FixedClock())
    context.services.contacts.create(Contact(first_name="Ann"))
    context.close()
    before = resolve_paths(home).database.read_bytes()

    with pytest.raises(ConflictError, match="empty book"):
        create_demo_book(home, FixedClock())

    assert resolve_paths(home).database.read_bytes() == before
    assert not demo_partial_path(home).exists()
