"""A casebook: a folder of case files, loaded and checked as a whole.

:func:`load_casebook` reads every file, validates each record, then checks what ties records
together (references, slots, sponsor budgets, allowance caps). It collects *every* problem and
raises one :class:`~toolkit.errors.CasebookError` listing them all, so a coordinator can mend a
casebook in one pass.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from toolkit.casebook.cache import ParsedCache, content_key
from toolkit.casebook.districts import unknown_district_message
from toolkit.casebook.erasure import ERASURE_LOG, Reference, erasure_problems
from toolkit.casebook.exclusions import exclusion_problems
from toolkit.casebook.hours import HoursFile, Surroundings, hours_problems
from toolkit.casebook.messages import field_path, problems_from, unknown_id_message
from toolkit.casebook.numbers import yaml_number_problems
from toolkit.casebook.placeholders import placeholder_problems
from toolkit.casebook.records import (
    ID_PATTERN,
    RECORD_TYPES,
    Opportunity,
    Organisation,
    Person,
    Record,
    Session,
    Sponsor,
    yaml_keys,
)
from toolkit.casebook.rules import Rules, known_years, rules_for
from toolkit.casebook.settings import Settings
from toolkit.casebook.yamlfile import (
    YamlDocument,
    YamlProblem,
    parse_yaml,
    read_file_bytes,
    read_yaml,
)
from toolkit.errors import CasebookError, InvalidInputError, NotFoundError, Problem
from toolkit.formatting import money, number
from toolkit.i18n import _, ngettext

SETTINGS_FILE = "casebook.yaml"
YAML_SUFFIXES = (".yaml", ".yml")
#: Files at the top of a casebook that other parts of the toolkit own; ``check`` validates
#: them: the erasure log, and the matcher's declined pairs (:func:`auxiliary_problems`).
AUXILIARY_FILES: set[str] = {ERASURE_LOG, "exclusions.yaml", "exclusions.yml"}
#: Every kind of file the loader reads: the records, then what hangs off them (hours statements).
LOADED_TYPES: tuple[type[Record], ...] = (*RECORD_TYPES, HoursFile)

R = TypeVar("R", bound=Record)


@dataclass(frozen=True, eq=False)
class Casebook:
    """Every record of one casebook folder, valid and cross-checked.

    Compared and hashed by identity: derived views (pseudonyms, features) are cached per
    loaded casebook.
    """

    root: Path
    settings: Settings
    rules: Rules
    people: dict[str, Person]
    opportunities: dict[str, Opportunity]
    organisations: dict[str, Organisation]
    sponsors: dict[str, Sponsor]
    sessions: dict[str, Session]
    #: Hours statements by person id (``hours/<person-id>.yaml``).
    hours: dict[str, HoursFile] = field(default_factory=dict)
    documents: dict[tuple[str, str], YamlDocument] = field(default_factory=dict, repr=False)

    def records(self, folder: str) -> dict[str, Any]:
        """The records of one folder (``people``, ``opportunities``, ...), by id."""
        by_folder: dict[str, dict[str, Any]] = {
            "people": self.people,
            "opportunities": self.opportunities,
            "organisations": self.organisations,
            "sponsors": self.sponsors,
            "sessions": self.sessions,
            "hours": self.hours,
        }
        return by_folder[folder]

    def path_of(self, record: Record) -> Path:
        document = self.documents.get((record.folder, record.id))
        return document.path if document else self.root / record.folder / f"{record.id}.yaml"

    def candidates(self) -> list[Person]:
        return [p for p in self.people.values() if p.status == "kandidaat"]

    def active(self) -> list[Person]:
        return [p for p in self.people.values() if p.status == "actief"]

    def active_on(self, opportunity_id: str) -> int:
        return sum(
            1
            for p in self.active()
            if p.placement is not None and p.placement.opportunity == opportunity_id
        )

    def open_slots(self, opportunity_id: str) -> int:
        opportunity = self.opportunities[opportunity_id]
        return max(0, opportunity.slots - self.active_on(opportunity_id))

    def sponsor_years_used(self, sponsor_id: str) -> float:
        """Burgerbaan-years that placements (past and present) take from a sponsor's budget."""
        return round(
            sum(
                placement.person_years()
                for p in self.people.values()
                for placement in p.history()
                if placement.sponsor == sponsor_id
            ),
            2,
        )

    def sponsor_years_left(self, sponsor_id: str) -> float:
        budget = self.sponsors[sponsor_id].budget_person_years
        return round(max(0.0, budget - self.sponsor_years_used(sponsor_id)), 2)

    def sessions_by_date(self) -> list[Session]:
        return sorted(self.sessions.values(), key=lambda s: (s.date, s.number or 0, s.id))

    def latest_session(self) -> Session | None:
        ordered = self.sessions_by_date()
        return ordered[-1] if ordered else None

    def person(self, person_id: str) -> Person:
        try:
            return self.people[person_id]
        except KeyError:
            raise NotFoundError(unknown_id_message("people", person_id, self.people)) from None


