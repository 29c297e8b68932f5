"""Checks of the data itself, the same on SQLite and on a server: orphans and allowed values.

The file checks (SQLite's integrity_check) say whether pages are damaged; these say
whether the rows make sense: every rating, vote and assessment points at something that
exists, and every status, kind, confidence and direction is one the app knows. A problem
is reported, never raised: `check` lists them instead of crashing on the first bad row.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.engine import Connection

from matrix_desktop.core.framework import EntityKind
from matrix_desktop.core.model import (
    AssessmentKind,
    Confidence,
    Direction,
    ReviewPosition,
    Status,
)

EXAMPLES = 3  # rows named per problem


@dataclass(frozen=True)
class DataProblem:
    """Rows that break one rule: what is wrong, how many rows, and a few of them."""

    what: str
    count: int
    examples: tuple[str, ...]

    def __str__(self) -> str:
        shown = "; ".join(self.examples)
        extra = self.count - len(self.examples)
        more = f" and {extra} more" if extra > 0 else ""
        return f"{self.what}: {self.count} row(s) ({shown}{more})"


def _orphan(
    table: str, column: str, parent: str, key: str, label: str, nullable: bool = False
) -> tuple[str, str]:
    present = f"c.{column} IS NOT NULL AND " if nullable else ""
    return (
        f"{label} pointing at no {parent}",
        f"SELECT {key} FROM {table} c WHERE {present}"
        f"NOT EXISTS (SELECT 1 FROM {parent} p WHERE p.id = c.{column})",
    )


def _allowed(
    table: str, column: str, values: list[str], key: str, nullable: bool
) -> tuple[str, str]:
    listed = ", ".join(f"'{v}'" for v in values)
    present = f"{column} IS NOT NULL AND " if nullable else ""
    return (
        f"{table} {column} not one of {', '.join(values)}",
        f"SELECT {key} || ': ' || COALESCE({column}, '(empty)') FROM {table} "
        f"WHERE {present}({column} IS NULL OR {column} NOT IN ({listed}))",
    )


_RATING_KEY = "'assessment ' || c.assessment_id || ', domain ' || c.domain_key"
_RULES: tuple[tuple[str, str], ...] = (
    _orphan("rating", "assessment_id", "assessment", _RATING_KEY, "rating"),
    _orphan("vote", "assessment_id", "assessment", _RATING_KEY, "vote"),
    _orphan("assessment", "entity_id", "entity", "'assessment ' || c.id", "assessment"),
    _orphan("assessment", "round_id", "round", "'assessment ' || c.id", "assessment"),
    _orphan("assessment", "reviews_id", "assessment", "'assessment ' || c.id", "peer review", True),
    _orphan("entity", "system_id", "system", "'entity ' || c.name", "entity"),
    (
        "assessment using a framework version that is not stored",
        "SELECT 'assessment ' || c.id || ': ' || c.framework_key || ' ' || c.framework_version "
        "FROM assessment c WHERE NOT EXISTS (SELECT 1 FROM framework f "
        "WHERE f.key = c.framework_key AND f.version = c.framework_version)",
    ),
    _allowed("assessment", "status", [s.value for s in Status], "'assessment ' || id", False),
    _allowed("assessment", "kind", [k.value for k in AssessmentKind], "'assessment ' || id", False),
    _allowed("entity", "kind", [k.value for k in EntityKind], "'entity ' || name", False),
    _allowed(
        "rating", "confidence", [c.value for c in Confidence], "'rating ' || domain_key", True
    ),
    _allowed("rating", "direction", [d.value for d in Direction], "'rating ' || domain_key", True),
    _allowed(
        "rating",
        "review_position",
        [p.value for p in ReviewPosition],
        "'rating ' || domain_key",
        True,
    ),
)


def data_problems(conn: Connection) -> list[DataProblem]:
    """Return the rules the stored rows break (empty when all is well); raises nothing of its own.

    Works on SQLite and PostgreSQL alike (plain SQL, one query per rule).
    """
    problems = []
    for what, sql in _RULES:
        rows = [str(r[0]) for r in conn.execute(text(sql)).fetchall()]
        if rows:
            problems.append(DataProblem(what, len(rows), tuple(rows[:EXAMPLES])))
    return problems
