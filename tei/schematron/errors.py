"""Errors raised for problems in a user's Schematron schema (one line, never a traceback)."""

from __future__ import annotations

from ..errors import TeiError


class SchematronError(TeiError):
    """A Schematron schema cannot be loaded, compiled or run.

    The message names the schema file (via ``path``) and the problem, on one line.
    """

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None) -> None:
        where = f"{path}:{line}" if path and line else path
        super().__init__(" ".join(message.split()), path=where, exit_code=2)
        self.line = line
        self.schema = path


class SchematronSchemaError(SchematronError):
    """The schema is not valid Schematron (bad structure, unknown ids, bad XPath...)."""


class SchematronIncludeError(SchematronError):
    """An ``include`` or ``extends/@href`` cannot be resolved (missing, network, cycle)."""


class SchematronQueryBindingError(SchematronError):
    """The schema's ``queryBinding`` is not one we can run."""


class SchematronRuntimeError(SchematronError):
    """The compiled schema failed while validating a document (e.g. an error in a global let)."""
