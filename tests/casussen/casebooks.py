"""Casebooks for the casussen tests: generated ones (hypothesis) and options as the matcher's
contract gives them, built from the casebook's own records."""

from __future__ import annotations

import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from toolkit.casebook.casebook import Casebook
from toolkit.casebook.records import Opportunity, Organisation, Person, Sponsor
from toolkit.casebook.rules import rules_for
from toolkit.casebook.settings import Settings
from toolkit.matching.options import NoOption, Option, Parts, PersonOptions

RULES_YEAR = 2025
DISTRICTS = ("Almere Stad", "Almere Haven", "Almere Buiten")
TALENTS = ("koken", "tuinieren", "ict", "verkoop", "techniek", "zorg", "taal", "dieren")
VALUES = ("lokaal", "duurzaamheid", "gemeenschap", "gezondheid", "inclusie")
SECTORS = ("bouw", "fossiel", "retail", "zorg", "financiele-dienstverlening")
SITUATIONS = (
    ["geen"],
    ["dagbesteding"],
    ["dagbesteding", "pgb"],
    ["wajong"],
    ["wajong", "dagbesteding"],
    ["wmo", "pgb"],
    ["bijstand"],
    ["ww"],
    ["inburgering", "statushouder"],
    ["asielzoeker"],
)
#: Needs reveal health: they are in no public view, so they must never reach a handout.
NEEDS = ("rolstoeltoegankelijk", "prikkelarm")
WISHES = (
    "Ik werk graag met mensen.",
    "Het liefst buiten, met mijn handen.",
    "Iets met computers, dicht bij huis.",
)

#: Random "words" without a vowel: they cannot occur in any template or question by chance,
#: so finding one in a handout can only mean a personal field leaked.
secret_word = st.text(alphabet="bcdfghjklmnpqrstvwxz", min_size=6, max_size=10)


@st.composite
def people(draw: st.DrawFn, min_size: int = 1, max_size: int = 9) -> dict[str, dict[str, Any]]:
    count = draw(st.integers(min_size, max_size))
    records: dict[str, dict[str, Any]] = {}
    while len(records) < count:
        first, last = draw(secret_word), draw(secret_word)
        person_id = f"{first}-{last}"
        if person_id in records:
            continue
        records[person_id] = {
            "name": f"{first.capitalize()} {last.capitalize()}",
            "contact": {
                "phone": "06-" + draw(st.text(alphabet="0123456789", min_size=8, max_size=8)),
                "email": f"{first}.{last}@example.nl",
            },
            "birth_year": draw(st.integers(1940, 2008)),
            "district": draw(st.sampled_from(DISTRICTS)),
            "has_bsn": draw(st.booleans()),
            "situation": draw(st.sampled_from(SITUATIONS)),
            "talents": draw(st.lists(st.sampled_from(TALENTS), max_size=3, unique=True)),
            "wishes": {
                "causes": draw(st.lists(st.sampled_from(TALENTS), max_size=2, unique=True)),
                "text": draw(st.sampled_from(WISHES)),
                "districts": draw(st.lists(st.sampled_from(DISTRICTS), max_size=2, unique=True)),
            },
            "availability": {
                "hours_per_week": draw(st.integers(1, 32)),
                "days": draw(st.lists(st.sampled_from(["ma", "di", "wo"]), unique=True)),
            },
            "values": draw(st.lists(st.sampled_from(VALUES), max_size=2, unique=True)),
            "avoid_sectors": draw(st.lists(st.sampled_from(SECTORS), max_size=1)),
            "needs": draw(st.lists(st.sampled_from(NEEDS), max_size=1)),
            "status": draw(st.sampled_from(["kandidaat", "kandidaat", "gestopt"])),
            "consent": {"data": "2025-01-01"},
            "notes": " ".join(draw(st.lists(secret_word, min_size=1, max_size=4))),
        }
    return records


