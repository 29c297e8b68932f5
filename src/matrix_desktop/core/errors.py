"""Errors users see: each says what is wrong and where."""

from __future__ import annotations


class MatrixError(Exception):
    """Base of all errors the app reports to users as a message."""


class ValidationFailed(MatrixError):
    """A value breaks a rule of the domain (e.g. a stage not in the framework)."""


class FinalisedError(ValidationFailed):
    """An edit was attempted on a final (read-only) assessment."""


class NotFound(MatrixError):
    """A named thing (entity, round, assessment, framework) does not exist."""


class FrameworkFileError(MatrixError):
    """A framework file is malformed; the message names the file and the problem."""

    def __init__(self, source: str, problem: str):
        self.source = source
        self.problem = problem
        super().__init__(f"{source}: {problem}")


class StorageError(MatrixError):
    """The database cannot be used as asked (newer version, locked, read-only, damaged)."""
