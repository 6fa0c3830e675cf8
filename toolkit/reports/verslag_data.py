"""What a verslag shows: :func:`verslag_data` assembles it from the session record, in the order
of the model verslag (the 4th dialogue evening). :mod:`toolkit.reports.verslag` renders it as
Markdown or HTML and :mod:`toolkit.reports.docx` lays it out in Word; both import this module,
never each other's.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from toolkit.casebook.casebook import Casebook
from toolkit.casebook.messages import unknown_id_message
from toolkit.casebook.public import public_view
from toolkit.casebook.records import Decision, NextMeeting, Question, Session
from toolkit.errors import NotFoundError
from toolkit.formatting import long_date
from toolkit.i18n import _


@dataclass(frozen=True)
class Part:
    """One programme part, numbered in the order of the record."""

    number: int
    title: str
    speaker: str | None
    summary: str
    #: The dialogue tables met in this part: their findings follow its summary.
    tables: bool = False


@dataclass(frozen=True)
class Case:
    """A person whose case was discussed; ``name`` only in an internal verslag."""

    pseudonym: str
    age_band: str
    district: str
    name: str | None = None


@dataclass(frozen=True)
class TableTheme:
    theme: str
    count: int
    findings: tuple[str, ...]
    cases: tuple[Case, ...]


@dataclass(frozen=True)
class ActionItem:
    number: int
    what: str
    who: str | None
    due: str
    status: str
    status_label: str


@dataclass(frozen=True)
class Verslag:
    """Everything one verslag shows; the same for every format."""

    session: Session
    intern: bool
    concept: bool
    meta: tuple[tuple[str, str], ...]
    parts: tuple[Part, ...]
    tables: tuple[TableTheme, ...]
    table_count: int
    actions: tuple[ActionItem, ...]
    decisions: tuple[Decision, ...]
    questions: tuple[Question, ...]
    next: NextMeeting | None

    @property
    def title(self) -> str:
        return self.session.title

    @property
    def tables_in_programme(self) -> bool:
        """The tables' findings stand in the programme part where the tables met (in the
        evening's order) instead of in a section of their own after the programme."""
        return any(part.tables for part in self.parts)


def action_status_label(status: str) -> str:
    labels = {"open": _("open"), "lopend": _("in progress"), "afgerond": _("done")}
    return labels.get(status, status)


def find_session(casebook: Casebook, session_id: str) -> Session:
    """The session ``session_id``; an unknown id names the closest ones (or all there are)."""
    session = casebook.sessions.get(session_id)
    if session is not None:
        return session
    message = unknown_id_message("sessions", session_id, casebook.sessions)
    if not difflib.get_close_matches(session_id, list(casebook.sessions), n=3):
        known = [s.id for s in casebook.sessions_by_date()]
        message += " " + (
            _("Sessions in this casebook: {ids}.").format(ids=", ".join(known))
            if known
            else _("This casebook has no sessions yet; start one with 'burgerbaan new session ID'.")
        )
    raise NotFoundError(message)


def verslag_data(casebook: Casebook, session: Session, *, intern: bool = False) -> Verslag:
    """Assemble the verslag of ``session``: the one place that decides what a verslag shows."""
    meta: list[tuple[str, str]] = []
    for label, value in (
        (_("Time"), session.time),
        (_("Venue"), session.venue),
        (_("Organised by"), session.organiser),
        (_("Prepared with"), ", ".join(session.prepared_with)),
        (_("Chair"), session.chair),
        (_("Secretary"), session.secretary),
    ):
        if value:
            meta.append((label, value))
    meta.append((_("Status"), _("draft") if session.status == "concept" else _("approved")))

    views = {
        person_id: public_view(casebook, casebook.people[person_id], session.date.year)
        for table in session.tables
        for person_id in table.cases
    }
    tables = tuple(
        TableTheme(
            theme=table.theme,
            count=table.count,
            findings=tuple(table.findings),
            cases=tuple(
                Case(
                    pseudonym=views[person_id].pseudonym,
                    age_band=views[person_id].age_band,
                    district=views[person_id].district,
                    name=casebook.people[person_id].name if intern else None,
                )
                for person_id in table.cases
            ),
        )
        for table in session.tables
    )
    return Verslag(
        session=session,
        intern=intern,
        concept=session.status == "concept",
        meta=tuple(meta),
        parts=tuple(
            Part(
                number=index,
                title=part.title,
                speaker=part.speaker,
                summary=part.summary,
                tables=part.tables,
            )
            for index, part in enumerate(session.programme, start=1)
        ),
        tables=tables,
        table_count=sum(table.count for table in session.tables),
        actions=tuple(
            ActionItem(
                number=index,
                what=action.what,
                who=action.who,
                due=long_date(action.due) if action.due else "",
                status=action.status,
                status_label=action_status_label(action.status),
            )
            for index, action in enumerate(session.actions, start=1)
        ),
        decisions=tuple(session.decisions),
        questions=tuple(session.questions),
        next=session.next
        if session.next
        and (session.next.date or session.next.approximate_date or session.next.goal)
        else None,
    )