def load_casebook(root: Path | str) -> Casebook:
    """Load and check the folder ``root``; raise :class:`CasebookError` with every problem."""
    root = Path(root)
    if not root.is_dir():
        raise CasebookError(
            [Problem(file=root, message=_("This casebook folder does not exist."))],
            heading=_("The casebook cannot be read."),
        )
    problems: list[Problem] = []
    settings = _load_settings(root, problems)
    synonyms = settings.synonyms if settings else {}
    documents: dict[tuple[str, str], YamlDocument] = {}
    loaded: dict[str, dict[str, Any]] = {t.folder: {} for t in LOADED_TYPES}
    cache = ParsedCache.open(root)

    for path in _stray_files(root):
        problems.append(
            Problem(
                file=path,
                message=_(
                    "This file is not part of the casebook format; records belong in "
                    "people/, opportunities/, organisations/, sponsors/ or sessions/."
                ),
            )
        )
    for record_type in LOADED_TYPES:
        folder = record_type.folder
        for path in _yaml_files(root / folder):
            record_id = path.stem
            if not ID_PATTERN.match(record_id):
                problems.append(
                    Problem(
                        file=path,
                        message=_(
                            "The file name '{stem}' is not a valid id: use lowercase letters "
                            "a-z, digits and hyphens, for example jan-de-vries.yaml."
                        ).format(stem=record_id),
                    )
                )
                continue
            if record_id in loaded[folder]:
                problems.append(
                    Problem(
                        file=path,
                        message=_("Another file in {folder}/ already has the id '{id}'.").format(
                            folder=folder, id=record_id
                        ),
                    )
                )
                continue
            try:
                document, trapped = _read_record(path, cache)
            except YamlProblem as exc:
                problems.append(exc.problem)
                continue
            record = _validate(record_type, record_id, document, synonyms, problems, trapped)
            if record is not None:
                loaded[folder][record_id] = record
                documents[(folder, record_id)] = document
    cache.save()

    rules: Rules | None = None
    if settings is not None:
        try:
            rules = _rules_of(settings)
        except InvalidInputError as exc:
            problems.append(
                Problem(file=root / SETTINGS_FILE, field="rules_year", message=str(exc))
            )

    if settings is not None and rules is not None:
        casebook = Casebook(
            root=root,
            settings=settings,
            rules=rules,
            people=loaded["people"],
            opportunities=loaded["opportunities"],
            organisations=loaded["organisations"],
            sponsors=loaded["sponsors"],
            sessions=loaded["sessions"],
            hours=loaded["hours"],
            documents=documents,
        )
        problems.extend(cross_check(casebook))
        if not problems:
            return casebook
    raise CasebookError(
        problems,
        heading=ngettext(
            "The casebook {root} has {count} problem:",
            "The casebook {root} has {count} problems:",
            len(problems),
        ).format(root=root, count=len(problems)),
    )


def _rules_of(settings: Settings) -> Rules:
    year = settings.rules_year or max(y for y in known_years() if y <= date.today().year)
    override = (
        settings.allowance_caps.model_dump(exclude_none=True) if settings.allowance_caps else None
    )
    return rules_for(
        year,
        allowance_override=override or None,
        overhead_per_year=settings.overhead_per_year,
        sroi_credit_per_year=settings.sroi_credit_per_year,
    )


def _load_settings(root: Path, problems: list[Problem]) -> Settings | None:
    for suffix in YAML_SUFFIXES:
        path = root / f"casebook{suffix}"
        # Not is_file(): a folder or a link by this name must be reported, not silently ignored.
        if path.exists() or path.is_symlink():
            break
    else:
        return Settings()
    try:
        document = read_yaml(path)
    except YamlProblem as exc:
        problems.append(exc.problem)
        return None
    trapped = yaml_number_problems(document.node, document.path)
    if trapped:
        problems.extend(trapped)
        return None
    try:
        return Settings.model_validate(dict(document.data))
    except ValidationError as exc:
        problems.extend(problems_from(exc, Settings, document))
        return None