@st.composite
def sponsors(draw: st.DrawFn) -> dict[str, dict[str, Any]]:
    chosen = draw(st.lists(st.sampled_from(SECTORS), max_size=3, unique=True))
    return {
        f"sponsor-{sector}": {
            "name": f"Sponsor {sector.capitalize()}",
            "sector": sector,
            "values": draw(st.lists(st.sampled_from(VALUES), max_size=2, unique=True)),
            "budget_person_years": 5,
        }
        for sector in chosen
    }


OPPORTUNITIES: dict[str, dict[str, Any]] = {
    "keukenhulp": {
        "organisation": "buurthuis",
        "title": "Keukenhulp",
        "talents_required": ["koken"],
        "causes": ["koken"],
        "district": "Almere Stad",
        "slots": 3,
        "offers": ["rolstoeltoegankelijk", "prikkelarm"],
    },
    "tuinploeg": {
        "organisation": "buurthuis",
        "title": "Tuinploeg",
        "talents_desired": ["tuinieren"],
        "district": "Almere Haven",
        "slots": 3,
        "requires": ["vog"],
    },
}
ORGANISATIONS: dict[str, dict[str, Any]] = {
    "buurthuis": {"name": "Buurthuis De Schakel", "kind": "non-profit", "district": "Almere Stad"},
}


def in_memory(
    people_data: Mapping[str, Mapping[str, Any]],
    sponsor_data: Mapping[str, Mapping[str, Any]] | None = None,
    name: str = "Gegenereerd",
) -> Casebook:
    """A valid casebook built without files (the loader's own validation on every record)."""

    def build(kind: Any, data: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
        return {rid: kind.model_validate({**fields, "id": rid}) for rid, fields in data.items()}

    return Casebook(
        # Nowhere on disk: no exclusions file of a real casebook may apply.
        root=Path(tempfile.gettempdir()) / "casussen-tests-no-such-casebook",
        settings=Settings(
            name=name, rules_year=RULES_YEAR, districts={d: (52.37, 5.21) for d in DISTRICTS}
        ),
        rules=rules_for(RULES_YEAR),
        people=build(Person, people_data),
        opportunities=build(Opportunity, OPPORTUNITIES),
        organisations=build(Organisation, ORGANISATIONS),
        sponsors=build(Sponsor, sponsor_data or {}),
        sessions={},
    )


def contract_options(casebook: Casebook, person_ids: Sequence[str]) -> dict[str, PersonOptions]:
    """Options in the shape of the matcher's contract, for the tests of the reports layer.

    Not a matcher: each opportunity is offered with fixed parts, a reason that names the
    person's talents (public data) and one about needs (personal: a handout must leave it out),
    so that the handouts' option sections are exercised without depending on the matcher's
    scores, which may change as it evolves.
    """
    result = {}
    for index, person_id in enumerate(person_ids):
        person = casebook.people[person_id]
        if index % 4 == 3:
            result[person_id] = PersonOptions(
                person_id,
                (),
                NoOption(
                    person_id,
                    {"distance": 2},
                    ("Beide plekken liggen te ver weg.",),
                    ("Beide plekken liggen te ver weg.",),
                ),
            )
            continue
        options = tuple(
            Option(
                person_id=person_id,
                opportunity_id=opportunity_id,
                sponsor_id=None,
                total=70.0 - 10 * rank,
                parts=Parts(talents=0.5, wishes=0.75, values=0.0, counted=("talents", "wishes")),
                reasons=(
                    f"Talenten: {', '.join(person.talents) or 'geen'}.",
                    "Wat de persoon nodig heeft, is er.",
                ),
                reason_codes=("talents", "needs"),
                warnings=("Deze plek vraagt een VOG.",) if opportunity_id == "tuinploeg" else (),
                warning_codes=("vog",) if opportunity_id == "tuinploeg" else (),
            )
            for rank, opportunity_id in enumerate(sorted(casebook.opportunities))
        )
        result[person_id] = PersonOptions(person_id, options)
    return result
