"""Every document the toolkit makes, rendered to bytes without writing anything.

A :class:`Document` is the exact bytes a command writes (or prints), with a suggested file name
and a media type: the command writes ``data`` with :func:`toolkit.files.write_atomic`, the web
app offers the same ``data`` as a download, so the two are the same byte for byte.

:func:`render_document` looks a kind up in :data:`KINDS`; each kind takes its own request
object. A new kind is one entry: its name, the request class, the formats and a function
``(casebook, request) -> Document``. The renderers import their report modules when called:
the matcher behind ``match``, ``overzicht`` and ``kaart`` takes over a second to import.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from toolkit.casebook.alerts import RENEWAL_WINDOW_DAYS
from toolkit.casebook.casebook import Casebook
from toolkit.errors import InvalidInputError, NotFoundError
from toolkit.i18n import _
from toolkit.reports.casussen.request import FORMATS as CASUSSEN_FORMATS
from toolkit.reports.casussen.request import Request as CasussenRequest

if TYPE_CHECKING:
    from toolkit.casebook.money import SponsorPlan
    from toolkit.reports.matches import MatchReport
    from toolkit.reports.matchrun import MatchRequest

#: Media type per file extension; text is always UTF-8.
MEDIA_TYPES: dict[str, str] = {
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "txt": "text/plain; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "png": "image/png",
    "svg": "image/svg+xml",
    "graphml": "application/graphml+xml",
    "gexf": "application/gexf+xml",
    "zip": "application/zip",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

#: The inzage: md and html from the templates, docx built in Word.
ACCESS_FORMATS: tuple[str, ...] = ("md", "html", "docx")

#: File extension per format where the two differ (screen formats are plain text).
_EXTENSIONS = {"text": "txt", "table": "txt"}


@dataclass(frozen=True)
class Document:
    """One rendered document.

    ``private``: it holds personal data (an internal version, an inzage): written readable by its
    owner only, and served never to be cached. ``binary``: not text to show on a screen (Word,
    PNG, SVG).
    """

    name: str
    media_type: str
    data: bytes
    private: bool = False
    binary: bool = False

    @property
    def text(self) -> str:
        return self.data.decode("utf-8")


def make_document(stem: str, fmt: str, content: str | bytes, *, private: bool = False) -> Document:
    """A :class:`Document` named ``stem`` plus the extension of ``fmt``."""
    extension = _EXTENSIONS.get(fmt, fmt)
    if isinstance(content, str):
        return Document(f"{stem}.{extension}", MEDIA_TYPES[extension], content.encode(), private)
    return Document(f"{stem}.{extension}", MEDIA_TYPES[extension], content, private, binary=True)


def _check_format(fmt: str, formats: tuple[str, ...]) -> None:
    if fmt not in formats:
        raise InvalidInputError(
            _("Unknown format '{format}'; choose one of: {formats}.").format(
                format=fmt, formats=", ".join(formats)
            ),
            field="format",
        )


def _day(day: date | None) -> date:
    return day if day is not None else date.today()


# --- the requests, one per kind ---------------------------------------------------------------


@dataclass(frozen=True)
class VerslagRequest:
    session: str
    format: str = "md"
    intern: bool = False
    templates: Path | None = None
    #: A .docx made in Word: the house style of the Word verslag.
    docx_template: Path | None = None


@dataclass(frozen=True)
class QaRequest:
    format: str = "html"
    templates: Path | None = None


@dataclass(frozen=True)
class OverviewRequest:
    format: str = "md"
    window: int = RENEWAL_WINDOW_DAYS
    day: date | None = None


@dataclass(frozen=True)
class MapRequest:
    format: str = "text"
    day: date | None = None


@dataclass(frozen=True)
class MatchDocumentRequest:
    match: MatchRequest
    format: str = "table"
    day: date | None = None


@dataclass(frozen=True)
class SponsorPlanRequest:
    """A sponsor's plan (its obligation minus what is credited), or one for an amount."""

    sponsor: str | None = None
    obligation: float | None = None
    years: int | None = None
    day: date | None = None


@dataclass(frozen=True)
class AccessRequest:
    person: str
    format: str = "md"
    day: date | None = None


# --- the renderers ------------------------------------------------------------------------------


