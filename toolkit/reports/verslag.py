"""The verslag of a session: the dialogue-evening report in Markdown, HTML or Word.

:func:`~toolkit.reports.verslag_data.verslag_data` assembles everything a verslag shows; the
templates under ``templates/verslag/`` and the Word builder in
:mod:`toolkit.reports.docx` only lay it out. A public verslag (the default) shows the people
whose cases were discussed only by pseudonym and passes the privacy guard twice before a byte
is returned: once over every field of the session record, once over the finished text. An
internal verslag (``intern``) names those people and is marked as internal on every page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from toolkit.casebook.casebook import Casebook
from toolkit.casebook.records import Session
from toolkit.errors import InvalidInputError
from toolkit.i18n import _
from toolkit.reports.docx import document_bytes, document_texts, verslag_document
from toolkit.reports.environment import make_environment, render
from toolkit.reports.privacy import check_public, texts_of
from toolkit.reports.verslag_data import find_session, verslag_data

FORMATS: tuple[str, ...] = ("md", "html", "docx")
TEMPLATES: dict[str, str] = {"md": "verslag/verslag.md.j2", "html": "verslag/verslag.html.j2"}

#: Session fields that hold person ids by design; they reach the verslag only as pseudonyms.
_PSEUDONYMISED_FIELD = re.compile(r"^tables\[\d+\]\.cases\[\d+\]$")


@dataclass(frozen=True)
class VerslagOptions:
    format: str = "md"
    intern: bool = False
    templates: Path | None = None
    #: A .docx made in Word: the house style (styles, header, logo) of the Word verslag.
    docx_template: Path | None = None


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
        document = verslag_document(verslag, options.docx_template)
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
