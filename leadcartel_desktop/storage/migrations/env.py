"""Alembic environment: runs on the connection open_database hands over (no alembic.ini)."""

from __future__ import annotations

from alembic import context

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through leadcartel_desktop.storage.open_database")

# SQLite DDL is transactional: the whole upgrade commits or none of it does.
context.configure(connection=connection, transactional_ddl=True)
with context.begin_transaction():
    context.run_migrations()