def verslag_document(casebook: Casebook, request: VerslagRequest) -> Document:
    from toolkit.reports.verslag import FORMATS, VerslagOptions, render_verslag

    _check_format(request.format, FORMATS)
    content = render_verslag(
        casebook,
        request.session,
        VerslagOptions(
            format=request.format,
            intern=request.intern,
            templates=request.templates,
            docx_template=request.docx_template,
        ),
    )
    stem = f"verslag-{request.session}" + ("-intern" if request.intern else "")
    return make_document(stem, request.format, content, private=request.intern)


def qa_document(casebook: Casebook, request: QaRequest) -> Document:
    from toolkit.reports.qa import QA_FORMATS, QaOptions, render_qa

    _check_format(request.format, QA_FORMATS)
    content = render_qa(casebook, QaOptions(format=request.format, templates=request.templates))
    return make_document("vragen-en-antwoorden", request.format, content)


def overview_document(casebook: Casebook, request: OverviewRequest) -> Document:
    from toolkit.reports.matchresults import compute_match_results
    from toolkit.reports.overview import FORMATS, build_overview, render_overview

    _check_format(request.format, FORMATS)
    day = _day(request.day)
    overview = build_overview(
        casebook, day, window=request.window, matches=compute_match_results(casebook)
    )
    content = render_overview(casebook, overview, "html" if request.format == "html" else "md")
    return make_document(f"overzicht-{day.isoformat()}", request.format, content)


def map_document(casebook: Casebook, request: MapRequest) -> Document:
    from toolkit.reports.kaart import FORMATS, render_map
    from toolkit.reports.matchresults import compute_match_results

    _check_format(request.format, FORMATS)
    day = _day(request.day)
    content = render_map(casebook, day, request.format, compute_match_results(casebook))
    return make_document(f"kaart-{day.isoformat()}", request.format, content)


def match_document(casebook: Casebook, report: MatchReport, fmt: str, day: date) -> Document:
    """The match report ``report`` (from :func:`~toolkit.reports.matchrun.run_match` for
    ``day``) in ``fmt``."""
    from toolkit.reports.matches import FORMATS, render_matches

    _check_format(fmt, FORMATS)
    content = render_matches(casebook, report, fmt)
    stem = f"match-{day.isoformat()}" + ("-intern" if report.intern else "")
    return make_document(stem, fmt, content, private=report.intern)


def _match(casebook: Casebook, request: MatchDocumentRequest) -> Document:
    from toolkit.reports.matches import FORMATS
    from toolkit.reports.matchrun import run_match

    _check_format(request.format, FORMATS)
    day = _day(request.day)
    # The terminal table shows the proposals only; every other format lists the options too.
    match = replace(request.match, shortlists=request.format != "table")
    return match_document(casebook, run_match(casebook, match, day), request.format, day)


def requested_plan(casebook: Casebook, request: SponsorPlanRequest) -> SponsorPlan:
    """The plan for a sponsor or for an amount (exactly one of the two)."""
    from toolkit.casebook.money import plan, plan_for_sponsor

    day = _day(request.day)
    if request.obligation is None:
        if request.sponsor is None:
            raise InvalidInputError(
                _("Give a sponsor, or the amount of the obligation."), field="sponsor"
            )
        return plan_for_sponsor(casebook, request.sponsor, request.years, day)
    if request.sponsor is not None:
        raise InvalidInputError(
            _("Give either a sponsor or the amount of the obligation, not both."),
            field="obligation",
        )
    return plan(request.obligation, request.years or 1, casebook.rules, start=day)


def plan_document(result: SponsorPlan) -> Document:
    """The plan as the lines the command prints."""
    from toolkit.reports.sponsorplan import plan_text

    stem = "sponsorplan" + (f"-{result.sponsor.sponsor_id}" if result.sponsor else "")
    return make_document(stem, "text", plan_text(result) + "\n")


def _sponsorplan(casebook: Casebook, request: SponsorPlanRequest) -> Document:
    return plan_document(requested_plan(casebook, request))


def access_document(casebook: Casebook, request: AccessRequest) -> Document:
    """Everything the casebook holds about one person: a personal document."""
    from toolkit.casebook.access import gather_access
    from toolkit.casebook.rights import snapshot
    from toolkit.reports.inzage import render_access
    from toolkit.reports.inzage_docx import access_docx

    _check_format(request.format, ACCESS_FORMATS)
    day = _day(request.day)
    report = gather_access(casebook, snapshot(casebook.root), request.person, day)
    content = (
        access_docx(report) if request.format == "docx" else render_access(report, request.format)
    )
    stem = f"inzage-{request.person}-{day.isoformat()}"
    return make_document(stem, request.format, content, private=True)


