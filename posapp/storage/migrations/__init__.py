"""Alembic migration scripts of posapp's database (applied by `posapp.storage.migrate`)."""
