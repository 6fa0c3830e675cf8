"""A small casebook for the coordinator's year: places with one slot, a sponsor with a tight budget,
people of each age and benefit the rules turn on."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from tests.helpers import opportunity, organisation, person, sponsor, write_casebook

YEAR = 2025
DAY = dt.date(YEAR, 3, 1)

PLACEMENT: dict[str, Any] = {
    "opportunity": "keukenhulp",
    "start": "2025-01-01",
    "end": "2025-12-31",
    "allowance_per_year": 2100,
}


def people() -> dict[str, dict[str, Any]]:
    return {
        "anna": person(name="Anna Aarts", birth_year=1990),
        "bram": person(name="Bram Bos", birth_year=YEAR - 19),  # under 21 all year
        "cora": person(name="Cora Claes", birth_year=1980, situation=["wajong"]),
        "dirk": person(name="Dirk Dekker", birth_year=1975, situation=["ww"]),
        "eva": person(name="Eva Evers", birth_year=YEAR - 25, situation=["bijstand"]),
        "frits": person(name="Frits Fokkema", birth_year=YEAR - 27, situation=["bijstand"]),
        "gijs": person(
            name="Gijs Goossens", birth_year=1985, status="actief", placement=dict(PLACEMENT)
        ),
    }


def write_yearbook(root: Path, **overrides: Any) -> Path:
    fields: dict[str, Any] = {
        "people": people(),
        "opportunities": {
            "keukenhulp": opportunity(slots=2),
            "uitgifte": opportunity(title="Uitgifte", slots=1),
            "chauffeur": opportunity(title="Chauffeur", slots=1),
        },
        "organisations": {"voedselbank": organisation()},
        "sponsors": {
            "bouwer": sponsor(name="Bouwbedrijf Noord", budget_person_years=1.5),
            "winkel": sponsor(name="Winkel Zuid", budget_person_years=3, sroi_obligation=20000),
        },
    }
    fields.update(overrides)
    return write_casebook(root, **fields)


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file of the casebook (but the lock and the cache of parsed files, which any
    command that reads the casebook may refresh) and its bytes."""
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
        and path.name != ".burgerbaan.lock"
        and not path.relative_to(root).as_posix().startswith(".burgerbaan/cache/")
    }
