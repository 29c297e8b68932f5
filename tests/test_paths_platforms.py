"""Where the data lives on Windows, macOS and Linux, and the bad cases of managed laptops.

The Windows and macOS paths run here by standing in for sys.platform, the environment and
the system calls: roaming AppData redirected to a file server, a OneDrive-redirected
profile too deep for Windows' path limit, no user folder at all.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from matrix_desktop import paths
from matrix_desktop.core.errors import StorageError

WIN_ENV = {
    "USERPROFILE": r"C:\Users\ann.o'neill",
    "APPDATA": r"C:\Users\ann.o'neill\AppData\Roaming",
    "LOCALAPPDATA": r"C:\Users\ann.o'neill\AppData\Local",
}


@pytest.fixture
def no_override(monkeypatch):
    monkeypatch.delenv("MATRIX_DESKTOP_HOME", raising=False)


def test_windows_data_in_roaming_appdata_and_cache_in_local(monkeypatch, no_override):
    monkeypatch.setattr(sys, "platform", "win32")
    for name, value in WIN_ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(paths, "is_network_path", lambda p, drive_type=None: False)
    assert str(paths.user_data_dir()) == WIN_ENV["APPDATA"] + "/matrix-desktop"
    assert str(paths.user_cache_dir()) == WIN_ENV["LOCALAPPDATA"] + "/matrix-desktop/cache"


def test_redirected_roaming_appdata_falls_back_to_local():
    env = dict(WIN_ENV, APPDATA=r"\\nhs-fs01\profiles$\ann\AppData\Roaming")
    chosen = paths.windows_data_dir(env, is_network=paths.is_network_path)
    assert str(chosen) == WIN_ENV["LOCALAPPDATA"] + "/matrix-desktop"


def test_roaming_appdata_on_a_mapped_network_drive_falls_back_to_local():
    env = dict(WIN_ENV, APPDATA=r"H:\AppData\Roaming")

    def is_network(path):
        return paths.is_network_path(path, drive_type=lambda root: 4 if root == "H:\\" else 3)

    assert str(paths.windows_data_dir(env, is_network=is_network)).startswith(r"C:\Users")


@pytest.mark.parametrize(
    ("path", "network"),
    [
        (r"\\server\share\folder", True),
        ("//server/share/folder", True),
        (r"\\?\UNC\server\share\x", True),
        (r"\\?\C:\Users\ann", False),
        (r"C:\Users\ann", False),
        (r"Z:\profiles\ann", True),
        ("relative\\folder", False),
    ],
)
def test_network_paths(path, network):
    assert paths.is_network_path(path, drive_type=lambda root: 4 if root == "Z:\\" else 3) is (
        network
    )


def test_windows_without_appdata_uses_the_profile():
    env = {"USERPROFILE": r"D:\Profiles\ann"}
    chosen = str(paths.windows_data_dir(env, is_network=lambda p: False))
    assert chosen == r"D:\Profiles\ann\AppData\Roaming" + "/matrix-desktop"


def test_no_user_folder_says_what_to_set(monkeypatch, no_override):
    monkeypatch.setattr(sys, "platform", "win32")
    for name in ("APPDATA", "LOCALAPPDATA", "USERPROFILE"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(StorageError, match="MATRIX_DESKTOP_HOME") as info:
        paths.default_database_path()
    assert isinstance(info.value, RuntimeError)  # callers that caught Path.home()'s error still do
    assert "--database" in str(info.value)


def test_no_home_on_linux_says_what_to_set(monkeypatch, no_override):
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)

    def no_home():
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    with pytest.raises(paths.NoUserFolder, match="MATRIX_DESKTOP_HOME"):
        paths.user_data_dir()


def test_macos_folders(monkeypatch, no_override, tmp_path):
    monkeypatch.setattr(sys, "platform", "darwin")
    monkeypatch.setattr(Path, "home", staticmethod(lambda: tmp_path))
    assert paths.user_data_dir() == tmp_path / "Library" / "Application Support" / "matrix-desktop"
    assert paths.user_cache_dir() == tmp_path / "Library" / "Caches" / "matrix-desktop"


def test_override_with_spaces_and_non_ascii(monkeypatch, tmp_path):
    home = tmp_path / "Zoë Ørsted's files" / "matrix data"
    monkeypatch.setenv("MATRIX_DESKTOP_HOME", str(home))
    assert paths.default_database_path() == home / "matrix-desktop.sqlite3"
    assert paths.user_cache_dir() == home / "cache"


# -- long paths -------------------------------------------------------------------------------


def test_a_path_too_long_for_windows_is_refused_clearly(monkeypatch, tmp_path):
    deep = Path("C:/Users/first.last/OneDrive - Sheffield Teaching Hospitals NHS Foundation Trust")
    database = deep / ("Documents/Matrix Desktop/" + "x" * 120) / "matrix-desktop.sqlite3"
    problem = paths.windows_path_problem(database, on_windows=True, long_paths=False)
    assert problem is not None
    assert "too long for Windows" in problem and "--database" in problem
    # Fine with long paths enabled, on other systems, or in a short folder.
    assert paths.windows_path_problem(database, on_windows=True, long_paths=True) is None
    assert paths.windows_path_problem(database, on_windows=False) is None
    short = Path("C:/Users/ann/AppData/Local/matrix-desktop/matrix-desktop.sqlite3")
    assert paths.windows_path_problem(short, on_windows=True, long_paths=False) is None


def test_opening_a_database_too_deep_for_windows_names_the_problem(monkeypatch, tmp_path):
    from matrix_desktop.storage.database import open_database

    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(paths, "long_paths_enabled", lambda ntdll=None: False)
    database = tmp_path / ("a" * 150) / ("b" * 60) / "m.sqlite3"
    with pytest.raises(StorageError, match="too long for Windows"):
        open_database(database)
    assert not database.parent.exists()  # refused before anything was created


class FakeNtdll:
    def __init__(self, enabled):
        self.enabled = enabled

    def RtlAreLongPathsEnabled(self):  # noqa: N802 - the Win32 name
        if self.enabled is None:
            raise AttributeError("RtlAreLongPathsEnabled")  # Windows 8.1 and older
        return self.enabled


def test_long_paths_policy_is_read_from_ntdll():
    assert paths.long_paths_enabled(FakeNtdll(1)) is True
    assert paths.long_paths_enabled(FakeNtdll(0)) is False
    assert paths.long_paths_enabled(FakeNtdll(None)) is False
