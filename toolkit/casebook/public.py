"""The public view of a person: what any public output may show, and nothing more.

Verslagen, case handouts, the Q&A page and public match reports show people only through
:class:`PublicPerson`. It has no name, contact detail, birth year, notes, id or situation:
those fields cannot reach a public output because they are not here.
"""

from __future__ import annotations

import hashlib
import hmac
import weakref
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from toolkit.casebook.casebook import Casebook
from toolkit.casebook.records import Person
from toolkit.casebook.tags import fold
from toolkit.i18n import _

PSEUDONYM_FILE = Path(__file__).resolve().parent / "data" / "pseudonyms.txt"

#: Age bands keep the two ages the rules turn on: 21 (hourly cap) and 27 (bijstand).
AGE_BANDS: tuple[tuple[int, int | None], ...] = (
    (0, 20),
    (21, 26),
    (27, 35),
    (36, 45),
    (46, 55),
    (56, 66),
    (67, None),
)


@dataclass(frozen=True)
class PublicWishes:
    causes: tuple[str, ...]
    text: str
    districts: tuple[str, ...]


@dataclass(frozen=True)
class PublicPerson:
    """A person as public outputs may show them."""

    pseudonym: str
    age_band: str
    district: str
    talents: tuple[str, ...]
    wishes: PublicWishes
    hours_per_week: float | None
    days: tuple[str, ...]
    status: str


@cache
def pseudonym_pool() -> tuple[str, ...]:
    lines = PSEUDONYM_FILE.read_text(encoding="utf-8").splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def age_band(birth_year: int, year: int) -> str:
    """The band of the age reached in ``year``, e.g. ``21-26`` or ``67+``."""
    age = year - birth_year
    for low, high in AGE_BANDS:
        if high is None:
            return f"{low}+"
        if age <= high:
            return _("under 21") if low == 0 else f"{low}-{high}"
    raise AssertionError("the last band is open-ended")


_PSEUDONYMS: weakref.WeakKeyDictionary[Casebook, dict[str, str]] = weakref.WeakKeyDictionary()


def pseudonyms(casebook: Casebook) -> dict[str, str]:
    """A stable invented first name per person id: the same casebook gives the same names.

    Names are drawn by a keyed hash (the casebook's ``pseudonym_salt``, else its name), so
    they do not follow the order of the files, and a name that is the real first name of
    anyone in the casebook is never used.
    """
    cached = _PSEUDONYMS.get(casebook)
    if cached is not None:
        return cached
    key = (casebook.settings.pseudonym_salt or casebook.settings.name).encode("utf-8")
    real_first_names = {fold(p.name.split()[0]) for p in casebook.people.values() if p.name}
    pool = [name for name in pseudonym_pool() if fold(name) not in real_first_names]
    digests = {
        person_id: hmac.new(key, person_id.encode("utf-8"), hashlib.sha256).digest()
        for person_id in casebook.people
    }
    taken: set[str] = set()
    result: dict[str, str] = {}
    for person_id in sorted(digests, key=lambda pid: (digests[pid], pid)):
        start = int.from_bytes(digests[person_id][:8], "big") % len(pool)
        for offset in range(len(pool) * 100):
            round_, index = divmod(start + offset, len(pool))
            name = pool[index] if round_ == 0 else f"{pool[index]} {round_ + 1}"
            if name not in taken:
                break
        taken.add(name)
        result[person_id] = name
    _PSEUDONYMS[casebook] = result
    return result


def public_view(casebook: Casebook, person: Person, year: int) -> PublicPerson:
    """``person`` as a public output may show them, with the age band of ``year``."""
    availability = person.availability
    return PublicPerson(
        pseudonym=pseudonyms(casebook)[person.id],
        age_band=age_band(person.birth_year, year),
        district=person.district,
        talents=tuple(person.talents),
        wishes=PublicWishes(
            causes=tuple(person.wishes.causes),
            text=person.wishes.text,
            districts=tuple(person.wishes.districts),
        ),
        hours_per_week=availability.hours_per_week if availability else None,
        days=tuple(availability.days) if availability else (),
        status=person.status,
    )
