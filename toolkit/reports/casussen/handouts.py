"""What a handout shows: the public data of every case and table, built from the plan.

Nothing here holds an id or a name, except :class:`KeyEntry` (the internal key).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from toolkit.casebook.alerts import alerts_on
from toolkit.casebook.casebook import Casebook
from toolkit.casebook.public import PublicPerson, pseudonyms, public_view
from toolkit.casebook.records import Person, Session
from toolkit.casebook.session_cases import physical_tables
from toolkit.formatting import long_date
from toolkit.i18n import _, current_language
from toolkit.matching.explain import PERSONAL_REASONS, PERSONAL_WARNINGS
from toolkit.matching.options import PART_NAMES, PersonOptions
from toolkit.reports.casussen.frame import Frame, figure_sources, financial_frame
from toolkit.reports.casussen.selection import Plan
from toolkit.reports.casussen.themes import (
    ALERT_THEMES,
    THEME_CODES,
    TOP_OPTIONS,
    QuestionBank,
    Theme,
    reference_day,
    theme_vocabulary,
)


@dataclass(frozen=True)
class ShownQuestion:
    text: str
    open: bool


@dataclass(frozen=True)
class ThemeQuestions:
    theme: Theme
    questions: tuple[ShownQuestion, ...]


@dataclass(frozen=True)
class ShownPart:
    label: str
    value: float


@dataclass(frozen=True)
class ShownOption:
    """One of the matcher's options without any id: what a table may read.

    Only the parts the total rests on are shown. Reasons that reveal needs or values are left
    out (as every public output of the matcher does), and so are the warnings that follow from
    the situation: the case shows those once, under its points of attention.
    """

    opportunity: str
    organisation: str
    district: str
    sponsor: str | None
    total: float
    parts: tuple[ShownPart, ...]
    reasons: tuple[str, ...]
    warnings: tuple[str, ...]
    distance_km: float | None


@dataclass(frozen=True)
class Case:
    person: PublicPerson
    status: str
    days: str
    situation: tuple[str, ...]
    themes: tuple[Theme, ...]
    frame: Frame
    warnings: tuple[str, ...]
    #: ``shown``: options follow; ``none``: the matcher found none; ``not_run``: not asked.
    options_state: Literal["shown", "none", "not_run"]
    options: tuple[ShownOption, ...]
    no_option: tuple[str, ...]
    questions: tuple[ThemeQuestions, ...]


@dataclass(frozen=True)
class TableHandout:
    number: int
    name: str | None
    cases: tuple[Case, ...]
    themes: tuple[Theme, ...]


@dataclass(frozen=True)
class Handouts:
    """Everything the public files show; it holds no id, name or other personal field."""

    title: str
    session_title: str | None
    session_date: date | None
    venue: str | None
    day: date
    tables: tuple[TableHandout, ...]
    requested: tuple[Theme, ...]
    uncovered: tuple[Theme, ...]
    absent: tuple[Theme, ...]
    selected: bool
    general: tuple[ShownQuestion, ...]
    rules_year: int
    #: Where each figure of the financial frame comes from: (what, source).
    sources: tuple[tuple[str, str], ...]

    @property
    def occasion(self) -> str:
        """The session, its date and venue on one line; empty without a session."""
        parts = [self.session_title, long_date(self.session_date), self.venue]
        return ", ".join(part for part in parts if part) if self.session_title else ""

    def tables_with(self, theme: Theme) -> tuple[int, ...]:
        """The numbers of the tables where ``theme`` comes up."""
        return tuple(table.number for table in self.tables if theme in table.themes)


@dataclass(frozen=True)
class KeyEntry:
    """One line of the internal key: never in a public file."""

    pseudonym: str
    person_id: str
    name: str
    table: int


def situation_sentences(person: Person) -> tuple[str, ...]:
    """The person's situation in plain words (special-category data: for the table only)."""
    sentences = {
        "dagbesteding": _("goes to day care (dagbesteding)"),
        "wajong": _("has a Wajong benefit (UWV)"),
        "wmo": _("has support from the municipality under the WMO"),
        "pgb": _("has a personal care budget (PGB)"),
        "bijstand": _("receives social assistance (bijstand)"),
        "inburgering": _("is in civic integration (inburgering)"),
        "asielzoeker": _("is an asylum seeker"),
        "statushouder": _("is a status holder (has a residence permit)"),
        "ww": _("receives unemployment benefit (WW)"),
        "geen": _("has no benefit or care arrangement"),
    }
    shown = [sentences[s] for s in person.situation]
    if not person.has_bsn:
        shown.append(_("has no citizen service number (BSN)"))
    return tuple(shown)


def _status(status: str) -> str:
    labels = {
        "kandidaat": _("candidate"),
        "actief": _("active burgerbaner"),
        "gestopt": _("stopped"),
    }
    return labels.get(status, status)


def _days(days: Sequence[str]) -> str:
    names = {
        "ma": _("Mon"),
        "di": _("Tue"),
        "wo": _("Wed"),
        "do": _("Thu"),
        "vr": _("Fri"),
        "za": _("Sat"),
        "zo": _("Sun"),
    }
    return ", ".join(names.get(day, day) for day in days)


