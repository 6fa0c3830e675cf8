"""Casussen: pseudonymised case handouts for the dialogue tables.

Before a dialogue evening or deepening session the facilitator picks cases that together raise
the pilot's open questions, spreads them over the tables and prints a handout per table. The
people in the cases are real and vulnerable, so a handout shows a person only through
:func:`~toolkit.casebook.public.public_view` (pseudonym, age band, district, talents, wishes,
hours), plus their situation in plain words, which the discussion needs. Every public file
passes :func:`~toolkit.reports.privacy.check_public` before anything is written.

**Themes.** What a case is "about" is a closed vocabulary of themes (:func:`theme_vocabulary`,
:data:`THEME_CODES`), each found by one rule:

- from the situation: ``dagbesteding``, ``wajong``, ``wmo``, ``pgb``, ``bijstand``, ``ww``,
  ``inburgering``, ``statushouder``, ``asielzoeker``;
- from the coordinator's alerts (:mod:`toolkit.casebook.alerts`): ``geen-bsn``,
  ``bijstand-onder-27`` (and again ``pgb``, ``wajong``, ``asielzoeker``);
- from the rules: ``onder-21`` (the lower hourly cap applies) and ``uurtarief`` (the hours times
  the hourly cap stay below the monthly cap, so the person cannot reach the full allowance);
- from the matcher's options (:mod:`toolkit.matching.options`): the warning codes of the options
  shown (``vog``, ``voorwaarden``, ``reisafstand``, and those that are also alert codes) and
  ``geen-optie`` when it found no option at all;
- from the sponsors: ``sponsor-conflict`` (the person rejects the sector of a sponsor of the
  pilot) and ``sponsor-waarden`` (no acceptable sponsor shares any of the person's values).

Ages are reckoned in the rules year, for the age band as well as for the hourly cap and the
bijstand age, so that the band and the figures on one handout never together reveal more than
the band.

**Selection** (``--select N``) is a greedy set cover over the requested themes among the people
who are not ``gestopt``: each step takes the person who adds the most requested themes not yet
covered; among equal coverage, the one most different from those already chosen (the largest
smallest Jaccard distance over themes, talents and district, then the largest mean distance),
then the first by pseudonym. Greedy set cover is not always the smallest cover, but each step
covers at least one new theme while any is left, so every theme that someone has is covered as
soon as N is at least the number of such themes. Once all coverable themes are covered, the
remaining places go to the most different people. The choice depends only on the casebook.

**Spread** over the tables: the cases with the most themes are placed first, each at the table
(with room left) where it repeats the fewest themes already there; tables differ in size by at
most one case.

The reports layer depends only on the matcher's contract: options are passed in as data.
"""

from __future__ import annotations

import contextlib
import dataclasses
import difflib
import functools
import html
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

import jinja2
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from toolkit.casebook.alerts import alerts_on
from toolkit.casebook.casebook import Casebook, unknown_id_message
from toolkit.casebook.messages import problems_from
from toolkit.casebook.public import PublicPerson, pseudonyms, public_view
from toolkit.casebook.records import Person, Session
from toolkit.casebook.roundtrip import load_editable
from toolkit.casebook.rules import ADULT_AGE, Rules
from toolkit.casebook.tags import fold, normalise_tag
from toolkit.casebook.yamlfile import YamlProblem, parse_yaml, read_yaml
from toolkit.errors import CasebookError, OutputError, Problem, UsageError
from toolkit.files import write_atomic
from toolkit.formatting import long_date, money, number
from toolkit.i18n import _, current_language, ngettext
from toolkit.matching.explain import PERSONAL_REASONS, PERSONAL_WARNINGS
from toolkit.matching.options import PART_NAMES, PersonOptions
from toolkit.paths import templates_dir
from toolkit.reports.casussen_docx import handout_docx, key_docx, overview_docx
from toolkit.reports.environment import make_environment, markdown_safe, render
from toolkit.reports.privacy import check_public, texts_of

FORMATS: tuple[str, ...] = ("md", "html", "docx")
Format = Literal["md", "html", "docx"]

#: How many of the matcher's options a case shows.
TOP_OPTIONS = 3
#: A calendar fact, not a rule figure: the hours check turns weekly hours into monthly hours.
WEEKS_PER_YEAR = 52
MONTHS_PER_YEAR = 12

#: The theme vocabulary, in the order handouts list themes. Closed: ``--themes`` accepts only
#: these, and the question bank must have questions for each.
THEME_CODES: tuple[str, ...] = (
    "dagbesteding",
    "wajong",
    "wmo",
    "pgb",
    "bijstand",
    "bijstand-onder-27",
    "ww",
    "inburgering",
    "statushouder",
    "asielzoeker",
    "geen-bsn",
    "onder-21",
    "uurtarief",
    "vog",
    "voorwaarden",
    "reisafstand",
    "sponsor-conflict",
    "sponsor-waarden",
    "geen-optie",
)

