"""Run the Alembic migrations in storage/migrations programmatically (no alembic.ini)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from leadcartel_desktop.storage.pragmas import IMMEDIATE

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy import Connection, Engine

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic Config built in code; env.py runs on `connection` when one is given."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("path_separator", "os")
    config.attributes["connection"] = connection
    return config


def known_revisions() -> set[str]:
    """Every revision this build's scripts know."""
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(alembic_config())
    return {script.revision for script in scripts.walk_revisions()}


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def upgrade_to_head(engine: Engine) -> None:
    """Create the schema in a new file or upgrade an older one, in one transaction."""
    from alembic import command

    with engine.connect() as connection:
        connection.execution_options(**{IMMEDIATE: True})
        connection.begin()
        command.upgrade(alembic_config(connection), "head")
        connection.commit()
