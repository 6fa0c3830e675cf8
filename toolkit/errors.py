"""The project's own errors: library code raises these, only the CLI turns them into messages.

Every error carries text meant for a coordinator, not a programmer: it says what is wrong, where
(file, line, field) and what is allowed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


class ToolkitError(Exception):
    """Base of every error the toolkit raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a casebook: where it is and what is wrong, in plain words."""

    file: Path | None
    message: str
    line: int | None = None
    field: str | None = None

    def location(self) -> str:
        parts = []
        if self.file is not None:
            parts.append(str(self.file))
        if self.line is not None:
            parts.append(str(self.line))
        return ":".join(parts)

    def __str__(self) -> str:
        where = self.location()
        field = f" [{self.field}]" if self.field else ""
        return f"{where}{field}: {self.message}" if where else f"{field.strip()} {self.message}"


class CasebookError(ToolkitError):
    """A casebook cannot be read or is not valid; holds every problem found."""

    def __init__(self, problems: Sequence[Problem], heading: str = "") -> None:
        self.problems = list(problems)
        self.heading = heading
        super().__init__(self.render())

    def render(self) -> str:
        lines = [self.heading] if self.heading else []
        lines.extend(f"- {problem}" for problem in self.problems)
        return "\n".join(lines)


class UsageError(ToolkitError):
    """A request that cannot be carried out as asked.

    Raise one of the three kinds below: the web app answers them differently (404, 400, 409),
    the command line gives all three exit code 1. The message says what is wrong, not which
    flag or button fixes it: the CLI and the web each add that in their own words.
    """


class NotFoundError(UsageError):
    """The request names a record, session or file that does not exist (HTTP 404)."""


class InvalidInputError(UsageError):
    """A value the user gave is not acceptable: a bad date, amount or choice (HTTP 400)."""


class ConflictError(UsageError):
    """The request clashes with what is there: an existing file, a changed record (HTTP 409)."""


class OutputError(ToolkitError):
    """An output could not be written; nothing was changed."""