def casussen_document(casebook: Casebook, request: CasussenRequest) -> Document:
    """The public casussen handouts in one zip (the internal key is never in it); nothing is
    written and no session file is changed."""
    from toolkit.reports.casussen.job import matcher_options, render_casussen

    rendered = render_casussen(casebook, request, matcher_options(casebook))
    return make_document("casussen", "zip", rendered.zip_bytes())


@dataclass(frozen=True)
class SponsorStatementRequest:
    sponsor: str
    year: int | None = None
    format: str = "html"
    day: date | None = None


def sponsor_statement_document(casebook: Casebook, request: SponsorStatementRequest) -> Document:
    """A sponsor's statement of one year for the municipality: public, people by pseudonym."""
    from toolkit.reports.sponsor_statement import (
        sponsor_statement,
        sponsor_statement_docx,
        sponsor_statement_html,
    )

    _check_format(request.format, ("html", "docx"))
    day = _day(request.day)
    year = request.year or day.year
    statement = sponsor_statement(casebook, request.sponsor, year, day)
    if request.format == "docx":
        content: str | bytes = sponsor_statement_docx(casebook, statement)
    else:
        content = sponsor_statement_html(casebook, statement).decode("utf-8")
    return make_document(f"sponsorverklaring-{request.sponsor}-{year}", request.format, content)


@dataclass(frozen=True)
class PaymentListRequest:
    """A kept payment list (``number``), or the draft of ``month`` (nothing is kept)."""

    number: int | None = None
    month: str | None = None
    by: str = ""
    format: str = "xlsx"
    day: date | None = None


def payment_list_document(casebook: Casebook, request: PaymentListRequest) -> Document:
    """The payment list for the fiscal host as Excel: internal, it names the people paid."""
    from toolkit.casebook.payments import draft_payment_list, kept_payment_list
    from toolkit.reports.payment_list import payment_list_xlsx

    _check_format(request.format, ("xlsx",))
    if request.number is not None:
        view = kept_payment_list(casebook, request.number)
        stem = f"betaallijst-{request.number:04d}-{view.month}"
    elif request.month is not None:
        view = draft_payment_list(casebook, request.month, by=request.by, day=_day(request.day))
        stem = f"betaallijst-concept-{view.month}"
    else:
        raise InvalidInputError(_("Give a payment list number or a month."), field="month")
    return make_document(stem, "xlsx", payment_list_xlsx(view), private=True)


# --- the registry ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentKind:
    """One kind of document: the request it takes, its formats and how it is rendered."""

    name: str
    request: type[Any]
    formats: tuple[str, ...]
    render: Callable[[Casebook, Any], Document] = field(repr=False)


KINDS: dict[str, DocumentKind] = {
    kind.name: kind
    for kind in (
        DocumentKind("verslag", VerslagRequest, ("md", "html", "docx"), verslag_document),
        DocumentKind("qa", QaRequest, ("html", "md"), qa_document),
        DocumentKind("overzicht", OverviewRequest, ("md", "html"), overview_document),
        DocumentKind(
            "kaart", MapRequest, ("text", "png", "svg", "html", "graphml", "gexf"), map_document
        ),
        DocumentKind("match", MatchDocumentRequest, ("table", "csv", "json", "md", "html"), _match),
        DocumentKind("sponsorplan", SponsorPlanRequest, ("text",), _sponsorplan),
        DocumentKind("inzage", AccessRequest, ACCESS_FORMATS, access_document),
        # The handouts' format (md, html, docx); they come as one zip.
        DocumentKind("casussen", CasussenRequest, CASUSSEN_FORMATS, casussen_document),
        DocumentKind(
            "sponsorverklaring",
            SponsorStatementRequest,
            ("html", "docx"),
            sponsor_statement_document,
        ),
        DocumentKind("betaallijst", PaymentListRequest, ("xlsx",), payment_list_document),
    )
}


def render_document(kind: str, casebook: Casebook, request: object) -> Document:
    """The document ``kind`` for ``request`` (the request class of that kind); nothing is
    written."""
    entry = KINDS.get(kind)
    if entry is None:
        raise NotFoundError(
            _("Unknown document '{kind}'; choose one of: {kinds}.").format(
                kind=kind, kinds=", ".join(KINDS)
            )
        )
    if not isinstance(request, entry.request):
        # A programming error (the web and the CLI build the request), not a user's.
        raise TypeError(f"{kind} takes a {entry.request.__name__}, not {type(request).__name__}")
    return entry.render(casebook, request)
