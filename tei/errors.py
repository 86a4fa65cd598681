"""User-facing errors: anything raised as TeiError is printed as one line, never a traceback."""

from __future__ import annotations


class TeiError(Exception):
    """An error caused by the user's input or options; the CLI prints it and exits non-zero.

    ``exit_code`` follows the CLI convention: 1 for invalid/unconvertible content,
    2 for usage errors and unreadable input.
    """

    def __init__(self, message: str, *, path: str | None = None, exit_code: int = 2) -> None:
        self.path = path
        self.exit_code = exit_code
        super().__init__(message)

    def __str__(self) -> str:
        msg = super().__str__()
        return f"{self.path}: {msg}" if self.path else msg


class InputError(TeiError):
    """The input file cannot be read or decoded, or has no usable content."""


class UnreadableError(InputError):
    """The input file cannot be read at all (missing, a folder, a device, no permission): exit 2
    in every command, whatever the other inputs gave."""


class ConversionError(TeiError):
    """The input was read but does not have a layout any reader understands."""

    def __init__(self, message: str, *, path: str | None = None) -> None:
        super().__init__(message, path=path, exit_code=1)
