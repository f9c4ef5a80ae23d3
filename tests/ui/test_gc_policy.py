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
