"""The case model: one typed record per kind of case file (see docs/casebook.md).

Records are validated when they are loaded: unknown keys are rejected (a typo must not pass
silently), enumerations are closed, dates must exist, and tags are normalised through the
casebook's synonyms (passed in the validation context as ``synonyms``).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    model_validator,
)

from toolkit.casebook.numbers import Amount, Hours
from toolkit.casebook.tags import fold, normalise_tags
from toolkit.i18n import _

# \Z, not $: "$" also matches before a final newline, which would let "anna\n" pass as an id.
ID_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\Z")

Situation = Literal[
    "dagbesteding",
    "wajong",
    "wmo",
    "pgb",
    "bijstand",
    "inburgering",
    "asielzoeker",
    "statushouder",
    "ww",
    "geen",
]
SITUATIONS: tuple[str, ...] = Situation.__args__  # type: ignore[attr-defined]
Day = Literal["ma", "di", "wo", "do", "vr", "za", "zo"]
DAYS: tuple[str, ...] = Day.__args__  # type: ignore[attr-defined]
#: The path of a person, in order; see toolkit.casebook.path for the steps allowed between them.
Status = Literal["aanmelding", "intake", "kandidaat", "voorgesteld", "actief", "gestopt"]
STATUSES: tuple[str, ...] = Status.__args__  # type: ignore[attr-defined]
#: Why a person stopped: a short list (free text goes in ``note``).
StopReason = Literal[
    "betaald-werk", "opleiding", "gezondheid", "verhuisd", "past-niet", "eigen-keuze", "anders"
]
STOP_REASONS: tuple[str, ...] = StopReason.__args__  # type: ignore[attr-defined]
Guidance = Literal["licht", "regulier", "intensief"]
OrganisationKind = Literal[
    "non-profit", "zorginstelling", "gemeente", "uwv", "bedrijf", "cooperatie", "overig"
]
SessionKind = Literal["dialoogavond", "verdiepingssessie"]
SessionStatus = Literal["concept", "vastgesteld"]
ActionStatus = Literal["open", "lopend", "afgerond"]


def _normalise(value: list[str], info: ValidationInfo) -> list[str]:
    synonyms = (info.context or {}).get("synonyms")
    return normalise_tags(value, synonyms)


def _check_id(value: str) -> str:
    if not ID_PATTERN.match(value):
        raise ValueError("not a valid id")
    return value


_DUTCH_BOOLEANS = {"ja": True, "nee": False, "j": True, "n": False}


def _dutch_boolean(value: Any) -> Any:
    if isinstance(value, str):
        return _DUTCH_BOOLEANS.get(value.strip().lower(), value)
    return value


def _text_or_empty(value: Any) -> Any:
    return "" if value is None else value


Tags = Annotated[list[str], AfterValidator(_normalise)]
RecordId = Annotated[str, AfterValidator(_check_id)]
Text = Annotated[str, BeforeValidator(_text_or_empty)]
Flag = Annotated[bool, BeforeValidator(_dutch_boolean)]


class Model(BaseModel):
    """Every part of a record: unknown keys are an error, values are not changed after loading.

    Numbers must be finite: ``.inf`` or ``1e999`` would pass every ``ge``/``le`` bound that NaN
    slips through and then poison sums and scores.
    """

    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, allow_inf_nan=False
    )


class Contact(Model):
    name: str | None = None
    phone: str | None = None
    email: str | None = None


class Wishes(Model):
    causes: Tags = []
    text: Text = ""
    districts: list[str] = []
    max_travel_km: float | None = Field(default=None, gt=0, le=500)


class Availability(Model):
    hours_per_week: Hours = Field(gt=0, le=60)
    days: list[Day] = []


class Placement(Model):
    opportunity: RecordId
    sponsor: RecordId | None = None
    start: dt.date
    end: dt.date | None = None
    allowance_per_year: Amount = Field(ge=0)
    #: The allowance per hour, if one was agreed; only then does the hourly cap apply.
    allowance_per_hour: Amount | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _end_after_start(self) -> Placement:
        if self.end is not None and self.end < self.start:
            raise ValueError("end_before_start")
        return self

    def covers(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)

    def person_years(self) -> float:
        """Burgerbaan-years this placement uses; an agreement without an end counts as one year."""
        if self.end is None:
            return 1.0
        return round(((self.end - self.start).days + 1) / 365.25, 2)


class StatusChange(Model):
    """One step on a person's path: the new status, when, who set it and (when stopping) why."""

    status: Status
    date: dt.date
    by: str = Field(min_length=1)
    reason: StopReason | None = None
    note: Text = ""


class Consent(Model):
    data: dt.date | None = None
    photo_video: Flag | None = None


class Record(Model):
    """A record read from one file; ``id`` is the file's stem and is never written in the file."""

    id: RecordId
    record_kind: ClassVar[str]
    folder: ClassVar[str]