SITUATION_THEMES: dict[str, str] = {
    "dagbesteding": "dagbesteding",
    "wajong": "wajong",
    "wmo": "wmo",
    "pgb": "pgb",
    "bijstand": "bijstand",
    "ww": "ww",
    "inburgering": "inburgering",
    "statushouder": "statushouder",
    "asielzoeker": "asielzoeker",
}
#: Alert codes of :mod:`toolkit.casebook.alerts` that raise a theme. The others (consent,
#: agreements) are the coordinator's administration, not a question for a table.
ALERT_THEMES: dict[str, str] = {
    "no_bsn": "geen-bsn",
    "asylum_seeker": "asielzoeker",
    "pgb": "pgb",
    "wajong": "wajong",
    "bijstand_under_27": "bijstand-onder-27",
}
#: Warning codes of the matcher's options (:data:`toolkit.matching.WARNING_CODES`) and the
#: theme each raises; a test keeps this complete.
WARNING_THEMES: dict[str, str] = {
    **ALERT_THEMES,
    "vog": "vog",
    "requires": "voorwaarden",
    "travel": "reisafstand",
}

#: The question bank's section for questions that every table discusses.
GENERAL = "algemeen"
QUESTION_BANK = Path("casussen") / "vragenbank.yaml"

KEY_STEM = "intern-sleutel"
OVERVIEW_STEM = "overzicht"


# --------------------------------------------------------------------------------------------
# The theme vocabulary and the question bank


@dataclass(frozen=True)
class Theme:
    code: str
    label: str
    description: str


def theme_vocabulary() -> dict[str, Theme]:
    """Every theme with its label and the rule that gives it, in the active language."""
    texts = {
        "dagbesteding": (_("Day care"), _("the person goes to day care (dagbesteding)")),
        "wajong": (_("Wajong"), _("the person has a Wajong benefit from UWV")),
        "wmo": (_("WMO support"), _("the person has support under the WMO")),
        "pgb": (_("PGB"), _("the person has a personal care budget (PGB)")),
        "bijstand": (_("Social assistance"), _("the person receives social assistance")),
        "bijstand-onder-27": (
            _("Social assistance under 27"),
            _("on social assistance and under 27: the allowance is deducted from the benefit"),
        ),
        "ww": (_("Unemployment benefit"), _("the person receives unemployment benefit (WW)")),
        "inburgering": (_("Civic integration"), _("the person is in civic integration")),
        "statushouder": (_("Status holder"), _("the person holds a residence permit")),
        "asielzoeker": (
            _("Asylum seeker"),
            _("the person is an asylum seeker: the organisation needs a UWV declaration"),
        ),
        "geen-bsn": (_("No BSN"), _("the person has no citizen service number (BSN)")),
        "onder-21": (_("Under 21"), _("under 21 in the rules year: the lower hourly cap applies")),
        "uurtarief": (
            _("Hourly cap limits"),
            _("the hours times the hourly cap stay below the monthly cap"),
        ),
        "vog": (
            _("Certificate of conduct"),
            _("a proposed place asks for a certificate of conduct (VOG)"),
        ),
        "voorwaarden": (
            _("Place requirements"),
            _("a proposed place asks for something the person does not list"),
        ),
        "reisafstand": (
            _("Travel distance"),
            _("a proposed place lies further away than the person wants to travel"),
        ),
        "sponsor-conflict": (
            _("Sponsor conflict"),
            _("the person rejects the sector of one of the pilot's sponsors"),
        ),
        "sponsor-waarden": (
            _("No sponsor shares their values"),
            _("no sponsor the person accepts shares any of their values"),
        ),
        "geen-optie": (
            _("No option"),
            _("the matcher found no place that meets every hard limit"),
        ),
    }
    return {code: Theme(code, *texts[code]) for code in THEME_CODES}


class _BankModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class BankQuestion(_BankModel):
    nl: str = Field(min_length=1)
    en: str = Field(min_length=1)
    open: bool = False

    def text(self, language: str) -> str:
        return self.en if language == "en" else self.nl


class _BankFile(_BankModel):
    algemeen: list[BankQuestion] = []
    themes: dict[str, list[BankQuestion]]


@dataclass(frozen=True)
class QuestionBank:
    general: tuple[BankQuestion, ...]
    by_theme: dict[str, tuple[BankQuestion, ...]]


def question_bank_path() -> Path:
    return templates_dir() / QUESTION_BANK


