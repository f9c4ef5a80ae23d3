"""What every window part needs: the services, the task runner and where files live."""

from __future__ import annotations

from dataclasses import dataclass

from leadcartel_desktop.paths import AppPaths
from leadcartel_desktop.services.registry import Services
from leadcartel_desktop.ui.tasks import TaskRunner


@dataclass(frozen=True, slots=True)
class UiContext:
    services: Services
    tasks: TaskRunner
    paths: AppPaths
