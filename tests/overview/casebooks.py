"""A small fixed casebook for the overview and the social map: every kind of record, and hours."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from tests.helpers import SETTINGS, dump_yaml, opportunity, organisation, person, session, sponsor
from tests.helpers import write_casebook as _write

DAY = date(2025, 6, 15)


def _placement(
    opportunity_id: str, start: str, end: str | None, sponsor_id: str | None = None
) -> dict[str, Any]:
    placement: dict[str, Any] = {
        "opportunity": opportunity_id,
        "start": start,
        "allowance_per_year": 2100,
    }
    if end is not None:
        placement["end"] = end
    if sponsor_id is not None:
        placement["sponsor"] = sponsor_id
    return placement


PEOPLE = {
    "anna-de-vries": person(
        name="Anna de Vries",
        contact={"phone": "06-11112222", "email": "anna@example.nl"},
        status="actief",
        placement={
            **_placement("keukenhulp", "2025-01-01", "2025-07-31", "bouw-flevo"),
            "allowance_per_hour": 5.0,  # agreed, so the hourly cap applies (as a guide)
        },
    ),
    "bram-bakker": person(
        name="Bram Bakker",
        birth_year=2005,
        district="Almere Haven",
        status="actief",
        placement=_placement("tuinploeg", "2024-09-01", "2025-12-31"),
    ),
    "cees-cornelis": person(name="Cees Cornelis", district="Almere Buiten", talents=["tuinieren"]),
    "dirk-dekker": person(name="Dirk Dekker", district="Almere Haven"),
    "eva-evers": person(
        name="Eva Evers",
        status="gestopt",
        placement=_placement("uitgifte", "2024-03-01", "2024-12-31"),
    ),
}

ORGANISATIONS = {
    "voedselbank": organisation(name="Voedselbank Almere", contact={"name": "Joke Jansen"}),
    "tuin-oost": organisation(name="Buurttuin Oost", district="Almere Haven"),
}

OPPORTUNITIES = {
    "keukenhulp": opportunity(title="Keukenhulp", slots=2),
    "uitgifte": opportunity(title="Uitgifte", slots=3),
    "tuinploeg": opportunity(
        organisation="tuin-oost",
        title="Tuinploeg",
        district="Almere Haven",
        talents_required=["tuinieren"],
        slots=1,
    ),
}

SPONSORS = {
    "bouw-flevo": sponsor(
        name="Bouw Flevo",
        budget_person_years=4,
        sroi_obligation=20000,
        sroi_deadline="2026-12-31",
    ),
    "bank-noord": sponsor(name="Bank Noord", sector="bank", budget_person_years=2),
}

SESSIONS = {
    "avond-1": session(
        title="1e Dialoogavond",
        date="2025-03-01",
        tables=[{"theme": "Dagbesteding", "cases": ["cees-cornelis", "anna-de-vries"]}],
        next={"date": "2025-10-01", "goal": "10 burgerbanen"},
    ),
}

HOURS = {
    "anna-de-vries": [
        {"month": "2025-01", "hours": 40, "allowance_paid": 175},
        {"month": "2025-02", "hours": 36, "allowance_paid": 175},
        {"month": "2025-03", "hours": 30, "allowance_paid": 175},  # 30 × 5,60 = 168: above guide
    ],
    "bram-bakker": [
        {"month": "2025-01", "hours": 60, "allowance_paid": 175},  # no hourly rate agreed
        {"month": "2025-02", "hours": 56, "allowance_paid": 175},
    ],
}


def write_small_casebook(root: Path, **overrides: Any) -> Path:
    kw: dict[str, Any] = {
        "settings": {**SETTINGS, "name": "Kleine pilot"},
        "people": PEOPLE,
        "organisations": ORGANISATIONS,
        "opportunities": OPPORTUNITIES,
        "sponsors": SPONSORS,
        "sessions": SESSIONS,
    }
    hours = overrides.pop("hours", HOURS)
    kw.update(overrides)
    _write(root, **kw)
    for person_id, statements in hours.items():
        dump_yaml(root / "hours" / f"{person_id}.yaml", {"statements": statements})
    return root