def load_question_bank(path: Path | None = None) -> QuestionBank:
    """Read and check the question bank; raise :class:`CasebookError` listing every problem.

    Every theme of the vocabulary must have at least one question, every theme named must be in
    the vocabulary, and every question needs a Dutch (``nl``) and an English (``en``) text.
    """
    path = path or question_bank_path()
    heading = _("The question bank {path} cannot be used:").format(path=path)
    try:
        document = read_yaml(path)
    except YamlProblem as exc:
        raise CasebookError([exc.problem], heading=heading) from exc
    try:
        raw = _BankFile.model_validate(document.data)
    except ValidationError as exc:
        raise CasebookError(problems_from(exc, _BankFile, document), heading=heading) from exc
    problems: list[Problem] = []
    known = ", ".join(THEME_CODES)
    for theme in raw.themes:
        if theme not in THEME_CODES:
            problems.append(
                Problem(
                    file=path,
                    line=document.line_of(["themes", theme]),
                    field=f"themes.{theme}",
                    message=_("'{theme}' is not a known theme; known themes: {known}.").format(
                        theme=theme, known=known
                    ),
                )
            )
    for theme in THEME_CODES:
        if not raw.themes.get(theme):
            problems.append(
                Problem(
                    file=path,
                    field=f"themes.{theme}",
                    message=_("The theme '{theme}' has no questions; give it at least one.").format(
                        theme=theme
                    ),
                )
            )
    if problems:
        raise CasebookError(problems, heading=heading)
    return QuestionBank(
        general=tuple(raw.algemeen),
        by_theme={theme: tuple(questions) for theme, questions in raw.themes.items()},
    )


def parse_themes(text: str | None) -> tuple[str, ...]:
    """``pgb, wajong`` → ``("pgb", "wajong")`` in vocabulary order; all themes when not given."""
    if text is None:
        return THEME_CODES
    asked = [part.strip().lower() for part in text.split(",") if part.strip()]
    if not asked:
        raise UsageError(
            _("--themes is empty; known themes: {known}.").format(known=", ".join(THEME_CODES))
        )
    for theme in asked:
        if theme not in THEME_CODES:
            message = _("Unknown theme '{theme}'.").format(theme=theme)
            close = difflib.get_close_matches(theme, THEME_CODES, n=2)
            if close:
                message += " " + _("Did you mean: {themes}?").format(themes=", ".join(close))
            message += " " + _("Known themes: {known}.").format(known=", ".join(THEME_CODES))
            raise UsageError(message)
    return tuple(code for code in THEME_CODES if code in asked)


# --------------------------------------------------------------------------------------------
# Themes and the financial frame of one person


def reference_day(rules: Rules, today: date) -> date:
    """A day in the rules year for the alerts: ages are reckoned in the rules year."""
    return today if today.year == rules.year else date(rules.year, 1, 1)


@dataclass(frozen=True)
class Frame:
    """The money around one case, every figure from the rules (or the casebook's override)."""

    year: int
    adult: bool
    per_hour: float
    per_month: float
    per_year: float
    certain: bool
    hours_per_week: float | None
    hours_per_month: float | None
    by_hours_per_month: float | None
    limited_by: Literal["hour", "month", "year"] | None
    payable_per_month: float | None
    payable_per_year: float | None
    sponsor_allowance_per_year: float
    overhead_per_year: float
    sponsor_cost_per_year: float
    sroi_credit_per_year: float
    check: str


def financial_frame(rules: Rules, person: Person) -> Frame:
    """The caps for the person's age in the rules year and the hours × rate check."""
    caps = rules.allowance
    age = person.age_in(rules.year)
    adult = age >= ADULT_AGE
    per_hour = caps.per_hour(age)
    hours = person.availability.hours_per_week if person.availability else None
    hours_per_month = by_hours = payable_month = payable_year = None
    limited_by: Literal["hour", "month", "year"] | None = None
    if hours is not None:
        hours_per_month = hours * WEEKS_PER_YEAR / MONTHS_PER_YEAR
        by_hours = round(hours_per_month * per_hour, 2)
        payable_month = min(caps.per_month, by_hours)
        payable_year = min(caps.per_year, payable_month * MONTHS_PER_YEAR)
        if by_hours < caps.per_month:
            limited_by = "hour"
        elif caps.per_month * MONTHS_PER_YEAR > caps.per_year:
            limited_by = "year"
        else:
            limited_by = "month"
    frame = Frame(
        year=rules.year,
        adult=adult,
        per_hour=per_hour,
        per_month=caps.per_month,
        per_year=caps.per_year,
        certain=caps.certainty == "zeker",
        hours_per_week=hours,
        hours_per_month=hours_per_month,
        by_hours_per_month=by_hours,
        limited_by=limited_by,
        payable_per_month=payable_month,
        payable_per_year=payable_year,
        sponsor_allowance_per_year=rules.sponsor_allowance_per_year.value,
        overhead_per_year=rules.overhead_per_year.value,
        sponsor_cost_per_year=rules.sponsor_cost_per_year,
        sroi_credit_per_year=rules.sroi_credit_per_year.value,
        check="",
    )
    return dataclasses.replace(frame, check=_check_sentence(frame))


