"""Headless commands: `leadcartel [--home DIR] COMMAND`, for scripting, migration and support."""

from leadcartel_desktop.cli.run import main

__all__ = ["main"]
