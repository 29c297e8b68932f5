"""Passwords out of every text the app shows or logs: one redaction for URLs and messages.

Pure (no SQLAlchemy): the log filter is installed at start-up, before the window paints.
"""

from __future__ import annotations

import logging
import re

_USERINFO = re.compile(r"(?P<head>[A-Za-z][\w+.-]*://[^:/@\s]*):[^/\s]*@")
_PASSWORD_KEY = re.compile(r"(?P<key>\bpassword\s*=\s*)(?:'(?:[^'\\]|\\.)*'|[^&\s;]*)", re.I)


def redact_url(text: str) -> str:
    """Return text with every password in it replaced by ***.

    Covers URLs (`scheme://user:secret@host`), URL queries (`?password=secret`) and
    libpq keyword strings (`password=secret` or `password='se cret'`), anywhere in the text.
    """
    text = _USERINFO.sub(lambda m: f"{m['head']}:***@", text)
    return _PASSWORD_KEY.sub(lambda m: f"{m['key']}***", text)


class RedactingFilter(logging.Filter):
    """A logging filter that removes passwords from every record's message."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = redact_url(message)
        if clean != message:
            record.msg, record.args = clean, None
        return True


def install_log_redaction(logger: logging.Logger | None = None) -> None:
    """Make every handler of the logger (default: the root) drop passwords from messages."""
    target = logger or logging.getLogger()
    for handler in target.handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())