def _check_sentence(frame: Frame) -> str:
    if frame.hours_per_week is None or frame.by_hours_per_month is None:
        return _("No hours are known, so the hours × rate check cannot be made.")
    assert frame.hours_per_month is not None and frame.payable_per_year is not None
    start = _(
        "{hours} hours a week is about {month_hours} hours a month ({hours} × {weeks}/{months}); "
        "at the hourly cap of {rate} that is {amount} a month."
    ).format(
        hours=number(frame.hours_per_week, 1),
        month_hours=number(frame.hours_per_month, 1),
        weeks=WEEKS_PER_YEAR,
        months=MONTHS_PER_YEAR,
        rate=money(frame.per_hour, decimals=True),
        amount=_amount(frame.by_hours_per_month),
    )
    if frame.limited_by == "hour":
        rest = _(
            "That is below the monthly cap of {cap}: the hourly cap limits the allowance."
        ).format(cap=money(frame.per_month))
        if frame.payable_per_year < frame.per_year:
            rest += " " + _(
                "Over a year that is at most {amount}, below the yearly cap of {cap}."
            ).format(amount=_amount(frame.payable_per_year), cap=money(frame.per_year))
        else:
            rest += " " + _("Over a year the yearly cap of {cap} is still reached.").format(
                cap=money(frame.per_year)
            )
    elif frame.limited_by == "year":
        rest = _(
            "That reaches the monthly cap of {cap}; over a whole year the yearly cap of {year} "
            "is reached first."
        ).format(cap=money(frame.per_month), year=money(frame.per_year))
    else:
        rest = _("That reaches the monthly cap of {cap}, so at most {year} a year.").format(
            cap=money(frame.per_month), year=_amount(frame.payable_per_year)
        )
    return f"{start} {rest}"


def _amount(value: float) -> str:
    """Whole euros as € 2.100, anything else with its cents."""
    return money(value, decimals=round(value, 2) != round(value))


def _sector(casebook: Casebook, sector: str) -> str:
    return normalise_tag(sector, casebook.settings.synonyms)


def sponsor_themes(casebook: Casebook, person: Person) -> set[str]:
    """``sponsor-conflict`` and ``sponsor-waarden`` for ``person`` against the pilot's sponsors."""
    themes: set[str] = set()
    avoided = {fold(sector) for sector in person.avoid_sectors}
    sponsors = list(casebook.sponsors.values())
    if any(_sector(casebook, s.sector) in avoided for s in sponsors):
        themes.add("sponsor-conflict")
    if person.values:
        wanted = set(person.values)
        accepted = [s for s in sponsors if _sector(casebook, s.sector) not in avoided]
        if not any(wanted & set(s.values) for s in accepted):
            themes.add("sponsor-waarden")
    return themes


def person_themes(
    casebook: Casebook, person: Person, options: PersonOptions | None, today: date
) -> frozenset[str]:
    """The themes of one person's case (see the module's documentation for the rules)."""
    themes = {SITUATION_THEMES[s] for s in person.situation if s in SITUATION_THEMES}
    for alert in alerts_on(casebook, person, reference_day(casebook.rules, today)):
        if alert.code in ALERT_THEMES:
            themes.add(ALERT_THEMES[alert.code])
    if person.age_in(casebook.rules.year) < ADULT_AGE:
        themes.add("onder-21")
    if financial_frame(casebook.rules, person).limited_by == "hour":
        themes.add("uurtarief")
    themes |= sponsor_themes(casebook, person)
    if options is not None:
        if not options.options:
            themes.add("geen-optie")
        for option in options.options[:TOP_OPTIONS]:
            themes.update(WARNING_THEMES[c] for c in option.warning_codes if c in WARNING_THEMES)
    return frozenset(themes)


# --------------------------------------------------------------------------------------------
# Choosing the cases and spreading them over the tables


def eligible(casebook: Casebook) -> tuple[str, ...]:
    """The people ``--select`` chooses from: everyone who has not stopped."""
    return tuple(sorted(pid for pid, p in casebook.people.items() if p.status != "gestopt"))


def parse_people(casebook: Casebook, text: str) -> tuple[str, ...]:
    """``--people a,b``: the ids in the order given, each once; unknown ids are an error."""
    wanted = list(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))
    if not wanted:
        raise UsageError(_("--people is empty; name one or more person ids, separated by commas."))
    for person_id in wanted:
        if person_id not in casebook.people:
            raise UsageError(unknown_id_message("people", person_id, casebook.people))
    return tuple(wanted)