def _entries(folder: Path) -> list[Path]:
    """The entries of ``folder``, sorted. A folder that cannot be listed stops the loading: what
    it holds cannot be checked, and a partial check would pass a casebook it has not seen."""
    try:
        return sorted(folder.iterdir())
    except OSError as exc:
        raise CasebookError(
            [
                Problem(
                    file=folder,
                    message=_("The folder cannot be read: {reason}").format(
                        reason=exc.strerror or exc
                    ),
                )
            ],
            heading=_("The casebook cannot be read."),
        ) from exc


def _yaml_files(folder: Path) -> Iterator[Path]:
    """Every ``*.yaml`` entry of ``folder``; entries that are not plain files are yielded too,
    so that reading them reports what they are instead of skipping a record silently."""
    if not folder.is_dir():
        return
    for path in _entries(folder):
        if path.name.startswith("."):
            continue
        if path.suffix.lower() in YAML_SUFFIXES:
            yield path


def _stray_files(root: Path) -> Iterator[Path]:
    for path in _entries(root):
        if path.name.startswith(".") or path.name in AUXILIARY_FILES:
            continue
        if path.is_file() and path.suffix.lower() in YAML_SUFFIXES and path.stem != "casebook":
            yield path


def _read_record(path: Path, cache: ParsedCache) -> tuple[YamlDocument, list[Problem]]:
    """The document of one record file, from the cache of parsed files when its bytes are there,
    and what reading found that validation would pass (amounts written ``50.000``, examples
    left from a starter file). Only files with nothing found go into the cache, so a document
    from the cache has nothing found by construction."""
    raw = read_file_bytes(path)
    key = content_key(raw)
    entry = cache.get(key, path)
    if entry is not None:
        return YamlDocument(path=path, data=entry.data, lines=entry.lines), []
    document = parse_yaml(raw, path)
    trapped = yaml_number_problems(document.node, document.path) + placeholder_problems(document)
    if not trapped:
        cache.put(key, path, document.data, document.node)
    return document, trapped


def _validate(
    record_type: type[R],
    record_id: str,
    document: YamlDocument,
    synonyms: dict[str, str],
    problems: list[Problem],
    trapped: list[Problem],
) -> R | None:
    data = dict(document.data)
    if "id" in data:
        problems.append(
            Problem(
                file=document.path,
                line=document.line_of(["id"]),
                field="id",
                message=_("Remove this field: a record's id is its file name."),
            )
        )
        return None
    if trapped:
        problems.extend(trapped)
        return None
    try:
        return record_type.model_validate({**data, "id": record_id}, context={"synonyms": synonyms})
    except ValidationError as exc:
        found = problems_from(exc, record_type, document)
        hint = _wrong_folder_hint(record_type, set(data), document)
        problems.extend([hint, *found] if hint else found)
        return None


def _wrong_folder_hint(
    record_type: type[Record], keys: set[str], document: YamlDocument
) -> Problem | None:
    own = len(keys & yaml_keys(record_type))
    best: type[Record] | None = None
    best_fit = own
    for other in LOADED_TYPES:
        fit = len(keys & yaml_keys(other))
        if other is not record_type and fit > best_fit and keys <= yaml_keys(other):
            best, best_fit = other, fit
    if best is None:
        return None
    return Problem(
        file=document.path,
        message=_(
            "This looks like a record of another kind: it belongs in the folder {folder}/."
        ).format(folder=best.folder),
    )


