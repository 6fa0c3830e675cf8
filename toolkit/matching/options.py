"""What the matcher tells its users: options with their parts, reasons and warnings.

This is the matcher's contract with the reports (match reports, case handouts, the overview).
An option is a *proposal*: the person chooses.

Fields after the first release have defaults, so code written against the first version
keeps working: ``Parts.counted`` (which parts the total rests on), ``Option.reason_codes``
(one stable code per reason, to filter reasons in public outputs) and
``NoOption.public_sentences`` (the same counts without special-category detail).
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: The parts of a fit, in order.
PART_NAMES: tuple[str, ...] = ("talents", "wishes", "values")


@dataclass(frozen=True)
class Parts:
    """Each part of the fit in [0, 1]."""

    talents: float
    wishes: float
    values: float
    # The parts the total rests on. A part that cannot be judged (no talents asked, no wishes
    # stated, no values named, funded by the cooperative) is 0.0 here and left out.
    counted: tuple[str, ...] = PART_NAMES

    def counts(self, part: str) -> bool:
        return part in self.counted


@dataclass(frozen=True)
class Option:
    """One proposal for one person: an opportunity, and a sponsor or the cooperative."""

    person_id: str
    opportunity_id: str
    sponsor_id: str | None  # None: funded by the cooperative
    total: float  # 0-100, from the casebook's weights over the parts
    parts: Parts
    reasons: tuple[str, ...]  # plain sentences in the active language
    warnings: tuple[str, ...]  # plain sentences; the option is still proposed
    warning_codes: tuple[str, ...] = ()  # stable codes (no_bsn, vog, pgb, travel, ...) for themes
    distance_km: float | None = None
    # One stable code per reason (talents, missing_required, causes, district, distance, hours,
    # days, needs, values, ...); see toolkit.matching.explain for the list and which are personal.
    reason_codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class NoOption:
    """Why a person has no option at all: per hard limit, how many opportunities it ruled out."""

    person_id: str
    counts: dict[str, int] = field(default_factory=dict)  # limit code -> opportunities ruled out
    sentences: tuple[str, ...] = ()  # the same, in plain words
    # The same sentences without special-category detail (which needs), for public outputs.
    public_sentences: tuple[str, ...] = ()


@dataclass(frozen=True)
class PersonOptions:
    person_id: str
    options: tuple[Option, ...]
    no_option: NoOption | None = None  # set when options is empty
