"""UI tests collect garbage on the GUI thread only, as the app does (ui/gc_policy.py)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def collect_on_gui_thread() -> Iterator[None]:
    """Worker and server threads must never run a collection that frees Qt objects."""
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.collect()
        gc.enable()