class Person(Record):
    record_kind: ClassVar[str] = "person"
    folder: ClassVar[str] = "people"
    #: Fields that identify the person; they never reach a public output.
    PERSONAL_FIELDS: ClassVar[frozenset[str]] = frozenset(
        {"id", "name", "contact", "birth_year", "notes"}
    )
    #: Special-category data (it reveals health or benefits): internal use only.
    SPECIAL_CATEGORY_FIELDS: ClassVar[frozenset[str]] = frozenset({"situation"})

    name: str = Field(min_length=1)
    contact: Contact | None = None
    birth_year: int = Field(ge=1900, le=2100)
    district: str
    has_bsn: Flag
    situation: list[Situation] = Field(min_length=1)
    talents: Tags = []
    wishes: Wishes = Wishes()
    availability: Availability | None = None
    values: Tags = []
    avoid_sectors: Tags = []
    needs: Tags = []
    status: Status = "kandidaat"
    #: The single placement of older files; newer files keep every placement in ``placements``.
    #: After loading, ``placement`` is always the current (last) one.
    placement: Placement | None = None
    placements: list[Placement] = []
    status_history: list[StatusChange] = []
    consent: Consent | None = None
    notes: Text = ""

    @model_validator(mode="after")
    def _consistent(self) -> Person:
        if "geen" in self.situation and len(self.situation) > 1:
            raise ValueError("geen_not_alone")
        if self.placements:
            if self.placement is not None:
                raise ValueError(
                    _(
                        "give either 'placement' (one) or 'placements' (a list), not both; "
                        "move the placement into the list"
                    )
                )
            for before, after in itertools.pairwise(self.placements):
                if before.end is None or before.end >= after.start:
                    raise ValueError(
                        _(
                            "placements are listed oldest first, and each one ends before the "
                            "next one starts"
                        )
                    )
            # Frozen model: the current placement is derived once, here, from the list.
            object.__setattr__(self, "placement", self.placements[-1])
        if self.status == "actief" and self.placement is None:
            raise ValueError("active_without_placement")
        if self.status_history and self.status_history[-1].status != self.status:
            raise ValueError(
                _("the last entry of status_history must be the current status ({status})").format(
                    status=self.status
                )
            )
        for earlier, later in itertools.pairwise(self.status_history):
            if later.date < earlier.date:
                raise ValueError(_("status_history is listed oldest first"))
        return self

    def history(self) -> tuple[Placement, ...]:
        """Every placement of this person, oldest first (older files hold just one)."""
        if self.placements:
            return tuple(self.placements)
        return (self.placement,) if self.placement is not None else ()

    def age_in(self, year: int) -> int:
        """The age reached in ``year`` (birth dates are not kept, only the year)."""
        return year - self.birth_year


class HoursRange(Model):
    min: Hours = Field(ge=0, le=60)
    max: Hours = Field(ge=0, le=60)

    @model_validator(mode="after")
    def _ordered(self) -> HoursRange:
        if self.max < self.min:
            raise ValueError("max_below_min")
        return self


class Opportunity(Record):
    record_kind: ClassVar[str] = "opportunity"
    folder: ClassVar[str] = "opportunities"

    organisation: RecordId
    title: str = Field(min_length=1)
    description: Text = ""
    talents_required: Tags = []
    talents_desired: Tags = []
    causes: Tags = []
    district: str
    hours_per_week: HoursRange | None = None
    days: list[Day] = []
    slots: int = Field(default=1, ge=0, le=1000)
    guidance: Guidance = "regulier"
    offers: Tags = []
    requires: Tags = []


class Organisation(Record):
    record_kind: ClassVar[str] = "organisation"
    folder: ClassVar[str] = "organisations"

    name: str = Field(min_length=1)
    kind_: OrganisationKind = Field(alias="kind")
    district: str | None = None
    contact: Contact | None = None
    website: str | None = None

    model_config = ConfigDict(populate_by_name=True)


class Sponsor(Record):
    record_kind: ClassVar[str] = "sponsor"
    folder: ClassVar[str] = "sponsors"

    name: str = Field(min_length=1)
    sector: str
    values: Tags = []
    statement: Text = ""
    budget_person_years: float = Field(default=0, ge=0)
    sroi_obligation: Amount | None = Field(default=None, ge=0)
    sroi_deadline: dt.date | None = None

    @property
    def sector_tag(self) -> str:
        return fold(self.sector)


class Attendance(Model):
    total: int | None = Field(default=None, ge=0)
    groups: list[str] = []
    description: Text = ""


class Recording(Model):
    by: str | None = None
    consent_asked: Flag | None = None
    objections: int | None = Field(default=None, ge=0)
    url: str | None = None
    #: ``true`` when ``url`` is where the recording was promised to go, not where it is yet.
    promised: Flag | None = None
    #: Anything else said about the recording, as written (Markdown).
    note: Text = ""


