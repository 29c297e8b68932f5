"""Pure domain: frameworks, assessments, ratings, rules and commands (no Qt, no SQLAlchemy)."""
