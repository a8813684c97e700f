"""Alembic migrations of Daybook's schema (run programmatically by `storage.migrate`)."""
