"""Spreadsheet columns of each kind of record: the Dutch header, the field, other names.

One table for both directions: an export writes the Dutch headers, an import recognises them,
their English names and the field names of the files (``contact.phone``), in any case and with
or without accents, spaces, hyphens or underscores.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from toolkit.casebook.tags import fold


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    aliases: tuple[str, ...] = ()


PEOPLE: tuple[Column, ...] = (
    Column("name", "Naam", ("naam", "volledige naam", "name", "full name")),
    Column("birth_year", "Geboortejaar", ("geboortejaar", "jaar", "birth year", "year of birth")),
    Column("district", "Wijk", ("wijk", "woonwijk", "district")),
    Column("contact.phone", "Telefoon", ("telefoon", "telefoonnummer", "tel", "phone", "mobiel")),
    Column("contact.email", "E-mail", ("e-mail", "email", "mail", "e-mailadres")),
    Column("has_bsn", "Heeft BSN", ("heeft bsn", "bsn", "has bsn")),
    Column("situation", "Situatie", ("situatie", "situation", "uitkering")),
    Column("talents", "Talenten", ("talenten", "talents", "kwaliteiten")),
    Column("wishes.causes", "Wil bijdragen aan", ("doelen", "wil bijdragen aan", "causes")),
    Column("wishes.text", "Wens", ("wens", "wensen", "wish", "wishes")),
    Column("wishes.districts", "Gewenste wijken", ("gewenste wijken", "werkwijken")),
    Column("wishes.max_travel_km", "Reisafstand (km)", ("reisafstand", "max km", "travel km")),
    Column("availability.hours_per_week", "Uren per week", ("uren per week", "uren", "hours")),
    Column("availability.days", "Dagen", ("dagen", "days", "beschikbare dagen")),
    Column("values", "Waarden", ("waarden", "values")),
    Column("avoid_sectors", "Vermijdt sectoren", ("vermijdt sectoren", "avoid sectors")),
    Column("needs", "Behoeften", ("behoeften", "needs")),
    Column("status", "Status", ("status",)),
    Column(
        "consent.data",
        "Toestemming gegevens (datum)",
        ("toestemming", "toestemming gegevens", "consent"),
    ),
    Column(
        "consent.photo_video",
        "Toestemming foto/video",
        ("foto/video", "toestemming foto", "photo video"),
    ),
    Column("notes", "Notities", ("notities", "opmerkingen", "notes")),
)

OPPORTUNITIES: tuple[Column, ...] = (
    Column("organisation", "Organisatie (id)", ("organisatie", "organisation")),
    Column("title", "Titel", ("titel", "title", "naam", "plek")),
    Column("description", "Omschrijving", ("omschrijving", "beschrijving", "description")),
    Column(
        "talents_required",
        "Talenten nodig",
        ("talenten nodig", "vereiste talenten", "talents required"),
    ),
    Column(
        "talents_desired",
        "Talenten welkom",
        ("talenten welkom", "gewenste talenten", "talents desired"),
    ),
    Column("causes", "Draagt bij aan", ("doelen", "draagt bij aan", "causes")),
    Column("district", "Wijk", ("wijk", "district")),
    Column("hours_per_week.min", "Uren per week (min)", ("min uren", "uren min", "minimum uren")),
    Column("hours_per_week.max", "Uren per week (max)", ("max uren", "uren max", "maximum uren")),
    Column("days", "Dagen", ("dagen", "days")),
    Column("slots", "Plaatsen", ("plaatsen", "aantal plaatsen", "slots")),
    Column("guidance", "Begeleiding", ("begeleiding", "guidance")),
    Column("offers", "Biedt", ("biedt", "offers")),
    Column("requires", "Vraagt", ("vraagt", "vereist", "requires")),
)

ORGANISATIONS: tuple[Column, ...] = (
    Column("name", "Naam", ("naam", "name", "organisatie")),
    Column("kind", "Soort", ("soort", "type", "kind")),
    Column("district", "Wijk", ("wijk", "district")),
    Column("contact.name", "Contactpersoon", ("contactpersoon", "contact", "contact name")),
    Column("contact.phone", "Telefoon", ("telefoon", "telefoonnummer", "phone")),
    Column("contact.email", "E-mail", ("e-mail", "email", "mail")),
    Column("website", "Website", ("website", "site", "url")),
)

SPONSORS: tuple[Column, ...] = (
    Column("name", "Naam", ("naam", "name", "bedrijf")),
    Column("sector", "Sector", ("sector", "branche")),
    Column("values", "Waarden", ("waarden", "values")),
    Column("statement", "In één zin", ("in een zin", "uitspraak", "motto", "statement")),
    Column(
        "budget_person_years",
        "Budget (burgerbaan-jaren)",
        ("budget", "burgerbaan-jaren", "budget person years"),
    ),
    Column(
        "sroi_obligation", "SROI-verplichting (€)", ("sroi", "sroi-verplichting", "sroi obligation")
    ),
    Column("sroi_deadline", "SROI-termijn", ("sroi-termijn", "sroi deadline", "termijn")),
)

COLUMNS: dict[str, tuple[Column, ...]] = {
    "people": PEOPLE,
    "opportunities": OPPORTUNITIES,
    "organisations": ORGANISATIONS,
    "sponsors": SPONSORS,
}

_NOT_WORD = re.compile(r"[^a-z0-9€]+")


def header_key(text: str) -> str:
    """A header as compared: ``E-mail``, ``e mail`` and ``EMAIL`` are one."""
    return _NOT_WORD.sub("", fold(str(text)))


def recognise(folder: str, header: str) -> str | None:
    """The field a column header names, or None."""
    wanted = header_key(header)
    if not wanted:
        return None
    for column in COLUMNS[folder]:
        names = (column.field, column.header, *column.aliases)
        if wanted in {header_key(name) for name in names}:
            return column.field
    return None


def fields_of(folder: str) -> tuple[str, ...]:
    return tuple(column.field for column in COLUMNS[folder])
