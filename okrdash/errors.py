"""Errors the library raises for people, not programmers: each message is shown to the user as is."""


class OkrError(Exception):
    """Base of every error whose message is written for the person using the app."""

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else self.__class__.__name__


class ValidationError(OkrError):
    """Input was refused; `field` names the form field at fault when there is one."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class PermissionDenied(OkrError):
    """The acting person may not do this; the message says who may."""


class NotFound(OkrError):
    """The thing asked for does not exist (or no longer does)."""


class Conflict(OkrError):
    """The write clashed with the current state (a second objective, a concurrent edit)."""


class DatabaseLocked(OkrError):
    """Another process holds the DuckDB file."""


class DatabaseUnavailable(OkrError):
    """The configured PostgreSQL database cannot be reached or used; the message names the setting."""
