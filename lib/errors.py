"""The project's own exceptions: every failure a user can cause names the file and the reason.

Each carries the exit status the command line returns for it (README, "Exit status"):
0 ok, 1 some input was bad, 2 usage (arguments, folders, missing prerequisites), 3 internal error;
130 and 143 when Ctrl-C or SIGTERM stopped the command.
"""

from __future__ import annotations

EXIT_OK, EXIT_BAD_INPUT, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
EXIT_INTERRUPTED, EXIT_TERMINATED = 130, 143  # Ctrl-C, SIGTERM: the shell's 128 + signal number


class MinzhengError(Exception):
    """Base class for every error the suite raises on purpose (a usage problem unless a subclass says)."""

    exit_code = EXIT_USAGE


class BadInputError(MinzhengError):
    """The input itself is bad (an empty raw folder, a damaged clean table): exit status 1."""

    exit_code = EXIT_BAD_INPUT


class FolderError(MinzhengError):
    """An output folder the tool may not write or replace (not its own, read-only, locked)."""


class ReportError(MinzhengError):
    """A report file cannot be read or parsed; carries the file so messages can name it."""

    exit_code = EXIT_BAD_INPUT

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

    exit_code = EXIT_BAD_INPUT


class NumberParseError(MinzhengError, ValueError):
    """A span is not a number the parser understands."""