def cross_check(casebook: Casebook) -> list[Problem]:
    """What ties records together: references, districts, slots, budgets and allowance caps."""
    problems: list[Problem] = []

    def at(record: Record, loc: tuple[str | int, ...], message: str) -> None:
        document = casebook.documents.get((record.folder, record.id))
        problems.append(
            Problem(
                file=casebook.path_of(record),
                line=document.line_of(loc) if document else None,
                field=field_path(loc),
                message=message,
            )
        )

    def missing(folder: str, wanted: str) -> str:
        return unknown_id_message(folder, wanted, casebook.records(folder))

    districts = casebook.settings.districts

    def check_district(record: Record, loc: tuple[str | int, ...], value: str | None) -> None:
        if districts and value is not None and value not in districts:
            at(record, loc, unknown_district_message(value, districts))

    for opportunity in casebook.opportunities.values():
        if opportunity.organisation not in casebook.organisations:
            at(opportunity, ("organisation",), missing("organisations", opportunity.organisation))
        check_district(opportunity, ("district",), opportunity.district)

    for organisation in casebook.organisations.values():
        check_district(organisation, ("district",), organisation.district)

    for person in casebook.people.values():
        check_district(person, ("district",), person.district)
        for index, wished in enumerate(person.wishes.districts):
            check_district(person, ("wishes", "districts", index), wished)
        for index, placement in enumerate(person.history()):
            base: tuple[str | int, ...] = (
                ("placements", index) if person.placements else ("placement",)
            )
            if placement.opportunity not in casebook.opportunities:
                at(
                    person,
                    (*base, "opportunity"),
                    missing("opportunities", placement.opportunity),
                )
            if placement.sponsor is not None and placement.sponsor not in casebook.sponsors:
                at(person, (*base, "sponsor"), missing("sponsors", placement.sponsor))
            cap = _allowance_cap(casebook.rules, placement.start, placement.end)
            if cap is None or placement.allowance_per_year <= cap:
                continue
            at(
                person,
                (*base, "allowance_per_year"),
                _(
                    "The allowance of {amount} a year is above the cap of {cap} "
                    "for these years; above the cap the whole allowance is taxed."
                ).format(amount=money(placement.allowance_per_year), cap=money(cap)),
            )

    for session in casebook.sessions.values():
        for t_index, table in enumerate(session.tables):
            for c_index, case in enumerate(table.cases):
                if case not in casebook.people:
                    at(session, ("tables", t_index, "cases", c_index), missing("people", case))

    around = Surroundings(
        casebook.root, casebook.people, casebook.opportunities, casebook.documents
    )
    problems.extend(hours_problems(casebook.hours.values(), around))

    active = Counter(
        p.placement.opportunity
        for p in casebook.active()
        if p.placement is not None and p.placement.opportunity in casebook.opportunities
    )
    for opportunity_id, count in sorted(active.items()):
        opportunity = casebook.opportunities[opportunity_id]
        if count > opportunity.slots:
            at(
                opportunity,
                ("slots",),
                ngettext(
                    "{count} person is placed here (status actief),",
                    "{count} people are placed here (status actief),",
                    count,
                ).format(count=count)
                + " "
                + ngettext(
                    "but it has only {slots} slot.",
                    "but it has only {slots} slots.",
                    opportunity.slots,
                ).format(slots=opportunity.slots),
            )

    problems.extend(auxiliary_problems(casebook))

    for sponsor in casebook.sponsors.values():
        used = casebook.sponsor_years_used(sponsor.id)
        if used > sponsor.budget_person_years + 0.05:
            at(
                sponsor,
                ("budget_person_years",),
                _(
                    "Placements use {used} burgerbaan-years of this sponsor, more than its "
                    "budget of {budget}."
                ).format(used=number(used, 2), budget=number(sponsor.budget_person_years, 2)),
            )
    people = [(casebook.path_of(p), p.name, p.birth_year) for p in casebook.people.values()]
    problems.extend(erasure_problems(casebook.root, _person_references(casebook), people))
    return problems


def _person_references(casebook: Casebook) -> Iterator[Reference]:
    """Every place a record names a person by id (for the check on erased people)."""
    for session in casebook.sessions.values():
        document = casebook.documents.get((session.folder, session.id))
        for t_index, table in enumerate(session.tables):
            for c_index, case in enumerate(table.cases):
                loc = ("tables", t_index, "cases", c_index)
                yield Reference(
                    person_id=case,
                    file=casebook.path_of(session),
                    line=document.line_of(loc) if document else None,
                    field=field_path(loc),
                )


def auxiliary_problems(casebook: Casebook) -> list[Problem]:
    """Problems in the auxiliary files at the top of the casebook (see AUXILIARY_FILES)."""
    return exclusion_problems(casebook.root, casebook.people, casebook.opportunities)


def _allowance_cap(rules: Rules, start: date, end: date | None) -> float | None:
    """The strictest yearly cap over the years a placement covers that the rule data knows."""
    last = end.year if end else start.year
    caps = [
        caps.per_year
        for year in range(start.year, last + 1)
        if (caps := rules.caps_for(year)) is not None
    ]
    return min(caps) if caps else None
