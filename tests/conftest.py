"""Shared fixtures: a real app context on a temporary SQLite file, and a fixed clock."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from leadcartel_desktop.sandbox import Sandbox
    from tests.integration.sandbox_support import MemoryKeyring

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@dataclass
class FixedClock:
    """A clock tests move by hand."""

    instant: datetime = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.instant


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An isolated LEADCARTEL_HOME so no test touches the real per-user folders."""
    folder = tmp_path / "home"
    monkeypatch.setenv("LEADCARTEL_HOME", str(folder))
    return folder


@pytest.fixture
def context(home: Path, clock: FixedClock) -> Iterator[object]:
    from leadcartel_desktop.app import build_context

    app_context = build_context(home, clock)
    yield app_context
    app_context.close()


@pytest.fixture
def services(context: object) -> object:
    return context.services  # type: ignore[attr-defined]


@pytest.fixture
def keychain() -> Iterator[MemoryKeyring]:
    """An in-memory keychain in place of the OS one, for the test's duration."""
    from tests.integration.sandbox_support import memory_keyring

    with memory_keyring() as backend:
        yield backend


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[Sandbox]:
    """The loopback SMTP, Twilio and cloud servers, stopped after the test."""
    from leadcartel_desktop.sandbox import Sandbox

    with Sandbox(tmp_path / "sandbox") as running:
        yield running
