"""Example values in starter files that must be replaced before a record counts.

``burgerbaan new`` writes a file with an example in every field, so that the format explains
itself. A name, phone number or consent date left as the example would pass validation and
then look like real data (a consent nobody gave), so these values are refused by the loader
until someone fills them in.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from toolkit.casebook.messages import field_path
from toolkit.casebook.yamlfile import YamlDocument
from toolkit.errors import Problem
from toolkit.i18n import _

#: Placeholder text by the name the starter templates use for it.
PLACEHOLDERS: dict[str, str] = {
    "person_name": "Voornaam Achternaam",
    "phone": "06-00000000",
    "consent_date": "JJJJ-MM-DD",
    "organisation_name": "Naam van de organisatie",
    "contact_name": "Naam contactpersoon",
    "opportunity_title": "Titel van de plek",
    "organisation_id": "organisatie-id",
    "opportunity_id": "plek-id",
    "sponsor_name": "Naam van de sponsor",
    "sector": "sector-invullen",
}
_VALUES = frozenset(PLACEHOLDERS.values())


def placeholder_problems(document: YamlDocument) -> list[Problem]:
    """Every field of ``document`` that still holds a starter file's example value."""
    return [
        Problem(
            file=document.path,
            line=document.line_of(loc),
            field=field_path(loc),
            message=_(
                "'{value}' is the example from the starter file; fill in the real value "
                "(or remove the field if it is optional)."
            ).format(value=value),
        )
        for loc, value in _strings(document.data, ())
        if value.strip() in _VALUES
    ]


def _strings(data: Any, loc: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if isinstance(data, str):
        yield loc, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, (*loc, str(key)))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _strings(value, (*loc, index))