def _features(casebook: Casebook, person_id: str, themes: frozenset[str]) -> frozenset[str]:
    person = casebook.people[person_id]
    return frozenset(
        {f"theme:{t}" for t in themes}
        | {f"talent:{t}" for t in person.talents}
        | {f"district:{fold(person.district)}"}
    )


def jaccard_distance(a: frozenset[str], b: frozenset[str]) -> float:
    union = a | b
    return 1.0 - len(a & b) / len(union) if union else 0.0


@dataclass(frozen=True)
class Coverage:
    requested: tuple[str, ...]
    covered: tuple[str, ...]
    #: Requested themes that no chosen case has, and among them those nobody to choose from has.
    uncovered: tuple[str, ...]
    absent: tuple[str, ...]


def coverage(
    requested: Sequence[str],
    chosen: Iterable[frozenset[str]],
    pool: Iterable[frozenset[str]],
) -> Coverage:
    have = frozenset().union(*chosen)
    anyone = frozenset().union(*pool)
    return Coverage(
        requested=tuple(requested),
        covered=tuple(t for t in requested if t in have),
        uncovered=tuple(t for t in requested if t not in have),
        absent=tuple(t for t in requested if t not in anyone),
    )


def select_cases(
    casebook: Casebook,
    count: int,
    requested: Sequence[str],
    themes: Mapping[str, frozenset[str]],
) -> tuple[str, ...]:
    """Choose ``count`` of the people in ``themes`` (greedy set cover, then difference)."""
    pool = sorted(themes)
    if count > len(pool):
        raise UsageError(
            ngettext(
                "You asked for {count} cases, but only {pool} person can be chosen "
                "(everyone who is not gestopt).",
                "You asked for {count} cases, but only {pool} people can be chosen "
                "(everyone who is not gestopt).",
                len(pool),
            ).format(count=count, pool=len(pool))
        )
    names = pseudonyms(casebook)
    wanted = frozenset(requested)
    features = {pid: _features(casebook, pid, themes[pid]) for pid in pool}
    chosen: list[str] = []
    uncovered = set(wanted)
    remaining = set(pool)

    def key(pid: str) -> tuple[int, float, float, str, str]:
        gain = len(themes[pid] & uncovered)
        if chosen:
            distances = [jaccard_distance(features[pid], features[c]) for c in chosen]
            nearest, mean = min(distances), sum(distances) / len(distances)
        else:
            nearest = mean = 1.0
        # max() over the tuple: more gain, then farther; the pseudonym breaks the last ties, so
        # that the order of the ids (which are names) does not decide.
        return (gain, round(nearest, 9), round(mean, 9), _reverse(names[pid]), _reverse(pid))

    while len(chosen) < count:
        best = max(remaining, key=key)
        chosen.append(best)
        remaining.discard(best)
        uncovered -= themes[best]
    return tuple(chosen)


def _reverse(text: str) -> str:
    """A key that sorts ``text`` backwards, so that ``max`` prefers the first alphabetically."""
    return "".join(chr(0x10FFFF - ord(ch)) for ch in text)


def spread(
    person_ids: Sequence[str], themes: Mapping[str, frozenset[str]], tables: int
) -> tuple[tuple[str, ...], ...]:
    """Spread the cases over ``tables`` tables so that each table gets a mix of themes."""
    if tables < 1:
        raise UsageError(_("--tables must be at least 1."))
    if tables > len(person_ids):
        raise UsageError(
            _(
                "There are more tables ({tables}) than cases ({cases}): every table needs at "
                "least one case. Choose fewer tables or more cases."
            ).format(tables=tables, cases=len(person_ids))
        )
    base, extra = divmod(len(person_ids), tables)
    room = [base + (1 if index < extra else 0) for index in range(tables)]
    order = {pid: index for index, pid in enumerate(person_ids)}
    seated: list[list[str]] = [[] for _ in range(tables)]
    seen: list[set[str]] = [set() for _ in range(tables)]
    for pid in sorted(person_ids, key=lambda p: (-len(themes[p]), order[p])):
        free = [t for t in range(tables) if len(seated[t]) < room[t]]
        table = min(free, key=lambda t: (len(themes[pid] & seen[t]), len(seated[t]), t))
        seated[table].append(pid)
        seen[table] |= themes[pid]
    return tuple(tuple(sorted(group, key=order.__getitem__)) for group in seated)


# --------------------------------------------------------------------------------------------
# What a handout shows


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


# --------------------------------------------------------------------------------------------
# The whole job: choose, build, render, check, write


@dataclass(frozen=True)
class Request:
    """What the facilitator asked for (the options of ``burgerbaan casussen``)."""

    out: Path
    format: Format = "md"
    people: str | None = None
    select: int | None = None
    tables: int | None = None
    themes: str | None = None
    session: str | None = None
    intern: bool = False
    force: bool = False
    day: date = dataclasses.field(default_factory=date.today)


