"""Alembic environment: run by :func:`pedprof.service.db.upgrade` with a connection."""

from __future__ import annotations

from alembic import context

from pedprof.service.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - the service always passes its connection
    raise RuntimeError("pedprof migrations run through pedprof.service.db.upgrade")
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
