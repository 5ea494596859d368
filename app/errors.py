"""The one error root. Entry points translate these into a dialog, an HTTP status or an exit code."""

from __future__ import annotations


class CoplanError(Exception):
    """Root of every error CoPlan raises on purpose; the message is meant for the user."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(CoplanError):
    """A project, layer, feature or change set that does not exist."""


class InvalidInput(CoplanError):
    """Input that breaks a rule (geometry, field, code list, CRS, file format)."""

    exit_code = 2


class ProjectError(CoplanError):
    """The project file is missing, not a CoPlan project, or of an unsupported version."""


class ConflictError(CoplanError):
    """The operation clashes with the current state (e.g. a revert over later edits)."""


class ImportRefused(InvalidInput):
    """A file with bad rows was refused whole; `problems` names each bad row and why."""

    def __init__(self, message: str, problems: list) -> None:
        super().__init__(message)
        self.problems = problems


class PermissionDenied(CoplanError):
    """The party or role may not do this (e.g. edit a feature another party owns)."""

    exit_code = 3


class NothingToDo(CoplanError):
    """The request is valid but has no effect (e.g. committing with no pending change)."""


class AuthError(CoplanError):
    """Missing, wrong or expired credentials."""

    exit_code = 4


class SyncError(CoplanError):
    """A sync request failed; `retryable` says whether trying again may succeed."""

    def __init__(self, message: str, *, status: int | None = None, retryable: bool = False):
        super().__init__(message)
        self.status = status
        self.retryable = retryable


class StoreUnavailable(CoplanError):
    """The server's store is busy or unreachable for the moment (every connection in use, the
    database restarting): the request may be tried again."""


class ReadOnlyProject(PermissionDenied):
    """The project was opened read-only (its file or folder cannot be written, or another
    program holds its write lock): it can be viewed, not changed."""
