"""Errors users see: each says what is wrong and where."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: errors imports nothing of the app at load time
    from matrix_desktop.core.merge import FieldConflict


class MatrixError(Exception):
    """Base of all errors the app reports to users as a message."""


class ValidationFailed(MatrixError):
    """A value breaks a rule of the domain (e.g. a stage not in the framework)."""


class FinalisedError(ValidationFailed):
    """An edit was attempted on a final (read-only) assessment."""


class NotFound(MatrixError):
    """A named thing (entity, round, assessment, framework) does not exist."""


class DataFileError(MatrixError):
    """A file from outside (framework or exchange file) is refused: the one error type whose
    message names the file and the place in it (line and column, or path) and the problem."""


class FrameworkFileError(DataFileError):
    """A framework file is malformed; the message names the file and the problem."""

    def __init__(self, source: str, problem: str):
        self.source = source
        self.problem = problem
        super().__init__(f"{source}: {problem}")


class StorageError(MatrixError):
    """The database cannot be used as asked (newer version, locked, read-only, damaged)."""


class EditConflict(ValidationFailed):
    """Someone else changed a field since the user saw it: nothing was overwritten.

    `conflicts` are core.merge.FieldConflict values (base, mine, theirs per field);
    `command` is the refused edit, so a caller can offer keep mine / take theirs.
    """

    def __init__(self, where: str, conflicts: Iterable[FieldConflict], command: object = None):
        from matrix_desktop.core.commands import short

        self.where = where
        self.conflicts = list(conflicts)
        self.command = command
        lines = [
            f"{c.label}: theirs {short(c.theirs)!r}, yours {short(c.mine)!r}"
            + (f" (items: {', '.join(c.items)})" if c.items else "")
            for c in self.conflicts
        ]
        super().__init__(
            f"Someone else changed {where} since you saw it; nothing was overwritten.\n"
            + "\n".join(lines)
        )

    @property
    def fields(self) -> list[str]:
        return [c.field for c in self.conflicts]


class StaleError(ValidationFailed):
    """A finalise was refused because the assessment changed in ways the user has not seen."""


class PermissionRefused(StorageError):
    """The database server refused the change or read for the current role; nothing changed."""


class AlreadyExists(ValidationFailed):
    """A name (or a self-assessment) that is already taken: `existing_id` is the one to open.

    `what` says which kind of thing it is: 'system', 'entity', 'round' or 'assessment'.
    """

    def __init__(self, message: str, what: str, existing_id: str):
        self.what = what
        self.existing_id = existing_id
        super().__init__(message)
