"""Places a database should not live: cloud-synced folders and network shares (pure checks)."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Folder names the sync clients create (Windows, macOS, Linux); compared case-insensitively
# against each part of the path.
_CLOUD_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"onedrive( - .+)?|onedrive-.+", "OneDrive"),
    (r"dropbox( \(.+\))?", "Dropbox"),
    (r"google ?drive|googledrive-.+|my drive|shared drives", "Google Drive"),
    (r"icloud ?drive|mobile documents|com~apple~clouddocs", "iCloud Drive"),
    (r"box|box sync|box-box", "Box"),
    (r"nextcloud|owncloud|pcloud ?drive|mega|sync\.com", "a sync client"),
)

NETWORK_FILESYSTEMS = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb",
        "smbfs",
        "smb2",
        "smb3",
        "afpfs",
        "webdav",
        "davfs",
        "fuse.sshfs",
        "sshfs",
        "9p",
        "fuse.rclone",
        "ncpfs",
        "afs",
        "remote",
    }
)


@dataclass(frozen=True)
class LocationWarning:
    """Why a database's folder is risky, in words a user can act on."""

    kind: str  # 'cloud' or 'network'
    message: str


def _parts(path: str) -> list[str]:
    return [p for p in re.split(r"[\\/]+", path) if p]


def cloud_service(path: str) -> str | None:
    """Return the sync service whose folder holds `path`, or None."""
    generic = None
    for part in reversed(_parts(path)[:-1]):  # the file name itself does not count
        low = part.lower()
        for pattern, name in _CLOUD_PATTERNS:
            if re.fullmatch(pattern, low):
                return name
        if low == "cloudstorage":  # macOS ~/Library/CloudStorage/<Provider>-<account>
            generic = "a cloud storage provider"
    return generic


def is_network_path(path: str, filesystem_type: str | None = None) -> bool:
    """Return True for a UNC path (\\\\server\\share, //server/share) or a network filesystem."""
    if path.startswith(("\\\\", "//")) and not path.startswith(("\\\\?\\", "\\\\.\\")):
        return True
    if path.startswith("\\\\?\\UNC\\"):
        return True
    return (filesystem_type or "").lower() in NETWORK_FILESYSTEMS


def location_warnings(path: str, filesystem_type: str | None = None) -> list[LocationWarning]:
    """Return the warnings for keeping a database at `path` (empty when the place is safe)."""
    warnings: list[LocationWarning] = []
    service = cloud_service(path)
    if service:
        warnings.append(
            LocationWarning(
                "cloud",
                f"The database is in a folder synced by {service}. Sync clients can copy a "
                "half-written database or make conflicting copies; keep it in a local folder "
                "and share exchange files instead.",
            )
        )
    if is_network_path(path, filesystem_type):
        warnings.append(
            LocationWarning(
                "network",
                "The database is on a network drive. A dropped connection can lose or damage "
                "recent scores; keep it on this computer's own disk.",
            )
        )
    return warnings
