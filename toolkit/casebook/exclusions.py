"""Declined and banned pairs: ``exclusions.yaml`` at the top of a casebook.

A person may decline a proposed place, or a pair may be ruled out for another reason (the
organisation and the person had a conflict before). Such pairs are written down once and
kept out of every later round::

    exclusions:
      - person: fatima-el-amrani
        opportunity: voedselbank-keukenhulp
        reason: Wil liever niet in een keuken werken.
        date: 2025-03-01

``person`` and ``opportunity`` must be ids in the casebook; ``reason`` and ``date`` are
optional. The file holds personal data (ids are names): it stays internal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

from pydantic import Field, ValidationError

from toolkit.casebook.messages import field_path, problems_from, unknown_id_message
from toolkit.casebook.records import Model, RecordId, Text
from toolkit.casebook.yamlfile import YamlProblem, read_yaml
from toolkit.errors import CasebookError, Problem
from toolkit.i18n import _, ngettext

#: The file names the loader accepts for exclusions (the first is the one documented).
EXCLUSIONS_FILES: tuple[str, ...] = ("exclusions.yaml", "exclusions.yml")


class Exclusion(Model):
    """One pair that is never proposed."""

    person: RecordId
    opportunity: RecordId
    reason: Text = ""
    date: dt.date | None = None


class ExclusionsFile(Model):
    exclusions: list[Exclusion] = Field(default_factory=list)


def exclusions_path(root: Path) -> Path | None:
    """The casebook's exclusions file, if it has one."""
    for name in EXCLUSIONS_FILES:
        path = root / name
        if path.is_file():
            return path
    return None


def _read(
    root: Path, people: Mapping[str, object], opportunities: Mapping[str, object]
) -> tuple[list[Exclusion], list[Problem]]:
    path = exclusions_path(root)
    if path is None:
        return [], []
    try:
        document = read_yaml(path)
    except YamlProblem as exc:
        return [], [exc.problem]
    try:
        parsed = ExclusionsFile.model_validate(dict(document.data))
    except ValidationError as exc:
        return [], problems_from(exc, ExclusionsFile, document)
    problems = []
    for index, exclusion in enumerate(parsed.exclusions):
        for key, folder, known in (
            ("person", "people", people),
            ("opportunity", "opportunities", opportunities),
        ):
            wanted = getattr(exclusion, key)
            if wanted not in known:
                loc = ("exclusions", index, key)
                problems.append(
                    Problem(
                        file=path,
                        line=document.line_of(loc),
                        field=field_path(loc),
                        message=unknown_id_message(folder, wanted, known),
                    )
                )
    return parsed.exclusions, problems


def exclusion_problems(
    root: Path, people: Mapping[str, object], opportunities: Mapping[str, object]
) -> list[Problem]:
    """Every problem in the exclusions file of the casebook at ``root`` (none without one),
    its pairs checked against the ``people`` and ``opportunities`` the loader read."""
    return _read(root, people, opportunities)[1]


def read_exclusions(
    root: Path, people: Mapping[str, object], opportunities: Mapping[str, object]
) -> list[Exclusion]:
    """The casebook's excluded pairs; :class:`CasebookError` if the file is not valid."""
    exclusions, problems = _read(root, people, opportunities)
    if problems:
        raise CasebookError(
            problems,
            heading=ngettext(
                "The exclusions file has {count} problem:",
                "The exclusions file has {count} problems:",
                len(problems),
            ).format(count=len(problems)),
        )
    return exclusions


def parse_pair(text: str) -> tuple[str, str]:
    """``PERSON:OPPORTUNITY`` as given to ``--exclude``; ValueError with a plain message."""
    person, sep, opportunity = text.partition(":")
    if not sep or not person.strip() or not opportunity.strip():
        raise ValueError(
            _("'{text}' is not a pair; write PERSON:OPPORTUNITY, for example {example}.").format(
                text=text, example="jan-de-vries:voedselbank-keukenhulp"
            )
        )
    return person.strip(), opportunity.strip()
