"""Alembic environment: runs on the connection `posapp.storage.migrate` hands in, online only."""

from __future__ import annotations

from alembic import context

from posapp.storage.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through posapp.storage.migrate (posapp db upgrade)")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
