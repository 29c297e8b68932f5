"""matrix-desktop: offline maturity-matrix self-assessment for integrated health and care."""

# The one place the version is set (pyproject.toml reads it); no importlib.metadata at start-up.
__version__ = "0.1.0"

APP_NAME = "matrix-desktop"
APP_DISPLAY_NAME = "Matrix Desktop"
ORG_NAME = "matrix-desktop"
