"""The project's own errors: library code raises these, only the CLI turns them into messages.

Every error carries text meant for a coordinator, not a programmer: it says what is wrong, where
(file, line, field) and what is allowed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class Remedy(StrEnum):
    """What the user can do about an error, named once; the CLI and the web each say it in their
    own words (a flag to add, a button to press), so library messages never name either."""

    #: Replace the file that is already there.
    REPLACE = "replace"
    #: Erase a person although their placement may still be running.
    ERASE_ANYWAY = "erase-anyway"
    #: Give the amount of the obligation directly instead of a sponsor's.
    GIVE_OBLIGATION = "give-obligation"
    #: Choose another id for the new record.
    OTHER_ID = "other-id"
    #: Make the internal version, which may name people.
    INTERNAL_VERSION = "internal-version"
    #: Ask about one person by id (who need not be a candidate).
    ONE_PERSON = "one-person"


class ToolkitError(Exception):
    """Base of every error the toolkit raises on purpose."""

    #: What the user can do about it, when there is something (see :class:`Remedy`).
    remedy: Remedy | None = None


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
    flag or button fixes it: the CLI and the web each add that in their own words, from
    ``remedy`` when there is one.
    """

    def __init__(self, message: str, *, remedy: Remedy | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.remedy = remedy


class NotFoundError(UsageError):
    """The request names a record, session or file that does not exist (HTTP 404)."""


class InvalidInputError(UsageError):
    """A value the user gave is not acceptable: a bad date, amount or choice (HTTP 400).

    ``field`` names the input in the library's terms (``format``, ``top``, ``id``...), so that a
    form can show the message next to the field.
    """

    def __init__(
        self, message: str, *, field: str | None = None, remedy: Remedy | None = None
    ) -> None:
        super().__init__(message, remedy=remedy)
        self.field = field


class ConflictError(UsageError):
    """The request clashes with what is there: an existing file, a changed record (HTTP 409).

    ``path`` is the file in the way, when there is one.
    """

    def __init__(
        self, message: str, *, path: Path | None = None, remedy: Remedy | None = None
    ) -> None:
        super().__init__(message, remedy=remedy)
        self.path = path


class OutputError(ToolkitError):
    """An output could not be written; nothing was changed."""


class OutputExistsError(ConflictError, OutputError):
    """The output file exists already and may not be replaced; nothing was written."""
