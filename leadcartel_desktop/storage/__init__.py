"""SQLite storage: engine, Alembic migrations, repositories, unit of work, full-text search."""
