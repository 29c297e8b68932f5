"""Writing the files the use cases produce (exports, reports, framework files) safely."""

from __future__ import annotations

import os
from pathlib import Path

from matrix_desktop.storage.files import replace_file


def write_atomically(path: Path, data: bytes) -> None:
    """Write bytes to a temporary name, fsync, then rename over the final path.

    The rename is retried while Windows has the old file open (a report in the PDF viewer,
    OneDrive syncing it); storage.files.FileInUse says so if it stays open.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.partial")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        replace_file(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
