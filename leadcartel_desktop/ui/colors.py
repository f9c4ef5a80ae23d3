"""Colours that mean the same thing in every pane."""

from __future__ import annotations

OVERDUE_RED = "#c62828"  # money past due, a close date passed
