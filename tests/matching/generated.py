"""Generated casebooks for property tests: small, valid, and full of the hard cases.

Tags come from tiny vocabularies so that people and places overlap often; slots may be zero
or taken by active placements; availability, hours, days, wishes and values may be missing;
some people avoid the sector of a sponsor; budgets may be spent.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from toolkit.casebook.casebook import Casebook
from toolkit.casebook.records import Opportunity, Organisation, Person, Sponsor
from toolkit.casebook.rules import rules_for
from toolkit.casebook.settings import Settings

TALENTS = ["koken", "tuinieren", "dieren", "ict"]
CAUSES = ["ouderen", "natuur", "voedsel"]
NEEDS = ["rolstoeltoegankelijk", "prikkelarm"]
VALUES = ["lokaal", "zorgzaamheid", "duurzaamheid"]
SECTORS = ["bouw", "fossiel", "zorg"]
DAYS = ["ma", "di", "wo", "do", "vr", "za", "zo"]
DISTRICTS = {
    "Almere Stad": (52.3709, 5.2141),
    "Almere Haven": (52.3368, 5.2180),
    "Almere Buiten": (52.3925, 5.2690),
}
WORDS = ["tuin", "tuinieren", "koken", "keuken", "dieren", "computer", "ouderen", "buiten"]


def subsets(items: list[str], max_size: int | None = None) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(items), unique=True, max_size=max_size or len(items))


@st.composite
def person_data(draw: st.DrawFn) -> dict[str, Any]:
    has_availability = draw(st.booleans())
    data: dict[str, Any] = {
        "name": "Iemand",
        "birth_year": draw(st.integers(1950, 2006)),
        "district": draw(st.sampled_from(list(DISTRICTS))),
        "has_bsn": draw(st.booleans()),
        "situation": [draw(st.sampled_from(["geen", "pgb", "asielzoeker", "wajong"]))],
        "talents": draw(subsets(TALENTS, 3)),
        "wishes": {
            "causes": draw(subsets(CAUSES, 2)),
            "text": " ".join(draw(st.lists(st.sampled_from(WORDS), max_size=4))),
            "districts": draw(subsets(list(DISTRICTS), 2)),
            "max_travel_km": draw(st.one_of(st.none(), st.sampled_from([2.0, 5.0, 10.0]))),
        },
        "values": draw(subsets(VALUES, 2)),
        "avoid_sectors": draw(subsets(SECTORS, 1)),
        "needs": draw(subsets(NEEDS, 1)),
        "status": "kandidaat",
    }
    if has_availability:
        data["availability"] = {
            "hours_per_week": draw(st.sampled_from([2.0, 4.0, 8.0, 16.0])),
            "days": draw(subsets(DAYS, 3)),
        }
    return data


@st.composite
def opportunity_data(draw: st.DrawFn) -> dict[str, Any]:
    data: dict[str, Any] = {
        "organisation": "org",
        "title": "Plek",
        "description": " ".join(draw(st.lists(st.sampled_from(WORDS), max_size=5))),
        "talents_required": draw(subsets(TALENTS, 2)),
        "talents_desired": draw(subsets(TALENTS, 2)),
        "causes": draw(subsets(CAUSES, 2)),
        "district": draw(st.sampled_from(list(DISTRICTS))),
        "days": draw(subsets(DAYS, 3)),
        "slots": draw(st.integers(0, 3)),
        "offers": draw(subsets(NEEDS)),
        "requires": draw(st.sampled_from([[], ["vog"], ["vog", "rijbewijs"]])),
    }
    if draw(st.booleans()):
        low = draw(st.sampled_from([0.0, 3.0, 6.0]))
        data["hours_per_week"] = {"min": low, "max": low + draw(st.sampled_from([0.0, 4.0]))}
    return data


@st.composite
def sponsor_data(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "name": "Sponsor",
        "sector": draw(st.sampled_from(SECTORS)),
        "values": draw(subsets(VALUES, 2)),
        "statement": " ".join(draw(st.lists(st.sampled_from(VALUES + WORDS), max_size=4))),
        "budget_person_years": float(draw(st.integers(0, 3))),
    }


def build(
    people: dict[str, dict[str, Any]],
    opportunities: dict[str, dict[str, Any]],
    sponsors: dict[str, dict[str, Any]],
    weights: dict[str, float] | None = None,
) -> Casebook:
    """A casebook in memory from record data (validated, as the loader would)."""
    settings = Settings(
        name="Gegenereerd",
        rules_year=2025,
        districts=DISTRICTS,
        weights=weights or {"talents": 0.4, "wishes": 0.4, "values": 0.2},
    )
    context = {"synonyms": settings.synonyms}
    return Casebook(
        root=Path("/nonexistent-generated-casebook"),
        settings=settings,
        rules=rules_for(2025),
        people={
            k: Person.model_validate({**v, "id": k}, context=context) for k, v in people.items()
        },
        opportunities={
            k: Opportunity.model_validate({**v, "id": k}, context=context)
            for k, v in opportunities.items()
        },
        organisations={
            "org": Organisation.model_validate({"id": "org", "name": "Org", "kind": "non-profit"})
        },
        sponsors={
            k: Sponsor.model_validate({**v, "id": k}, context=context) for k, v in sponsors.items()
        },
        sessions={},
    )


@st.composite
def open_casebooks(
    draw: st.DrawFn, max_people: int, max_opportunities: int, max_sponsors: int = 3
) -> Casebook:
    """Casebooks where nobody is placed yet; places numbered o00, o01, ... so that their ids
    sort as their indices."""
    people = {f"p{i}": draw(person_data()) for i in range(draw(st.integers(1, max_people)))}
    opportunities = {
        f"o{i:02d}": draw(opportunity_data())
        for i in range(draw(st.integers(1, max_opportunities)))
    }
    sponsors = {f"s{i}": draw(sponsor_data()) for i in range(draw(st.integers(0, max_sponsors)))}
    return build(people, opportunities, sponsors)


@st.composite
def casebooks(
    draw: st.DrawFn, max_people: int = 8, max_opportunities: int = 6, max_sponsors: int = 3
) -> Casebook:
    n_people = draw(st.integers(1, max_people))
    n_opportunities = draw(st.integers(1, max_opportunities))
    n_sponsors = draw(st.integers(0, max_sponsors))
    people = {f"p{i}": draw(person_data()) for i in range(n_people)}
    opportunities = {f"o{i}": draw(opportunity_data()) for i in range(n_opportunities)}
    sponsors = {f"s{i}": draw(sponsor_data()) for i in range(n_sponsors)}
    # Some people are already placed: they take a slot and, with a sponsor, a year of budget.
    for person_id in list(people)[: draw(st.integers(0, 2))]:
        free = [o for o, d in opportunities.items() if d["slots"] > _taken(people, o)]
        if not free:
            break
        place = draw(st.sampled_from(free))
        backers = [s for s, d in sponsors.items() if d["budget_person_years"] >= 1]
        backer = draw(st.sampled_from([None, *backers]))
        if backer is not None:
            sponsors[backer]["budget_person_years"] = max(
                sponsors[backer]["budget_person_years"], _used(people, backer) + 1.0
            )
        people[person_id]["status"] = "actief"
        people[person_id]["placement"] = {
            "opportunity": place,
            "sponsor": backer,
            "start": date(2025, 1, 1).isoformat(),
            "allowance_per_year": 1000,
        }
    return build(people, opportunities, sponsors)


def _taken(people: dict[str, dict[str, Any]], opportunity: str) -> int:
    return sum(
        1
        for p in people.values()
        if p.get("status") == "actief" and p["placement"]["opportunity"] == opportunity
    )


def _used(people: dict[str, dict[str, Any]], sponsor: str) -> float:
    return float(
        sum(1 for p in people.values() if p.get("placement", {}).get("sponsor") == sponsor)
    )
