"""Where the app keeps its files: per-user folders, or all under LEADCARTEL_HOME."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

APP_NAME = "LeadCartelDesktop"
HOME_VARIABLE = "LEADCARTEL_HOME"


@dataclass(frozen=True, slots=True)
class AppPaths:
    data: Path
    logs: Path
    settings_file: Path

    @property
    def database(self) -> Path:
        return self.data / "leadcartel.sqlite3"

    def ensure(self) -> AppPaths:
        self.data.mkdir(parents=True, exist_ok=True)
        self.logs.mkdir(parents=True, exist_ok=True)
        return self


def resolve_paths(home: str | Path | None = None) -> AppPaths:
    """`home` (or LEADCARTEL_HOME) puts everything in one folder, for tests and portable use."""
    chosen = home or os.environ.get(HOME_VARIABLE)
    if chosen:
        root = Path(chosen).expanduser().resolve()
        return AppPaths(root / "data", root / "logs", root / "settings.ini")
    import platformdirs

    data = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    logs = Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))
    config = Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))
    return AppPaths(data, logs, config / "settings.ini")
