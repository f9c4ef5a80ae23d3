"""Shared fixtures: a real app context on a temporary SQLite file, and a fixed clock."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest

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
