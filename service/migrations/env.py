"""Alembic environment: run by service.db.migrate with the connection it passes in."""

from alembic import context

from service.tables import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
