"""Persistence: SQLModel tables, engine and sessions, repositories returning core values, migrations."""
