"""Alembic environment: runs the migrations on a connection the caller hands over.

`storage.migrate` passes a synchronous connection (from `storage.aio.AsyncConnection.run_sync`)
in `config.attributes["connection"]`, already inside a transaction. Without one (the `alembic`
command line during development) an engine is built from the `sqlalchemy.url` option.
"""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection

from storage.database import create_engine
from storage.tables import add_postgresql_options, metadata

config = context.config
# Alembic has loaded every dialect already; the metadata's PostgreSQL options cost nothing now.
add_postgresql_options()


def _configure(connection: Connection) -> None:
    """Point the migration context at a connection and Daybook's metadata."""
    context.configure(
        connection=connection,
        target_metadata=metadata,
        # SQLite alters tables by copying them; batch mode makes autogenerate write that.
        render_as_batch=True,
        compare_type=True,
    )


def run_migrations_offline() -> None:
    """Write the migrations' SQL instead of running it (`alembic upgrade --sql`)."""
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=metadata,
        literal_binds=True,
        render_as_batch=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


def _run_on(connection: Connection) -> None:
    """Run the pending migrations on a synchronous connection."""
    _configure(connection)
    with context.begin_transaction():
        context.run_migrations()


async def _run_with_own_engine(url: str) -> None:
    """Open an engine for the URL (the command line's case) and migrate through it."""
    engine = create_engine(url, writer=True)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(_run_on)
    finally:
        await engine.dispose()


def run_migrations_online() -> None:
    """Run the migrations on the given connection, or on one opened from the URL."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run_on(connection)
        return
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no connection given and no sqlalchemy.url configured")
    asyncio.run(_run_with_own_engine(url))


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