@dataclass(frozen=True)
class Plan:
    """Which person sits at which table (ids: internal), and the themes asked and covered."""

    tables: tuple[tuple[str, ...], ...]
    themes: Mapping[str, frozenset[str]]
    coverage: Coverage
    selected: bool


@dataclass(frozen=True)
class Result:
    plan: Plan
    handouts: Handouts
    written: tuple[Path, ...]
    session_file: Path | None
    #: False when the session file's layout could not be reproduced exactly (see SessionChange).
    session_layout_kept: bool = True


OptionsSource = Callable[[Sequence[str]], Mapping[str, PersonOptions]]


def plan_cases(
    casebook: Casebook,
    request: Request,
    options: Mapping[str, PersonOptions] | None,
    session: Session | None = None,
) -> Plan:
    """Choose the cases (or take the ones named) and spread them over the tables."""
    pool = _pool(casebook, request)
    requested = parse_themes(request.themes)
    themes = {
        pid: person_themes(
            casebook,
            casebook.people[pid],
            options.get(pid) if options is not None else None,
            request.day,
        )
        for pid in pool
    }
    if request.select is not None:
        chosen = select_cases(casebook, request.select, requested, themes)
    else:
        chosen = pool
    return Plan(
        tables=spread(chosen, themes, _table_count(request.tables, session)),
        themes=themes,
        coverage=coverage(requested, (themes[p] for p in chosen), themes.values()),
        selected=request.select is not None,
    )


def _physical_tables(session: Session) -> list[int]:
    """For each physical table, the index of its entry in ``session.tables`` (by ``count``)."""
    return [index for index, table in enumerate(session.tables) for _ in range(table.count)]


def _table_count(asked: int | None, session: Session | None) -> int:
    if session is None or not session.tables:
        return asked if asked is not None else 1
    physical = _physical_tables(session)
    if asked is not None and asked != len(physical):
        raise UsageError(
            _(
                "The session has {count} tables ({tables}); leave out --tables or give "
                "--tables {count}."
            ).format(
                count=len(physical),
                tables=", ".join(f"{t.theme} × {t.count}" for t in session.tables),
            )
        )
    return len(physical)


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
    physical = _physical_tables(session) if session is not None else []
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


def figure_sources(rules: Rules) -> tuple[tuple[str, str], ...]:
    """The source of every figure in the financial frame, as the rule data names them."""
    caps = rules.allowance
    certainty = "" if caps.certainty == "zeker" else f" ({_('not certain')})"
    return (
        (_("Allowance caps {year}").format(year=rules.year), caps.source + certainty),
        (_("Allowance a sponsor funds"), rules.sponsor_allowance_per_year.source),
        (_("Overhead"), rules.overhead_per_year.source),
        (_("Credit against an SROI obligation"), rules.sroi_credit_per_year.source),
    )


def internal_key(casebook: Casebook, plan: Plan) -> tuple[KeyEntry, ...]:
    names = pseudonyms(casebook)
    return tuple(
        KeyEntry(names[pid], pid, casebook.people[pid].name, number_)
        for number_, person_ids in enumerate(plan.tables, start=1)
        for pid in person_ids
    )


def table_file(number_: int, fmt: str) -> str:
    return f"tafel-{number_}.{fmt}"


def render_files(
    handouts: Handouts,
    fmt: Format,
    key: Sequence[KeyEntry] | None = None,
    environment: jinja2.Environment | None = None,
) -> dict[str, bytes]:
    """Every file of the job by name, rendered but not written; the key only when given."""
    if fmt == "docx":
        files = {table_file(t.number, fmt): handout_docx(handouts, t) for t in handouts.tables}
        files[f"{OVERVIEW_STEM}.docx"] = overview_docx(handouts)
        if key is not None:
            files[f"{KEY_STEM}.docx"] = key_docx(handouts, key)
        return files
    environment = environment or _environment(current_language())
    context = {"h": handouts}
    rendered = {
        table_file(t.number, fmt): render(
            environment, f"casussen/tafel.{fmt}.j2", table=t, **context
        )
        for t in handouts.tables
    }
    rendered[f"{OVERVIEW_STEM}.{fmt}"] = render(
        environment, f"casussen/overzicht.{fmt}.j2", **context
    )
    if key is not None:
        rendered[f"{KEY_STEM}.{fmt}"] = render(
            environment, f"casussen/sleutel.{fmt}.j2", key=key, **context
        )
    return {name: text.encode("utf-8") for name, text in rendered.items()}


@functools.cache
def _environment(language: str) -> jinja2.Environment:
    """The shared environment with the handouts' filters, one per language (compiled once)."""
    environment = make_environment()
    environment.filters.update(md_text=md_text, percent=percent)
    return environment