def _shown_options(casebook: Casebook, options: PersonOptions) -> tuple[ShownOption, ...]:
    labels = {"talents": _("talents"), "wishes": _("wishes"), "values": _("values")}
    shown = []
    for option in options.options[:TOP_OPTIONS]:
        opportunity = casebook.opportunities.get(option.opportunity_id)
        organisation = casebook.organisations.get(opportunity.organisation) if opportunity else None
        sponsor = casebook.sponsors.get(option.sponsor_id) if option.sponsor_id else None
        reason_codes = option.reason_codes or ("",) * len(option.reasons)
        shown.append(
            ShownOption(
                opportunity=opportunity.title if opportunity else option.opportunity_id,
                organisation=organisation.name if organisation else "",
                district=opportunity.district if opportunity else "",
                sponsor=sponsor.name if sponsor else None,
                total=option.total,
                parts=tuple(
                    ShownPart(labels[name], getattr(option.parts, name))
                    for name in PART_NAMES
                    if option.parts.counts(name)
                ),
                reasons=tuple(
                    text
                    for code, text in zip(reason_codes, option.reasons, strict=True)
                    if code not in PERSONAL_REASONS
                ),
                warnings=tuple(
                    text
                    for code, text in zip(option.warning_codes, option.warnings, strict=True)
                    if code not in PERSONAL_WARNINGS
                ),
                distance_km=option.distance_km,
            )
        )
    return tuple(shown)


def build_case(
    casebook: Casebook,
    person: Person,
    themes: frozenset[str],
    options: PersonOptions | None,
    bank: QuestionBank,
    today: date,
) -> Case:
    vocabulary = theme_vocabulary()
    language = current_language()
    view = public_view(casebook, person, casebook.rules.year)
    warnings = [
        alert.message
        for alert in alerts_on(casebook, person, reference_day(casebook.rules, today))
        if alert.code in ALERT_THEMES
    ]
    state: Literal["shown", "none", "not_run"] = "not_run"
    shown: tuple[ShownOption, ...] = ()
    no_option: tuple[str, ...] = ()
    if options is not None:
        shown = _shown_options(casebook, options)
        state = "shown" if shown else "none"
        if options.no_option is not None:
            # Without the detail (which needs are missing) that the public view leaves out.
            no_option = options.no_option.public_sentences
    ordered = [vocabulary[code] for code in THEME_CODES if code in themes]
    return Case(
        person=view,
        status=_status(view.status),
        days=_days(view.days),
        situation=situation_sentences(person),
        themes=tuple(ordered),
        frame=financial_frame(casebook.rules, person),
        warnings=tuple(warnings),
        options_state=state,
        options=shown,
        no_option=no_option,
        questions=tuple(
            ThemeQuestions(
                theme=theme,
                questions=tuple(
                    ShownQuestion(q.text(language), q.open) for q in bank.by_theme[theme.code]
                ),
            )
            for theme in ordered
        ),
    )


def build_handouts(
    casebook: Casebook,
    plan: Plan,
    options: Mapping[str, PersonOptions] | None,
    bank: QuestionBank,
    today: date,
    session: Session | None = None,
) -> Handouts:
    vocabulary = theme_vocabulary()
    language = current_language()
    physical = physical_tables(session) if session is not None else []
    tables = []
    for number_, person_ids in enumerate(plan.tables, start=1):
        cases = tuple(
            build_case(
                casebook,
                casebook.people[pid],
                plan.themes[pid],
                options.get(pid) if options is not None else None,
                bank,
                today,
            )
            for pid in person_ids
        )
        at_table = frozenset().union(*(plan.themes[pid] for pid in person_ids))
        name = session.tables[physical[number_ - 1]].theme if session and physical else None
        tables.append(
            TableHandout(
                number=number_,
                name=name,
                cases=cases,
                themes=tuple(vocabulary[c] for c in THEME_CODES if c in at_table),
            )
        )
    return Handouts(
        title=_("Cases for the dialogue tables"),
        session_title=session.title if session else None,
        session_date=session.date if session else None,
        venue=session.venue if session else None,
        day=today,
        tables=tuple(tables),
        requested=tuple(vocabulary[c] for c in plan.coverage.requested),
        uncovered=tuple(vocabulary[c] for c in plan.coverage.uncovered),
        absent=tuple(vocabulary[c] for c in plan.coverage.absent),
        selected=plan.selected,
        general=tuple(ShownQuestion(q.text(language), q.open) for q in bank.general),
        rules_year=casebook.rules.year,
        sources=figure_sources(casebook.rules),
    )


def internal_key(casebook: Casebook, plan: Plan) -> tuple[KeyEntry, ...]:
    names = pseudonyms(casebook)
    return tuple(
        KeyEntry(names[pid], pid, casebook.people[pid].name, number_)
        for number_, person_ids in enumerate(plan.tables, start=1)
        for pid in person_ids
    )
