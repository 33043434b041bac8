"""Alembic environment: always runs on a connection handed in by storage.migrations (never from a URL)."""

from alembic import context

from xuncha_desktop.storage.tables import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True, compare_type=True)
context.run_migrations()
