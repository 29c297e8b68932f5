"""The one place that finds resources and the user's data folder, from source or a frozen bundle."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path, PureWindowsPath
from typing import Any

from matrix_desktop import APP_NAME
from matrix_desktop.core.errors import StorageError

DATABASE_NAME = "matrix-desktop.sqlite3"


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


class NoUserFolder(StorageError, RuntimeError):
    """The system names no folder for the user's data (no APPDATA, no home directory)."""


_NO_HOME = (
    "cannot find your user folder ({}); set MATRIX_DESKTOP_HOME to a writable folder, "
    "or open a database with --database PATH"
)


def _home() -> Path:
    try:
        return Path.home()
    except RuntimeError:  # no HOME / USERPROFILE at all (a locked-down service account)
        raise NoUserFolder(_NO_HOME.format("HOME is not set")) from None


def is_network_path(
    path: str | os.PathLike[str], drive_type: Callable[[str], int] | None = None
) -> bool:
    r"""Return True for a Windows path on a network share: \\server\share\... (UNC) or a
    mapped network drive. SQLite's WAL mode, which the app uses, needs a local disk.

    drive_type(root) returns GetDriveTypeW's answer for "X:\\"; by default the real one on
    Windows (elsewhere drive letters are never network drives).
    """
    from matrix_desktop.core.locations import is_network_path as is_unc

    text = os.fspath(path)
    if is_unc(text) or is_unc(text.replace("/", "\\")):
        return True
    if text.startswith(("\\\\?\\", "\\\\.\\")):
        text = text[4:]
    drive = PureWindowsPath(text).drive
    if len(drive) != 2 or drive[1] != ":":
        return False
    if drive_type is None:
        if sys.platform != "win32":
            return False
        import ctypes

        get_drive_type = ctypes.WinDLL("kernel32").GetDriveTypeW
        get_drive_type.argtypes, get_drive_type.restype = (ctypes.c_wchar_p,), ctypes.c_uint
        drive_type = get_drive_type
    return bool(drive_type(drive + "\\") == DRIVE_REMOTE)


DRIVE_REMOTE = 4  # GetDriveTypeW


def windows_data_dir(
    env: Mapping[str, str], is_network: Callable[[str], bool] | None = None
) -> Path:
    """Return the Windows data folder: %APPDATA%\\matrix-desktop, unless that is on a network.

    Managed laptops often redirect the roaming AppData folder to a file server (folder
    redirection, roaming profiles). SQLite in WAL mode must not be shared over a network, so
    then the local, never-redirected %LOCALAPPDATA% is used instead (without touching the
    share, which may be out of reach in a workshop room).
    """
    profile = env.get("USERPROFILE")
    appdata = str(PureWindowsPath(profile, "AppData")) if profile else None
    roaming = env.get("APPDATA") or (appdata and f"{appdata}\\Roaming")
    local = env.get("LOCALAPPDATA") or (appdata and f"{appdata}\\Local")
    if roaming and (not local or not (is_network or is_network_path)(roaming)):
        return Path(roaming) / APP_NAME
    if local:
        return Path(local) / APP_NAME
    raise NoUserFolder(_NO_HOME.format("APPDATA, LOCALAPPDATA and USERPROFILE are not set"))


def user_data_dir() -> Path:
    """Return the per-user application-data folder (not created here)."""
    override = os.environ.get("MATRIX_DESKTOP_HOME")
    if override:
        return Path(override)
    if sys.platform == "win32":
        return windows_data_dir(os.environ)
    if sys.platform == "darwin":
        return _home() / "Library" / "Application Support" / APP_NAME
    xdg = os.environ.get("XDG_DATA_HOME")
    return (Path(xdg) if xdg else _home() / ".local" / "share") / APP_NAME


def user_cache_dir() -> Path:
    """Return the per-user cache folder (safe to delete; not created here)."""
    override = os.environ.get("MATRIX_DESKTOP_HOME")
    if override:
        return Path(override) / "cache"
    if sys.platform == "win32":
        local = os.environ.get("LOCALAPPDATA")
        if local:
            return Path(local) / APP_NAME / "cache"
        return windows_data_dir(os.environ) / "cache"
    if sys.platform == "darwin":
        return _home() / "Library" / "Caches" / APP_NAME
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else _home() / ".cache") / APP_NAME


def default_database_path() -> Path:
    """Return where the default local database lives."""
    return user_data_dir() / DATABASE_NAME


def backups_dir(database: Path) -> Path:
    """Return the backup folder for a database file."""
    return database.parent / "backups"


# -- Windows path length ---------------------------------------------------------------------

WINDOWS_MAX_PATH = 260  # characters, including the terminating NUL, unless long paths are on


def _longest_file_beside(database: Path) -> str:
    """Return the longest path the app writes for a database: a backup's unfinished copy."""
    stamp = "20261122T101500000000"
    name = f"{database.stem}-{stamp}-before-restore.sqlite3.partial-journal"
    return str(database.parent / "backups" / name)


def long_paths_enabled(ntdll: Any = None) -> bool:
    """Return True if Windows accepts paths over 260 characters (the LongPathsEnabled policy).

    ntdll stands in for ctypes.WinDLL("ntdll") in tests; elsewhere than Windows, True.
    """
    if ntdll is None:
        if sys.platform != "win32":
            return True
        import ctypes

        try:
            ntdll = ctypes.WinDLL("ntdll")
        except OSError:  # pragma: no cover - ntdll is always there
            return False
    try:
        return bool(ntdll.RtlAreLongPathsEnabled())
    except AttributeError:  # Windows before 10 (1607) has no long paths at all
        return False


def windows_path_problem(
    database: Path, *, on_windows: bool | None = None, long_paths: bool | None = None
) -> str | None:
    """Return why a database's folder is too deep for Windows, or None if it is fine.

    Managed laptops rarely enable long paths, and a OneDrive-redirected profile
    ("C:\\Users\\first.last\\OneDrive - Some NHS Trust\\Documents\\...") eats much of the 260
    characters; the check counts the longest file the app writes there (a backup being made).
    """
    on_windows = sys.platform == "win32" if on_windows is None else on_windows
    if not on_windows:
        return None
    longest = _longest_file_beside(database)
    if len(longest) < WINDOWS_MAX_PATH:
        return None
    if long_paths is None:
        long_paths = long_paths_enabled()
    if long_paths:
        return None
    return (
        f"{database}: this folder's path is too long for Windows: its backups need "
        f"{len(longest)} characters, and Windows allows {WINDOWS_MAX_PATH - 1} unless long "
        "paths are enabled; choose a folder with a shorter path (--database PATH, or "
        "MATRIX_DESKTOP_HOME)"
    )
