"""A request for access (inzage): everything the casebook holds about one person.

The person's own file in full (as read and as stored, comments included), their placement with
the names behind its ids, the sessions that discussed them, their hours statements, the alerts
the coordinator sees about them, and every other place a file names them. The last part uses
the same search as erasure, so what an inzage shows is what ``vergeet`` would remove.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from toolkit.casebook.alerts import alerts_on, stopped_alerts
from toolkit.casebook.casebook import Casebook
from toolkit.casebook.erasure import read_erasure_log
from toolkit.casebook.public import pseudonyms
from toolkit.casebook.records import Opportunity, Organisation, Person, Session, Sponsor
from toolkit.casebook.rights import (
    YAML_SUFFIXES,
    CasebookFiles,
    Needles,
    PersonFile,
    needles_for,
    own_files,
)
from toolkit.casebook.yamlfile import YamlProblem, parse_yaml
from toolkit.errors import NotFoundError
from toolkit.i18n import _


@dataclass(frozen=True)
class PlacementView:
    opportunity_id: str
    opportunity: Opportunity | None
    organisation: Organisation | None
    sponsor_id: str | None
    sponsor: Sponsor | None


@dataclass(frozen=True)
class SessionView:
    session: Session
    themes: tuple[str, ...]


@dataclass(frozen=True)
class HoursView:
    """An hours statement, read as plain YAML (its format belongs to another part)."""

    path: str
    data: Any
    problem: str | None
    text: str


@dataclass(frozen=True)
class Mention:
    """One place outside the person's own files that names them."""

    path: str
    where: str
    text: str


@dataclass(frozen=True)
class AccessReport:
    person: Person
    pseudonym: str
    file_path: str
    file_text: str
    placement: PlacementView | None
    sessions: tuple[SessionView, ...]
    hours: tuple[HoursView, ...]
    alerts: tuple[str, ...]
    mentions: tuple[Mention, ...]
    casebook_name: str
    retention_months: int
    made_on: dt.date


def gather_access(
    casebook: Casebook, files: CasebookFiles, person_id: str, today: dt.date
) -> AccessReport:
    """Everything ``casebook`` (read as ``files``) holds about ``person_id``."""
    if person_id not in casebook.people:
        log = read_erasure_log(casebook.root)
        entry = log.entry_for(person_id) if log is not None else None
        if entry is not None:
            raise NotFoundError(
                _(
                    "'{id}' was erased on {date}; nothing about this person is left in the "
                    "casebook."
                ).format(id=person_id, date=entry.date.isoformat())
            )
    person = casebook.person(person_id)
    own = own_files(files, person_id)
    file_path = next(p for p, role in sorted(own.items()) if role == "person")
    needles = needles_for(
        person_id,
        PersonFile(
            path=file_path,
            name=person.name,
            phone=person.contact.phone if person.contact else None,
            email=person.contact.email if person.contact else None,
        ),
    )
    placement = None
    if person.placement is not None:
        opportunity = casebook.opportunities.get(person.placement.opportunity)
        sponsor_id = person.placement.sponsor
        placement = PlacementView(
            opportunity_id=person.placement.opportunity,
            opportunity=opportunity,
            organisation=casebook.organisations.get(opportunity.organisation)
            if opportunity
            else None,
            sponsor_id=sponsor_id,
            sponsor=casebook.sponsors.get(sponsor_id) if sponsor_id else None,
        )
    sessions = tuple(
        SessionView(s, tuple(t.theme for t in s.tables if person_id in t.cases))
        for s in casebook.sessions_by_date()
        if any(person_id in t.cases for t in s.tables)
    )
    hours = tuple(_hours_view(files, path) for path, role in sorted(own.items()) if role == "hours")
    alerts = (
        stopped_alerts(casebook, person, today)
        if person.status == "gestopt"
        else alerts_on(casebook, person, today)
    )
    mentions = tuple(
        mention
        for path, data in sorted(files.files.items())
        if path not in own
        for mention in _mentions(files, path, data, needles)
    )
    return AccessReport(
        person=person,
        pseudonym=pseudonyms(casebook)[person_id],
        file_path=file_path,
        file_text=files.files[file_path].decode("utf-8-sig", errors="replace"),
        placement=placement,
        sessions=sessions,
        hours=hours,
        alerts=tuple(a.message for a in alerts),
        mentions=mentions,
        casebook_name=casebook.settings.name,
        retention_months=casebook.settings.retention_months,
        made_on=today,
    )


def _hours_view(files: CasebookFiles, path: str) -> HoursView:
    raw = files.files[path]
    text = raw.decode("utf-8-sig", errors="replace")
    try:
        document = parse_yaml(raw, files.root / path)
    except YamlProblem as exc:
        return HoursView(path, None, exc.problem.message, text)
    return HoursView(path, plain(document.data), None, text)


def plain(node: Any) -> Any:
    """Round-trip data as plain dicts, lists and scalars (for templates)."""
    if isinstance(node, dict):
        return {str(k): plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain(item) for item in node]
    if isinstance(node, str):
        return str(node)
    return node


def _mentions(files: CasebookFiles, path: str, data: bytes, needles: Needles) -> Iterator[Mention]:
    if PurePosixPath(path).stem == needles.person_id:
        yield Mention(path, _("file name"), PurePosixPath(path).name)
    text = data.decode("utf-8-sig", errors="replace")
    if not needles.found_in(text):
        return
    parsed = None
    if PurePosixPath(path).suffix.lower() in YAML_SUFFIXES:
        try:
            parsed = parse_yaml(data, files.root / path).data
        except YamlProblem:
            parsed = None
    if parsed is None:
        for number, line in enumerate(text.splitlines(), start=1):
            if needles.found_in(line):
                yield Mention(path, _("line {number}").format(number=number), line.strip())
        return
    yield from _mentions_in_data(path, parsed, needles, "")
    for number, line in enumerate(text.splitlines(), start=1):
        comment = _comment_of(line)
        if comment and needles.found_in(comment):
            yield Mention(path, _("comment on line {number}").format(number=number), comment)


_COMMENT = re.compile(r"(?:^|\s)(#.*)$")


def _comment_of(line: str) -> str | None:
    # Approximate: a '#' inside a quoted value would count too; shown, never edited.
    match = _COMMENT.search(line)
    return match.group(1) if match else None


def _mentions_in_data(path: str, node: Any, needles: Needles, where: str) -> Iterator[Mention]:
    if isinstance(node, dict):
        for key, value in node.items():
            here = f"{where}.{key}" if where else str(key)
            if isinstance(key, str) and needles.found_in(key):
                yield Mention(path, here, key)
            yield from _mentions_in_data(path, value, needles, here)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _mentions_in_data(path, item, needles, f"{where}[{index + 1}]")
    elif isinstance(node, str) and needles.found_in(node):
        yield Mention(path, where, str(node))
