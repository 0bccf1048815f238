"""Alembic environment and revisions of the store (a package so wheels ship it)."""
