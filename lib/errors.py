"""The project's own exceptions: every failure a user can cause names the file and the reason."""

from __future__ import annotations


class MinzhengError(Exception):
    """Base class for every error the suite raises on purpose."""


class ReportError(MinzhengError):
    """A report file cannot be read or parsed; carries the file so messages can name it."""

    def __init__(self, path, reason: str, hint: str = ""):
        self.path = str(path)
        self.reason = reason
        self.hint = hint
        msg = f"{self.path}: {reason}"
        if hint:
            msg += f" ({hint})"
        super().__init__(msg)


class ManifestError(MinzhengError):
    """The manifest is malformed (missing/misspelt columns, unknown city, missing file)."""


class NumberParseError(MinzhengError, ValueError):
    """A span is not a number the parser understands."""