class ProgrammePart(Model):
    title: str = Field(min_length=1)
    speaker: str | None = None
    summary: Text = ""
    #: ``true`` for the part in which the dialogue tables met: their findings follow it.
    tables: Flag = False


class Table(Model):
    theme: str = Field(min_length=1)
    count: int = Field(default=1, ge=1)
    findings: list[str] = []
    cases: list[RecordId] = []


class Question(Model):
    text: str = Field(min_length=1)
    theme: str | None = None
    answer: str | None = None

    @property
    def is_open(self) -> bool:
        return not (self.answer and self.answer.strip())


class Action(Model):
    what: str = Field(min_length=1)
    who: str | None = None
    due: dt.date | None = None
    status: ActionStatus = "open"


def _decision_from_text(value: Any) -> Any:
    return {"what": value} if isinstance(value, str) else value


class Decision(Model):
    what: str = Field(min_length=1)
    date: dt.date | None = None


#: Month names, Dutch and English, as an approximate date may name them.
_MONTH_NAMES: tuple[tuple[str, ...], ...] = (
    ("januari", "january"),
    ("februari", "february"),
    ("maart", "march"),
    ("april",),
    ("mei", "may"),
    ("juni", "june"),
    ("juli", "july"),
    ("augustus", "august"),
    ("september",),
    ("oktober", "october"),
    ("november",),
    ("december",),
)


class NextMeeting(Model):
    date: dt.date | None = None
    #: A date the meeting named without a day ("eind maart 2025"), kept as written. In the file
    #: it is written as ``date: eind maart 2025``.
    approximate_date: str | None = None
    goal: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _approximate(cls, data: Any) -> Any:
        date = data.get("date") if isinstance(data, dict) else None
        # A text that does not look like an ISO date is a date named without a day; one that
        # does (2025-13-01) stays, so that the date check explains what is wrong with it.
        if isinstance(date, str) and date.strip() and not re.match(r"^\s*\d{4}-\d", date):
            return {**data, "date": None, "approximate_date": date.strip()}
        return data

    @property
    def latest_day(self) -> dt.date | None:
        """The last day the meeting can fall on: its date, or for an approximate one the end
        of the month (or year) it names ("eind maart 2025" → 31 March 2025)."""
        if self.date is not None or not self.approximate_date:
            return self.date
        text = self.approximate_date.lower()
        year = re.search(r"\b(\d{4})\b", text)
        if year is None:
            return None
        months = [
            number
            for number, names in enumerate(_MONTH_NAMES, start=1)
            if any(re.search(rf"\b{name}\b", text) for name in names)
        ]
        month = months[-1] if months else 12
        following = dt.date(int(year.group(1)) + month // 12, month % 12 + 1, 1)
        return following - dt.timedelta(days=1)

    @property
    def goal_count(self) -> int | None:
        """The number in the goal ("20 Almeerse Burgerbanen" → 20), if it has one."""
        match = re.search(r"\d+", self.goal or "")
        return int(match.group()) if match else None


class Session(Record):
    record_kind: ClassVar[str] = "session"
    folder: ClassVar[str] = "sessions"

    kind_: SessionKind = Field(alias="kind")
    number: int | None = Field(default=None, ge=1)
    title: str = Field(min_length=1)
    date: dt.date
    time: str | None = None
    venue: str | None = None
    organiser: str | None = None
    prepared_with: list[str] = []
    purpose: Text = ""
    introduction: Text = ""
    #: How the programme was introduced (Markdown), before its parts.
    programme_introduction: Text = ""
    chair: str | None = None
    secretary: str | None = None
    status: SessionStatus = "concept"
    attendance: Attendance = Attendance()
    recording: Recording | None = None
    programme: list[ProgrammePart] = []
    tables: list[Table] = []
    questions: list[Question] = []
    actions: list[Action] = []
    decisions: list[Annotated[Decision, BeforeValidator(_decision_from_text)]] = []
    closing: Text = ""
    informal: Text = ""
    next: NextMeeting | None = None
    #: Words confirmed as not-a-person in this session's outputs: a name part that is an
    #: ordinary word here, or the name of the chair or a speaker (see docs/casebook.md).
    niet_persoon: list[str] = []

    model_config = ConfigDict(populate_by_name=True)


RECORD_TYPES: tuple[type[Record], ...] = (Person, Opportunity, Organisation, Sponsor, Session)
RECORD_TYPE_BY_FOLDER: dict[str, type[Record]] = {t.folder: t for t in RECORD_TYPES}


def yaml_keys(record_type: type[Record]) -> frozenset[str]:
    """The keys a record's file may hold (aliases, not Python names; never ``id``)."""
    keys = set()
    for name, info in record_type.model_fields.items():
        if name == "id":
            continue
        keys.add(info.alias or name)
    return frozenset(keys)
