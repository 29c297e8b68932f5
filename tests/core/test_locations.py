"""Cloud-synced folders and network paths are recognised from the path alone."""

from __future__ import annotations

import pytest

from matrix_desktop.core.locations import cloud_service, is_network_path, location_warnings


@pytest.mark.parametrize(
    ("path", "service"),
    [
        (r"C:\Users\ann\OneDrive\Workshops\m.sqlite3", "OneDrive"),
        (r"C:\Users\ann\OneDrive - NHS England\m.sqlite3", "OneDrive"),
        ("/Users/ann/Library/CloudStorage/OneDrive-NHS/m.sqlite3", "OneDrive"),
        ("/home/ann/Dropbox/m.sqlite3", "Dropbox"),
        ("/home/ann/Dropbox (NHS)/m.sqlite3", "Dropbox"),
        ("G:/My Drive/m.sqlite3", "Google Drive"),
        ("/Users/ann/Google Drive/m.sqlite3", "Google Drive"),
        ("/Users/ann/Library/Mobile Documents/com~apple~CloudDocs/m.sqlite3", "iCloud Drive"),
        ("/Users/ann/Library/CloudStorage/Box-Box/m.sqlite3", "Box"),
    ],
)
def test_cloud_folders(path, service):
    assert cloud_service(path) == service
    assert [w.kind for w in location_warnings(path)] == ["cloud"]


@pytest.mark.parametrize(
    "path",
    [
        "/home/ann/.local/share/matrix-desktop/m.sqlite3",
        r"C:\Users\ann\AppData\Roaming\m.sqlite3",
        "/home/ann/dropbox-notes.sqlite3",
        "/home/ann/OneDrive.sqlite3",
        "/srv/boxes/m.sqlite3",
    ],
)
def test_local_folders_are_fine(path):
    assert location_warnings(path) == []


@pytest.mark.parametrize(
    ("path", "fstype"),
    [
        (r"\\fileserver\share\m.sqlite3", None),
        ("//fileserver/share/m.sqlite3", None),
        (r"\\?\UNC\server\share\m.sqlite3", None),
        ("/mnt/team/m.sqlite3", "cifs"),
        ("/mnt/team/m.sqlite3", "nfs4"),
        ("Z:/m.sqlite3", "remote"),
    ],
)
def test_network_paths(path, fstype):
    assert is_network_path(path, fstype)
    assert "network" in [w.kind for w in location_warnings(path, fstype)]


def test_local_long_path_prefix_is_not_network():
    assert not is_network_path(r"\\?\C:\Users\ann\m.sqlite3", "ntfs")
    assert not is_network_path("/home/ann/m.sqlite3", "ext4")