def md_text(value: Any) -> str:
    """Text from a case file on one Markdown line: line breaks joined, HTML tags neutralised."""
    return markdown_safe(" ".join(str(value).split()))


def percent(value: float) -> str:
    return f"{number(value * 100)} %" if current_language() == "nl" else f"{number(value * 100)}%"


def public_texts(name: str, content: bytes) -> list[tuple[str, str, str]]:
    """The text of one rendered public file as the privacy guard reads it."""
    if name.endswith(".docx"):
        return [(name, _("text"), docx_text(content))]
    text = content.decode("utf-8")
    if name.endswith(".html"):
        # Escaped characters (O&#39;Brien) must not hide a name from the guard; unescaping
        # changes nothing else, so the unescaped text is all there is to scan.
        text = html.unescape(text)
    return [(name, _("text"), text)]


#: The parts of a Word file that hold text a reader sees (body, headers, footers, properties).
_DOCX_TEXT_PARTS = re.compile(
    r"^(word/(document|header\d*|footer\d*|footnotes|endnotes|comments)|docProps/\w+)\.xml$"
)


def docx_text(content: bytes) -> str:
    """The text a reader of a Word file can see, with its tags taken out."""
    parts = []
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for item in sorted(archive.namelist()):
            if _DOCX_TEXT_PARTS.match(item):
                xml = archive.read(item).decode("utf-8", errors="replace")
                # Paragraph and cell ends become line breaks so that words do not run together.
                xml = re.sub(r"</w:p>|</w:tc>|</dc:[a-z]+>|</cp:[a-z]+>", "\n", xml)
                parts.append(html.unescape(re.sub(r"<[^>]+>", "", xml)))
    return "\n".join(parts)


def check_handouts(casebook: Casebook, handouts: Handouts, files: Mapping[str, bytes]) -> None:
    """The privacy guard over the handouts' data and every public file (not the key)."""
    sources: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    for field, text in texts_of(dataclasses.asdict(handouts)):
        # Labels and questions repeat in every case: scan each distinct text once.
        if text not in seen:
            seen.add(text)
            sources.append((_("handouts (data)"), field, text))
    for name, content in sorted(files.items()):
        if not name.startswith(KEY_STEM):
            sources.extend(public_texts(name, content))
    check_public(casebook, sources)


def session_text(casebook: Casebook, session: Session, plan: Plan, *, force: bool) -> SessionChange:
    """The session file with the chosen cases in its tables; comments and layout kept.

    A session whose tables have a ``count`` gets the cases of its physical tables in order: with
    ``Dagbesteding × 3`` at tables 2-4, that entry's ``cases`` are the cases of tables 2, 3 and 4.
    A session without tables gets one entry per table. Cases already recorded are replaced only
    with ``force``.
    """
    physical = _physical_tables(session)
    path = casebook.path_of(session)
    if physical:
        per_entry: dict[int, list[str]] = {}
        for table_index, entry_index in enumerate(physical):
            per_entry.setdefault(entry_index, []).extend(plan.tables[table_index])
        new_cases = [per_entry.get(i, []) for i in range(len(session.tables))]
    else:
        new_cases = [list(ids) for ids in plan.tables]
    if not force:
        for table, cases in zip(session.tables, new_cases, strict=False):
            if table.cases and list(table.cases) != cases:
                raise UsageError(
                    _(
                        "The session {session} already records other cases at the table "
                        "'{table}'; nothing was written. Use --force to replace them."
                    ).format(session=session.id, table=table.theme)
                )

    try:
        raw = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise OutputError(_("Cannot read {path}: {reason}").format(path=path, reason=exc)) from exc
    bom = "\ufeff" if raw.startswith("\ufeff") else ""
    editable = load_editable(raw.removeprefix(bom))
    data = editable.data
    if not isinstance(data, CommentedMap):  # the loader read it as fields a moment ago
        raise OutputError(
            _("{path} changed while it was being read; nothing was written.").format(path=path)
        )
    if physical:
        for table_data, cases in zip(data["tables"], new_cases, strict=True):
            _set_list(table_data, "cases", cases)
    else:
        seq = CommentedSeq()
        for number_, cases in enumerate(new_cases, start=1):
            new_table = CommentedMap()
            new_table["theme"] = _("Table {number}").format(number=number_)
            new_table["cases"] = CommentedSeq(cases)
            seq.append(new_table)
        keys = list(data)
        if "tables" in data:
            data["tables"] = seq
        else:
            after = [k for k in ("programme", "recording", "attendance") if k in keys]
            position = keys.index(after[0]) + 1 if after else len(keys)
            data.insert(position, "tables", seq)
    return SessionChange(path, bom + editable.dump(), faithful=editable.faithful)


