"""matrix-desktop: offline maturity-matrix self-assessment for integrated health and care."""

from importlib import metadata as _metadata

try:
    __version__ = _metadata.version("matrix-desktop")
except _metadata.PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.1.0"

APP_NAME = "matrix-desktop"
APP_DISPLAY_NAME = "Matrix Desktop"
ORG_NAME = "matrix-desktop"
