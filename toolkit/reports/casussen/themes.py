"""The closed theme vocabulary, the question bank, and the themes of one person's case."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from toolkit.casebook.alerts import alerts_on
from toolkit.casebook.casebook import Casebook
from toolkit.casebook.messages import problems_from
from toolkit.casebook.records import Person
from toolkit.casebook.rules import ADULT_AGE, Rules
from toolkit.casebook.tags import fold, normalise_tag
from toolkit.casebook.yamlfile import YamlProblem, read_yaml
from toolkit.errors import (
    CasebookError,
    InvalidInputError,
    Problem,
)
from toolkit.i18n import _
from toolkit.matching.options import PersonOptions
from toolkit.paths import templates_dir
from toolkit.reports.casussen.frame import financial_frame

#: How many of the matcher's options a case shows.
TOP_OPTIONS = 3

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
    # The situation raises these themes too; the alert adds what to arrange to the case's
    # points of attention (UWV's permission first; a report to the municipality).
    "bijstand_27_plus": "bijstand",
    "ww": "ww",
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
            _("Allowance per hour agreed"),
            _("an allowance per hour is agreed: the hourly cap applies to it, as a guide"),
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
        raise InvalidInputError(
            _("The list of themes is empty; known themes: {known}.").format(
                known=", ".join(THEME_CODES)
            ),
            field="themes",
        )
    for theme in asked:
        if theme not in THEME_CODES:
            message = _("Unknown theme '{theme}'.").format(theme=theme)
            close = difflib.get_close_matches(theme, THEME_CODES, n=2)
            if close:
                message += " " + _("Did you mean: {themes}?").format(themes=", ".join(close))
            message += " " + _("Known themes: {known}.").format(known=", ".join(THEME_CODES))
            raise InvalidInputError(message, field="themes")
    return tuple(code for code in THEME_CODES if code in asked)


def reference_day(rules: Rules, today: date) -> date:
    """A day in the rules year for the alerts: ages are reckoned in the rules year."""
    return today if today.year == rules.year else date(rules.year, 1, 1)


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
    if financial_frame(casebook.rules, person).agreed_per_hour is not None:
        themes.add("uurtarief")
    themes |= sponsor_themes(casebook, person)
    if options is not None:
        if not options.options:
            themes.add("geen-optie")
        for option in options.options[:TOP_OPTIONS]:
            themes.update(WARNING_THEMES[c] for c in option.warning_codes if c in WARNING_THEMES)
    return frozenset(themes)
