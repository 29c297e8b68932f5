"""Schema versions this build knows, so start-up can check a database without importing Alembic."""

# Every released Alembic revision, oldest first. A test keeps this equal to the migrations.
KNOWN_REVISIONS: tuple[str, ...] = (
    "0001",
    "0002",
    "0003",
    "0004",
    "0005",
    "0006",
    "0007",
    "0008",
)
HEAD_REVISION = KNOWN_REVISIONS[-1]

# Tables every matrix-desktop database has: a database without them is another application's.
OUR_TABLES = frozenset({"app_meta", "assessment", "framework"})
