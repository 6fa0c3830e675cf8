"""Building small casebooks in a temporary folder for tests."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from toolkit.casebook import Casebook, load_casebook

EXAMPLE_CASEBOOK = Path(__file__).resolve().parent.parent / "cases"


@cache
def example_casebook() -> Casebook:
    """The shipped example, loaded once for all tests that only read it (loading takes seconds)."""
    return load_casebook(EXAMPLE_CASEBOOK)


def dump_yaml(path: Path, data: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    with path.open("w", encoding="utf-8") as handle:
        yaml.dump(data, handle)
    return path


def person(**fields: Any) -> dict[str, Any]:
    """A valid candidate; override any field."""
    record: dict[str, Any] = {
        "name": "Testpersoon Eenendertig",
        "birth_year": 1990,
        "district": "Almere Stad",
        "has_bsn": True,
        "situation": ["geen"],
        "talents": ["koken"],
        "wishes": {"causes": ["voedsel"], "text": "Ik kook graag.", "max_travel_km": 10},
        "availability": {"hours_per_week": 8, "days": ["ma", "di"]},
        "status": "kandidaat",
        "consent": {"data": "2024-09-01", "photo_video": False},
    }
    record.update(fields)
    return record


def opportunity(**fields: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "organisation": "voedselbank",
        "title": "Keukenhulp",
        "description": "Maaltijden koken voor de inloop.",
        "talents_required": ["koken"],
        "causes": ["voedsel"],
        "district": "Almere Stad",
        "hours_per_week": {"min": 4, "max": 12},
        "days": ["ma", "wo"],
        "slots": 2,
    }
    record.update(fields)
    return record


def organisation(**fields: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "name": "Voedselbank",
        "kind": "non-profit",
        "district": "Almere Stad",
    }
    record.update(fields)
    return record


def sponsor(**fields: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "name": "Bouwbedrijf",
        "sector": "bouw",
        "values": ["lokaal"],
        "statement": "Wij bouwen aan Almere.",
        "budget_person_years": 4,
    }
    record.update(fields)
    return record


def session(**fields: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "kind": "dialoogavond",
        "number": 1,
        "title": "1e Dialoogavond",
        "date": "2024-03-01",
    }
    record.update(fields)
    return record


SETTINGS: dict[str, Any] = {
    "name": "Testcasebook",
    "rules_year": 2025,
    "districts": {
        "Almere Stad": [52.3709, 5.2141],
        "Almere Haven": [52.3368, 5.2180],
        "Almere Buiten": [52.3920, 5.2740],
    },
    "synonyms": {"keuken": "koken", "tuin": "tuinieren"},
}


def write_casebook(
    root: Path,
    *,
    settings: dict[str, Any] | None = None,
    people: dict[str, dict[str, Any]] | None = None,
    opportunities: dict[str, dict[str, Any]] | None = None,
    organisations: dict[str, dict[str, Any]] | None = None,
    sponsors: dict[str, dict[str, Any]] | None = None,
    sessions: dict[str, dict[str, Any]] | None = None,
) -> Path:
    """Write a casebook; by default one candidate, one organisation and one opportunity."""
    root.mkdir(parents=True, exist_ok=True)
    dump_yaml(root / "casebook.yaml", SETTINGS if settings is None else settings)
    folders = {
        "people": {"anna-de-vries": person()} if people is None else people,
        "opportunities": {"keukenhulp": opportunity()} if opportunities is None else opportunities,
        "organisations": {"voedselbank": organisation()}
        if organisations is None
        else organisations,
        "sponsors": sponsors or {},
        "sessions": sessions or {},
    }
    for folder, records in folders.items():
        for record_id, data in records.items():
            dump_yaml(root / folder / f"{record_id}.yaml", data)
    return root