@dataclass(frozen=True)
class SessionChange:
    """The new text of a session file; ``faithful`` is false when its layout could not be
    reproduced exactly, so that places the change did not touch may be laid out differently."""

    path: Path
    text: str
    faithful: bool


def _set_list(mapping: CommentedMap, key: str, values: list[str]) -> None:
    current = mapping.get(key)
    if isinstance(current, CommentedSeq):
        # Keep the list object, and with it its comments and its flow or block style.
        current[:] = values
    else:
        mapping[key] = CommentedSeq(values)


def write_all(
    files: Mapping[Path, bytes | str],
    *,
    force: bool,
    changed: Iterable[Path] = (),
    private: Iterable[Path] = (),
) -> tuple[Path, ...]:
    """Write every file or none.

    All are checked before the first is written: without ``force`` none may exist yet, except
    the ``changed`` ones (files that are edited in place, like a session file). Each is written
    atomically, the ``private`` ones (personal data) readable by their owner only; if one
    fails, the files already written are put back as they were.
    """
    edited = set(changed)
    owner_only = set(private)
    if not force:
        existing = [path for path in files if path.exists() and path not in edited]
        if existing:
            raise OutputError(
                _(
                    "These files already exist; nothing was written (use --force to replace "
                    "them): {paths}"
                ).format(paths=", ".join(str(p) for p in existing))
            )
    before = {path: path.read_bytes() if path.is_file() else None for path in files}
    written: list[Path] = []
    try:
        for path, content in files.items():
            write_atomic(path, content, overwrite=True, private=path in owner_only)
            written.append(path)
    except BaseException:
        for path in reversed(written):
            old = before[path]
            with contextlib.suppress(OSError, OutputError):
                if old is None:
                    path.unlink()
                else:
                    write_atomic(path, old, overwrite=True)
        raise
    return tuple(written)


def _pool(casebook: Casebook, request: Request) -> tuple[str, ...]:
    """Check the request before anything is computed; the people to take or choose from."""
    if request.format not in FORMATS:
        raise UsageError(
            _("Unknown format '{format}'; choose one of: {formats}.").format(
                format=request.format, formats=", ".join(FORMATS)
            )
        )
    if (request.people is None) == (request.select is None):
        raise UsageError(_("Give either --people or --select (one of the two)."))
    if request.select is not None and request.select < 1:
        raise UsageError(_("--select must be at least 1."))
    if request.tables is not None and request.tables < 1:
        raise UsageError(_("--tables must be at least 1."))
    parse_themes(request.themes)
    if request.session is not None and request.session not in casebook.sessions:
        raise UsageError(unknown_id_message("sessions", request.session, casebook.sessions))
    if request.people is not None:
        return parse_people(casebook, request.people)
    return eligible(casebook)


def make_casussen(
    casebook: Casebook,
    request: Request,
    options: OptionsSource | None = None,
    *,
    bank: QuestionBank | None = None,
) -> Result:
    """Choose, build, render and check every file, then write them all (or nothing).

    ``options`` gives the matcher's options for the people it is asked about; without it the
    handouts say that the matcher was not run, and no matcher theme is raised.
    """
    pool = _pool(casebook, request)
    bank = bank or load_question_bank()
    session = casebook.sessions[request.session] if request.session is not None else None
    given = dict(options(pool)) if options is not None else None
    plan = plan_cases(casebook, request, given, session)
    handouts = build_handouts(casebook, plan, given, bank, request.day, session)
    key = internal_key(casebook, plan) if request.intern else None
    files = render_files(handouts, request.format, key)
    check_handouts(casebook, handouts, files)
    targets: dict[Path, bytes | str] = {request.out / n: content for n, content in files.items()}
    change = None
    if session is not None:
        change = session_text(casebook, session, plan, force=request.force)
        _check_session_text(casebook, change, session)
        targets[change.path] = change.text
    key_files = [request.out / name for name in files if name.startswith(KEY_STEM)]
    written = write_all(
        targets,
        force=request.force,
        changed=[change.path] if change else [],
        private=key_files,
    )
    return Result(
        plan=plan,
        handouts=handouts,
        written=written,
        session_file=change.path if change else None,
        session_layout_kept=change.faithful if change else True,
    )


def _check_session_text(casebook: Casebook, change: SessionChange, session: Session) -> None:
    """The changed session file must still read as a valid session, as the loader reads it."""
    try:
        document = parse_yaml(change.text.encode("utf-8"), change.path)
        Session.model_validate(
            {**document.data, "id": session.id}, context={"synonyms": casebook.settings.synonyms}
        )
    except (YamlProblem, ValidationError, TypeError) as exc:
        raise OutputError(
            _("Recording the cases would break {path}; nothing was written ({reason}).").format(
                path=change.path, reason=exc
            )
        ) from exc
