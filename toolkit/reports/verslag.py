"""The verslag of a session: the dialogue-evening report in Markdown, HTML or Word.

:func:`verslag_data` assembles everything a verslag shows, in the order of the model verslag
(the 4th dialogue evening); the templates under ``templates/verslag/`` and the Word builder in
:mod:`toolkit.reports.docx` only lay it out. A public verslag (the default) shows the people
whose cases were discussed only by pseudonym and passes the privacy guard twice before a byte
is returned: once over every field of the session record, once over the finished text. An
internal verslag (``intern``) names those people and is marked as internal on every page.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from toolkit.casebook.casebook import Casebook, unknown_id_message
from toolkit.casebook.public import public_view
from toolkit.casebook.records import Decision, NextMeeting, Question, Session
from toolkit.errors import InvalidInputError, NotFoundError
from toolkit.formatting import long_date
from toolkit.i18n import _
from toolkit.reports.environment import make_environment, render
from toolkit.reports.privacy import check_public, texts_of

FORMATS: tuple[str, ...] = ("md", "html", "docx")
TEMPLATES: dict[str, str] = {"md": "verslag/verslag.md.j2", "html": "verslag/verslag.html.j2"}

#: Session fields that hold person ids by design; they reach the verslag only as pseudonyms.
_PSEUDONYMISED_FIELD = re.compile(r"^tables\[\d+\]\.cases\[\d+\]$")


@dataclass(frozen=True)
class VerslagOptions:
    format: str = "md"
    intern: bool = False
    templates: Path | None = None


@dataclass(frozen=True)
class Part:
    """One programme part, numbered in the order of the record."""

    number: int
    title: str
    speaker: str | None
    summary: str


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
            Part(number=index, title=part.title, speaker=part.speaker, summary=part.summary)
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
        next=session.next if session.next and (session.next.date or session.next.goal) else None,
    )


def session_sources(casebook: Casebook, session: Session) -> Iterator[tuple[str, str, str]]:
    """Every text field of the session record, as (source, field, text) for the guard."""
    source = source_name(casebook, session)
    for field, text in texts_of(session):
        if not _PSEUDONYMISED_FIELD.match(field):
            yield source, field, text


def output_sources(source: str, text: str) -> Iterator[tuple[str, str, str]]:
    """The finished output line by line, so a finding names the line it is on."""
    for number, line in enumerate(text.splitlines(), start=1):
        yield source, _("line {number}").format(number=number), line


def source_name(casebook: Casebook, session: Session) -> str:
    path = casebook.path_of(session)
    try:
        return str(path.relative_to(casebook.root))
    except ValueError:
        return str(path)


def guard(
    casebook: Casebook,
    session_fields: Iterable[tuple[str, str, str]],
    output: Iterable[tuple[str, str, str]],
) -> None:
    """The privacy guard for a public output: the record's fields first (their findings name
    the field to mend), then the finished output (which catches what a template added)."""
    check_public(casebook, session_fields)
    check_public(casebook, output)


def render_verslag(casebook: Casebook, session_id: str, options: VerslagOptions) -> str | bytes:
    """The verslag of ``session_id`` as text (md, html) or bytes (docx); nothing is written.

    Raises :class:`~toolkit.reports.privacy.PrivacyError` when a public verslag would carry
    personal data, and :class:`~toolkit.reports.environment.TemplateError` for a broken
    template.
    """
    if options.format not in FORMATS:
        raise InvalidInputError(
            _("Unknown format '{format}'; choose one of: {formats}.").format(
                format=options.format, formats=", ".join(FORMATS)
            ),
            field="format",
        )
    session = find_session(casebook, session_id)
    verslag = verslag_data(casebook, session, intern=options.intern)
    output_source = _("verslag of {id} ({format})").format(id=session.id, format=options.format)
    if options.format == "docx":
        from toolkit.reports.docx import document_bytes, document_texts, verslag_document

        document = verslag_document(verslag)
        if not options.intern:
            guard(
                casebook,
                session_sources(casebook, session),
                ((output_source, where, text) for where, text in document_texts(document)),
            )
        return document_bytes(document)
    environment = make_environment(options.templates)
    text = render(environment, TEMPLATES[options.format], verslag=verslag)
    if not options.intern:
        guard(casebook, session_sources(casebook, session), output_sources(output_source, text))
    return text
