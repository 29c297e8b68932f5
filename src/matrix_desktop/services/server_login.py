"""Logging in to a database server: the password the user types, kept only if they ask.

A password is never written to the app's settings or files. When the user ticks "remember
in the system keychain", it goes to the operating system's keychain through the `keyring`
package (Windows Credential Manager, macOS Keychain, Secret Service on Linux).
"""

from __future__ import annotations

import logging
import os
from typing import Any

from matrix_desktop.storage.database import resolve_location
from matrix_desktop.storage.server import ServerError, redact_url, with_password

log = logging.getLogger(__name__)

KEYCHAIN_SERVICE = "matrix-desktop"

__all__ = [
    "KEYCHAIN_SERVICE",
    "ServerError",
    "forget_password",
    "has_stored_password",
    "keychain_available",
    "needs_password",
    "redact_url",
    "remember_password",
    "server_url",
    "with_password",
    "with_stored_password",
]


def server_url(target: str | os.PathLike[str] | None) -> str | None:
    """Return the server URL a target names (None for a SQLite file)."""
    location = resolve_location(target)
    return None if location.is_sqlite else location.url


def needs_password(exc: BaseException) -> bool:
    """Return True when opening failed for a wrong or missing password (ask for one)."""
    return isinstance(exc, ServerError) and exc.kind == "password"


# Where the operating system's keychains live in the keyring package (Secret Service,
# KWallet, libsecret, Windows Credential Manager, macOS Keychain). Backends from elsewhere,
# such as keyrings.alt's files (plain text or a home-made cipher), are not a keychain: a
# password is never written to them, even when such a package happens to be installed.
OS_KEYCHAIN_MODULES: tuple[str, ...] = ("keyring.backends.",)
_NOT_A_KEYCHAIN = ("keyring.backends.fail", "keyring.backends.null")


def is_os_keychain(backend: Any) -> bool:
    """Return True when a keyring backend is the operating system's keychain.

    keyring's chainer (several backends at once) counts only when every backend in it is.
    """
    module = type(backend).__module__
    if module == "keyring.backends.chainer":
        inner = list(getattr(backend, "backends", ()))
        return bool(inner) and all(is_os_keychain(b) for b in inner)
    try:
        priority = float(getattr(backend, "priority", 0))
    except Exception:  # noqa: BLE001 - a backend whose priority check fails is not usable
        return False
    return (
        module.startswith(OS_KEYCHAIN_MODULES)
        and not module.startswith(_NOT_A_KEYCHAIN)
        and priority > 0
    )


def _keyring() -> Any:
    try:
        import keyring
    except ImportError:
        return None
    try:
        backend = keyring.get_keyring()
    except Exception:  # noqa: BLE001 - a broken keychain set-up: behave as without one
        return None
    # keyring's "fail" backend (priority 0) means there is no usable keychain here.
    return keyring if is_os_keychain(backend) else None


def keychain_available() -> bool:
    """Return True when this system has a keychain the password can be remembered in."""
    return _keyring() is not None


def keychain_account(url: str) -> str:
    """Return the keychain entry's name for a server URL: login@host:port/database."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    port = f":{parsed.port}" if parsed.port else ""
    return f"{parsed.username or ''}@{parsed.host or ''}{port}/{parsed.database or ''}"


def with_stored_password(url: str) -> str:
    """Return the URL with the password remembered in the keychain, if the URL has none."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.password or "password" in parsed.query:
        return url
    keyring = _keyring()
    if keyring is None:
        return url
    try:
        stored = keyring.get_password(KEYCHAIN_SERVICE, keychain_account(url))
    except Exception as exc:  # noqa: BLE001 - a locked or broken keychain: ask instead
        log.info("keychain not read: %s", exc)
        return url
    return with_password(url, stored) if stored else url


def has_stored_password(url: str) -> bool:
    """Return True when the keychain holds a password for this server login."""
    keyring = _keyring()
    if keyring is None:
        return False
    try:
        return keyring.get_password(KEYCHAIN_SERVICE, keychain_account(url)) is not None
    except Exception as exc:  # noqa: BLE001 - a locked or broken keychain: as without one
        log.info("keychain not read: %s", exc)
        return False


def forget_password(url: str) -> bool:
    """Remove this server login's password from the keychain; returns True if one was removed."""
    keyring = _keyring()
    if keyring is None or not has_stored_password(url):
        return False
    try:
        keyring.delete_password(KEYCHAIN_SERVICE, keychain_account(url))
    except Exception as exc:  # noqa: BLE001 - kept: said in the log, asked again next time
        log.warning("the password could not be removed from the keychain: %s", exc)
        return False
    return True


def remember_password(url: str, password: str) -> bool:
    """Keep the password in the system keychain; returns False when there is none."""
    keyring = _keyring()
    if keyring is None:
        return False
    try:
        keyring.set_password(KEYCHAIN_SERVICE, keychain_account(url), password)
    except Exception as exc:  # noqa: BLE001 - not remembered: the user is asked next time
        log.warning("the password could not be kept in the keychain: %s", exc)
        return False
    return True
