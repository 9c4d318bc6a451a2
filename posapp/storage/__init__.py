"""Persistence through SQLAlchemy 2.0: engine, tables, repositories and Alembic migrations."""
