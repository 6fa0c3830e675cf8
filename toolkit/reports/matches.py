"""The match report: options per person, or the proposal round, as a table, CSV, JSON,
Markdown or one self-contained HTML file.

:func:`match_report` assembles what every format shows; the formats only lay it out. By
default people appear by their public view (pseudonym, age band, district) and every reason
and warning that would reveal special-category data (needs, values, situation) is left out;
the finished text then passes the privacy guard before it is returned. With ``intern`` the
report shows names and ids and everything the matcher found, for the coordinator only.

CSV and JSON are data exports for the coordinator's own tools: they follow the same rule
(pseudonyms unless ``intern``), so a file forwarded by mistake carries no names.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from tabulate import tabulate

from toolkit.casebook.casebook import Casebook
from toolkit.casebook.public import public_view
from toolkit.formatting import long_date, number
from toolkit.i18n import _
from toolkit.matching.explain import PERSONAL_REASONS, PERSONAL_WARNINGS
from toolkit.matching.options import NoOption, Option, PersonOptions
from toolkit.matching.round import RoundResult
from toolkit.reports.privacy import check_public
from toolkit.reports.spreadsheet import inert

__all__ = ["FORMATS", "MatchReport", "match_report", "render_matches"]

FORMATS: tuple[str, ...] = ("table", "csv", "json", "md", "html")
TEMPLATES: dict[str, str] = {"md": "matches/report.md.j2", "html": "matches/report.html.j2"}


def part_labels() -> dict[str, str]:
    return {"talents": _("talents"), "wishes": _("wishes"), "values": _("values")}


def badge_labels() -> dict[str, str]:
    """Short labels for the warning codes (badges and table cells)."""
    return {
        "no_bsn": _("no BSN"),
        "asylum_seeker": _("asylum seeker"),
        "pgb": _("PGB"),
        "wajong": _("Wajong"),
        "vog": _("VOG"),
        "requires": _("requirement"),
        "travel": _("travel"),
    }


@dataclass(frozen=True)
class ShownPart:
    name: str
    label: str
    value: float | None  # None: does not count

    @property
    def percent(self) -> int:
        return round(100 * (self.value or 0.0))


@dataclass(frozen=True)
class ShownWarning:
    code: str
    label: str
    text: str


@dataclass(frozen=True)
class ShownOption:
    rank: int
    opportunity_id: str
    title: str
    organisation: str
    district: str
    sponsor: str
    sponsor_id: str | None
    total: float
    parts: tuple[ShownPart, ...]
    reasons: tuple[str, ...]
    warnings: tuple[ShownWarning, ...]
    distance_km: float | None


@dataclass(frozen=True)
class ShownPerson:
    key: str  # the pseudonym, or the id in an internal report
    label: str  # "Pseudonym (27-35, Almere Stad)" or "Name (id)"
    options: tuple[ShownOption, ...]
    proposal: ShownOption | None = None
    reasons: tuple[str, ...] = ()  # why there is no option, or no proposal in the round


@dataclass(frozen=True)
class ShortlistEntry:
    person: str
    rank: int
    total: float
    proposed: bool


@dataclass(frozen=True)
class ShownPlace:
    opportunity_id: str
    title: str
    organisation: str
    district: str
    open_slots: int
    entries: tuple[ShortlistEntry, ...]


@dataclass(frozen=True)
class MatchReport:
    title: str
    casebook: str
    day: str
    mode: str  # "options" | "round"
    method: str
    top: int
    intern: bool
    notes: tuple[str, ...]
    summary: tuple[tuple[str, str], ...]
    people: tuple[ShownPerson, ...]
    places: tuple[ShownPlace, ...]
    sponsors: tuple[tuple[str, str, str], ...] = field(default=())  # name, proposed, left


def _person_label(casebook: Casebook, person_id: str, intern: bool, year: int) -> tuple[str, str]:
    person = casebook.people[person_id]
    if intern:
        return person_id, f"{person.name} ({person_id})"
    view = public_view(casebook, person, year)
    return view.pseudonym, f"{view.pseudonym} ({view.age_band}, {view.district})"


def _shown_option(casebook: Casebook, option: Option, rank: int, intern: bool) -> ShownOption:
    place = casebook.opportunities[option.opportunity_id]
    organisation = casebook.organisations.get(place.organisation)
    labels = part_labels()
    badges = badge_labels()
    parts = tuple(
        ShownPart(
            name, labels[name], getattr(option.parts, name) if option.parts.counts(name) else None
        )
        for name in ("talents", "wishes", "values")
    )
    codes = option.reason_codes or ("",) * len(option.reasons)
    reasons = tuple(
        text
        for code, text in zip(codes, option.reasons, strict=True)
        if intern or code not in PERSONAL_REASONS
    )
    warnings = tuple(
        ShownWarning(code, badges.get(code, code), text)
        for code, text in zip(option.warning_codes, option.warnings, strict=True)
        if intern or code not in PERSONAL_WARNINGS
    )
    sponsor = (
        casebook.sponsors[option.sponsor_id].name
        if option.sponsor_id is not None
        else _("the cooperative")
    )
    return ShownOption(
        rank=rank,
        opportunity_id=place.id,
        title=place.title,
        organisation=organisation.name if organisation else place.organisation,
        district=place.district,
        sponsor=sponsor,
        sponsor_id=option.sponsor_id,
        total=option.total,
        parts=parts,
        reasons=reasons,
        warnings=warnings,
        distance_km=option.distance_km,
    )


def _no_option_text(no_option: NoOption | None, intern: bool) -> tuple[str, ...]:
    if no_option is None:
        return ()
    if intern or not no_option.public_sentences:
        return no_option.sentences
    return no_option.public_sentences


def match_report(
    casebook: Casebook,
    options: dict[str, PersonOptions],
    *,
    round_result: RoundResult | None = None,
    top: int = 3,
    intern: bool = False,
    today: date | None = None,
    notes: Iterable[str] = (),
    only: str | None = None,
) -> MatchReport:
    """Everything a match report shows; ``only`` limits it to one person id."""
    day = today or date.today()
    people_ids = sorted(options) if only is None else [only]
    proposals = {}
    unplaced = {}
    if round_result is not None:
        proposals = {p.person_id: p for p in round_result.proposals}
        unplaced = {u.person_id: u for u in round_result.unplaced}
    shown_people = []
    shortlists: dict[str, list[ShortlistEntry]] = {}
    for person_id in people_ids:
        key, label = _person_label(casebook, person_id, intern, day.year)
        person_options = options.get(person_id, PersonOptions(person_id, ()))
        shown = tuple(
            _shown_option(casebook, option, rank, intern)
            for rank, option in enumerate(person_options.options, start=1)
        )
        proposal = None
        reasons = _no_option_text(person_options.no_option, intern)
        if person_id in proposals:
            proposal = _shown_option(casebook, proposals[person_id], 0, intern)
        elif person_id in unplaced:
            u = unplaced[person_id]
            reasons = u.reasons if intern else u.public_reasons
        shown_people.append(ShownPerson(key, label, shown, proposal, reasons))
        for option in shown:
            shortlists.setdefault(option.opportunity_id, []).append(
                ShortlistEntry(
                    label,
                    option.rank,
                    option.total,
                    proposal is not None and proposal.opportunity_id == option.opportunity_id,
                )
            )
        if proposal is not None and proposal.opportunity_id not in {
            o.opportunity_id for o in shown
        }:
            shortlists.setdefault(proposal.opportunity_id, []).append(
                ShortlistEntry(label, 0, proposal.total, True)
            )

    # By what the report shows: in a public report the order of ids (names) is not revealed.
    shown_people.sort(key=lambda person: (person.key.casefold(), person.key))
    places = []
    for opportunity_id in sorted(shortlists):
        place = casebook.opportunities[opportunity_id]
        organisation = casebook.organisations.get(place.organisation)
        entries = sorted(
            shortlists[opportunity_id], key=lambda e: (not e.proposed, -e.total, e.person)
        )
        places.append(
            ShownPlace(
                opportunity_id,
                place.title,
                organisation.name if organisation else place.organisation,
                place.district,
                casebook.open_slots(opportunity_id),
                tuple(entries),
            )
        )

    n_candidates = round_result.n_candidates if round_result is not None else len(options)
    summary: list[tuple[str, str]] = [(_("candidates"), number(n_candidates))]
    sponsors: list[tuple[str, str, str]] = []
    with_options = sum(1 for o in options.values() if o.options)
    if round_result is None:
        summary.append((_("with at least one option"), number(with_options)))
        summary.append((_("without an option"), number(len(options) - with_options)))
    else:
        summary += [
            (_("open slots"), number(round_result.open_slots)),
            (_("placed in this round"), number(round_result.n_placed)),
            (_("not placed"), number(len(round_result.unplaced))),
        ]
        for sponsor_id, (used, left) in sorted(round_result.sponsor_use.items()):
            sponsors.append((casebook.sponsors[sponsor_id].name, number(used), number(left, 2)))
        cooperative = sum(1 for p in round_result.proposals if p.sponsor_id is None)
        sponsors.append((_("the cooperative"), number(cooperative), ""))

    method = round_result.method if round_result is not None else ""
    title = _("Proposal round") if round_result is not None else _("Options per candidate")
    return MatchReport(
        title=title,
        casebook=casebook.settings.name,
        day=long_date(day),
        mode="round" if round_result is not None else "options",
        method=method,
        top=top,
        intern=intern,
        notes=tuple(notes) + (round_result.notes if round_result is not None else ()),
        summary=tuple(summary),
        people=tuple(shown_people),
        places=tuple(places),
        sponsors=tuple(sponsors),
    )


def render_matches(casebook: Casebook, report: MatchReport, fmt: str) -> str:
    """The report in format ``fmt``; a public report passes the privacy guard first."""
    if fmt == "table":
        text = render_table(report)
    elif fmt == "csv":
        text = render_csv(report)
    elif fmt == "json":
        text = render_json(report)
    else:
        # Imported here: Jinja2 and Markdown only for the md and html reports, not for the table.
        from toolkit.reports.environment import make_environment, render

        environment = make_environment()
        text = render(
            environment,
            TEMPLATES[fmt],
            report=report,
            method_label=method_label(report.method),
            badge_labels=badge_labels(),
        )
    if not report.intern:
        check_public(casebook, [(_("match report"), fmt, text)])
    return text


def method_label(method: str) -> str:
    return {
        "flow": _("as many people placed as possible, then the best total fit"),
        "stable": _("stable: people propose, places rank by talents"),
    }.get(method, "")


def _parts_cell(option: ShownOption) -> str:
    return "/".join(str(part.percent) if part.value is not None else "–" for part in option.parts)


def render_table(report: MatchReport) -> str:
    """The readable terminal version: one line per option, reasons below for one person."""
    lines = [f"{report.title} — {report.casebook} — {report.day}"]
    if report.method:
        lines.append(_("Method: {method}").format(method=method_label(report.method)))
    lines.extend(f"! {note}" for note in report.notes)
    lines.append("")
    headers = [
        _("person"),
        "#",
        _("place"),
        _("sponsor"),
        _("fit"),
        _("talents/wishes/values (%)"),
        _("warnings"),
    ]
    rows: list[list[Any]] = []
    for person in report.people:
        shown = [person.proposal] if report.mode == "round" and person.proposal else []
        if report.mode == "options":
            shown = list(person.options)
        if not shown:
            rows.append([person.label, "", "—", "", "", "", ""])
            continue
        for option in shown:
            rows.append(
                [
                    person.label,
                    option.rank or "",
                    f"{option.title} ({option.organisation})",
                    option.sponsor,
                    number(option.total),
                    _parts_cell(option),
                    ", ".join(w.label for w in option.warnings),
                ]
            )
    lines.append(tabulate(rows, headers=headers, tablefmt="simple"))
    detailed = len(report.people) == 1
    for person in report.people:
        if person.reasons:
            lines.append("")
            lines.append(f"{person.label}:")
            lines.extend(f"  {reason}" for reason in person.reasons)
        if detailed:
            shown = [person.proposal] if person.proposal else []
            shown += list(person.options)
            for option in shown:
                lines.append("")
                lines.append(
                    f"{option.rank or '*'}. {option.title} ({option.organisation}) — "
                    f"{number(option.total)} — {option.sponsor}"
                )
                lines.extend(f"   - {reason}" for reason in option.reasons)
                lines.extend(f"   ! {w.text}" for w in option.warnings)
    if report.sponsors:
        lines.append("")
        lines.append(
            tabulate(
                list(report.sponsors),
                headers=[_("funder"), _("proposed (years)"), _("years left")],
                tablefmt="simple",
            )
        )
    lines.append("")
    lines.append(_("– means the part does not count."))
    return "\n".join(lines) + "\n"


def _rows(report: MatchReport) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for person in report.people:
        shown: list[tuple[bool, ShownOption]] = []
        if person.proposal is not None:
            shown.append((True, person.proposal))
        shown += [(False, option) for option in person.options]
        if not shown:
            rows.append({"person": person.key, "reasons": " | ".join(person.reasons)})
        for proposed, option in shown:
            values = {part.name: part.value for part in option.parts}
            rows.append(
                {
                    "person": person.key,
                    "proposed": proposed,
                    "rank": option.rank or None,
                    "opportunity": option.opportunity_id,
                    "title": option.title,
                    "organisation": option.organisation,
                    "sponsor": option.sponsor_id or "",
                    "total": option.total,
                    "talents": values["talents"],
                    "wishes": values["wishes"],
                    "values": values["values"],
                    "distance_km": option.distance_km,
                    "warnings": " ".join(w.code for w in option.warnings),
                    "reasons": " | ".join(option.reasons),
                }
            )
    return rows


CSV_COLUMNS = (
    "person",
    "proposed",
    "rank",
    "opportunity",
    "title",
    "organisation",
    "sponsor",
    "total",
    "talents",
    "wishes",
    "values",
    "distance_km",
    "warnings",
    "reasons",
)


def csv_headers() -> dict[str, str]:
    """The header of each CSV column in the language of the run."""
    return {
        "person": _("person"),
        "proposed": _("proposed"),
        "rank": _("rank"),
        "opportunity": _("place"),
        "title": _("title"),
        "organisation": _("organisation"),
        "sponsor": _("sponsor"),
        "total": _("match"),
        "talents": _("talents"),
        "wishes": _("wishes"),
        "values": _("values"),
        "distance_km": _("distance_km"),
        "warnings": _("warnings"),
        "reasons": _("reasons"),
    }


def render_csv(report: MatchReport) -> str:
    """One row per option (and per person without one); parts as fractions, empty: not counted.
    The header is in the language of the run, so a spreadsheet shows Dutch columns."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writerow(csv_headers())
    for row in _rows(report):
        writer.writerow(
            {
                key: "" if value is None else inert(value) if isinstance(value, str) else value
                for key, value in row.items()
            }
        )
    return buffer.getvalue()


def render_json(report: MatchReport) -> str:
    data = asdict(report)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
