"""The one place that finds resources and the user's data folder, from source or a frozen bundle."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from matrix_desktop import APP_NAME


def is_frozen() -> bool:
    """Return True when running inside a PyInstaller bundle."""
    return bool(getattr(sys, "frozen", False)) and hasattr(sys, "_MEIPASS")


def resources_dir() -> Path:
    """Return the folder holding frameworks, fonts, icons and schemas."""
    override = os.environ.get("MATRIX_DESKTOP_RESOURCES")
    if override:
        return Path(override)
    if is_frozen():
        return Path(sys._MEIPASS) / "resources"  # type: ignore[attr-defined]
    # src/matrix_desktop/paths.py -> repository root / resources
    return Path(__file__).resolve().parents[2] / "resources"


def frameworks_dir() -> Path:
    """Return the folder of bundled framework files."""
    return resources_dir() / "frameworks"


def fonts_dir() -> Path:
    """Return the folder of bundled fonts."""
    return resources_dir() / "fonts"


def icons_dir() -> Path:
    """Return the folder of bundled icons."""
    return resources_dir() / "icons"


def examples_dir() -> Path:
    """Return the folder of example exchange files."""
    if is_frozen():
        return Path(sys._MEIPASS) / "assessments"  # type: ignore[attr-defined]
    return Path(__file__).resolve().parents[2] / "assessments"


def migrations_dir() -> Path:
    """Return the Alembic migrations folder (inside the package, so bundles carry it)."""
    if is_frozen():
        return Path(sys._MEIPASS) / "matrix_desktop" / "storage" / "migrations"  # type: ignore[attr-defined]
    return Path(__file__).resolve().parent / "storage" / "migrations"


def licenses_dir() -> Path:
    """Return the folder of third-party licence texts."""
    return resources_dir() / "licenses"


def user_data_dir() -> Path:
    """Return the per-user application-data folder (not created here)."""
    override = os.environ.get("MATRIX_DESKTOP_HOME")
    if override:
        return Path(override)
    home = Path.home()
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or home / "AppData" / "Roaming")
        return base / APP_NAME
    if sys.platform == "darwin":
        return home / "Library" / "Application Support" / APP_NAME
    base = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    return base / APP_NAME


def user_cache_dir() -> Path:
    """Return the per-user cache folder (safe to delete; not created here)."""
    override = os.environ.get("MATRIX_DESKTOP_HOME")
    if override:
        return Path(override) / "cache"
    home = Path.home()
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or home / "AppData" / "Local")
        return base / APP_NAME / "cache"
    if sys.platform == "darwin":
        return home / "Library" / "Caches" / APP_NAME
    base = Path(os.environ.get("XDG_CACHE_HOME") or home / ".cache")
    return base / APP_NAME


def default_database_path() -> Path:
    """Return where the default local database lives."""
    return user_data_dir() / "matrix-desktop.sqlite3"


def backups_dir(database: Path) -> Path:
    """Return the backup folder for a database file."""
    return database.parent / "backups"
