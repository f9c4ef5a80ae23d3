"""The app turns automatic collection off and collects from a GUI-thread timer instead."""

from __future__ import annotations

import gc

from pytestqt.qtbot import QtBot

from leadcartel_desktop.ui.gc_policy import MainThreadCollector


class Cycle:
    def __init__(self) -> None:
        self.me = self


def test_collection_happens_on_the_timer_not_automatically(qtbot: QtBot) -> None:
    collector = MainThreadCollector()
    collector.start()
    try:
        assert not gc.isenabled()
        gc.collect()
        Cycle()
        assert any(isinstance(item, Cycle) for item in gc.get_objects())
        collector.collect()
        assert not any(isinstance(item, Cycle) for item in gc.get_objects())
    finally:
        collector.stop()
    assert gc.isenabled()


class Kept:
    """Made before the freeze and kept, like the start's modules and caches."""


def test_a_full_pass_after_the_freeze_skips_what_the_start_made(qtbot: QtBot) -> None:
    collector = MainThreadCollector()
    collector.start()
    try:
        kept = Kept()
        collector.freeze_long_lived()
        assert gc.get_freeze_count() > 0
        assert not any(item is kept for item in gc.get_objects())
        Cycle()  # garbage made after the freeze is still collected
        collector.collect()
        gc.collect(2)
        assert not any(isinstance(item, Cycle) for item in gc.get_objects())
    finally:
        collector.stop()
    assert gc.get_freeze_count() == 0
    assert any(item is kept for item in gc.get_objects())
