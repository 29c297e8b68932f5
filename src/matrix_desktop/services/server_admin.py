"""Administering a shared PostgreSQL database: the use cases behind `matrix-desktop server`.

Each returns the lines to show the administrator; errors are MatrixError sentences.
"""

from __future__ import annotations

from pathlib import Path

from matrix_desktop.storage import server_lifecycle as server
from matrix_desktop.storage.server_lifecycle import LoginRoles


def init(url: str) -> list[str]:
    """Set up an empty database: schema, bundled frameworks, group roles and policies."""
    return server.init_server(url)


def upgrade(url: str, backup_folder: Path) -> list[str]:
    """Upgrade the schema as its owner, after a pg_dump backup into backup_folder."""
    return server.upgrade_server(url, backup_folder)


def grant(url: str, login: str, role: str, entities: list[str]) -> list[str]:
    """Give a login a role (facilitator and peer reviewer: of the named entities)."""
    return server.grant(url, login, role, entities)


def revoke(url: str, login: str, role: str | None, entities: list[str]) -> list[str]:
    """Take a role, or every role, from a login (with entities: only for those)."""
    return server.revoke(url, login, role, entities)


def roles(url: str) -> list[LoginRoles]:
    """Return every login holding a matrix-desktop role."""
    return server.list_roles(url)
