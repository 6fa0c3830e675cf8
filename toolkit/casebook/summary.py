"""The casebook in figures: what ``burgerbaan check`` prints after a successful check."""

from __future__ import annotations

from dataclasses import dataclass

from toolkit.casebook.casebook import Casebook


@dataclass(frozen=True)
class SponsorBudget:
    sponsor_id: str
    name: str
    budget: float
    used: float
    left: float


@dataclass(frozen=True)
class Summary:
    records: dict[str, int]
    candidates: int
    active: int
    stopped: int
    open_slots: int
    opportunities_with_room: int
    sponsors: list[SponsorBudget]

    @property
    def sponsor_years_left(self) -> float:
        return round(sum(s.left for s in self.sponsors), 2)


def summarise(casebook: Casebook) -> Summary:
    folders = ("people", "opportunities", "organisations", "sponsors", "sessions")
    slots = {oid: casebook.open_slots(oid) for oid in casebook.opportunities}
    return Summary(
        records={folder: len(casebook.records(folder)) for folder in folders},
        candidates=len(casebook.candidates()),
        active=len(casebook.active()),
        stopped=sum(1 for p in casebook.people.values() if p.status == "gestopt"),
        open_slots=sum(slots.values()),
        opportunities_with_room=sum(1 for n in slots.values() if n > 0),
        sponsors=[
            SponsorBudget(
                sponsor_id=sid,
                name=sponsor.name,
                budget=sponsor.budget_person_years,
                used=casebook.sponsor_years_used(sid),
                left=casebook.sponsor_years_left(sid),
            )
            for sid, sponsor in sorted(casebook.sponsors.items())
        ],
    )
