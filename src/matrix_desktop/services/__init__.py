"""Use cases over core and storage; they return plain values and what changed."""

from __future__ import annotations

import getpass


def local_user() -> str:
    """Return the local user name recorded in the audit trail."""
    try:
        return getpass.getuser() or "unknown"
    except Exception:  # no user name on some locked-down machines
        return "unknown"
