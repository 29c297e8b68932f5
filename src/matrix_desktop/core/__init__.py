"""Pure domain: frameworks, assessments, ratings, scoring rules and commands (no Qt, no SQLAlchemy)."""
