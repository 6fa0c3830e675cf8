"""From proposal to placement: the person's answer, recorded in one explicit step.

*Accepted* (:func:`place`): a placement is written with its opportunity, its funder (a sponsor or
the cooperative), start and end (one year by default) and the allowance per year, checked against
the caps of the rules year and the person's age; the slot and the sponsor's budget are taken at
once, and the step is refused when either would be exceeded. A person who is already actief
*switches*: the old placement ends the day before the new one starts and the allowance, its funder
and the agreement's end carry over (the pilot's rule: the allowance keeps running).

*Declined* (:func:`decline`): the pair goes to ``exclusions.yaml`` with the reason, so later
rounds leave it out.

*Renewed* (:func:`renew`): the current agreement runs a year longer, if the budget allows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit.casebook.casebook import Casebook
from toolkit.casebook.exclusions import exclusions_path, read_exclusions
from toolkit.casebook.hours import eur
from toolkit.casebook.messages import unknown_id_message
from toolkit.casebook.money import Agreement, agreements_ending
from toolkit.casebook.path import (
    PLACEABLE,
    add_history,
    check_in_order,
    current_placement_node,
    find_person,
    history_entry,
)
from toolkit.casebook.records import Person, Placement
from toolkit.casebook.statements import benefit_rules
from toolkit.casebook.year_edits import (
    Edit,
    apply_edits,
    bases,
    block,
    edited_text,
    insert_after,
    locked_casebook,
    new_text,
)
from toolkit.errors import ConflictError, InvalidInputError, NotFoundError
from toolkit.formatting import number
from toolkit.i18n import _

#: Weeks a year of volunteering counts, to turn hours per week into a year's hours (a guide).
WEEKS_PER_YEAR = 52
#: Slack against float noise when years are compared with a budget (years are kept to 2 places).
_EPSILON = 1e-9


def one_year_from(start: dt.date) -> dt.date:
    """The last day of an agreement of one year from ``start``."""
    try:
        return start.replace(year=start.year + 1) - dt.timedelta(days=1)
    except ValueError:  # 29 February: a year later there is none
        return start.replace(year=start.year + 1, day=28)


def allowance_cap(casebook: Casebook, start: dt.date, end: dt.date | None) -> float | None:
    """The strictest yearly cap over the years the agreement covers that the rule data knows."""
    last = end.year if end else start.year
    caps = [
        caps.per_year
        for year in range(start.year, last + 1)
        if (caps := casebook.rules.caps_for(year)) is not None
    ]
    return min(caps) if caps else None


@dataclass(frozen=True)
class PlacementPlan:
    """A placement that passed every check, the one it replaces, and what to tell the user."""

    person_id: str
    placement: Placement
    previous: Placement | None
    previous_end: dt.date | None
    notices: tuple[str, ...] = field(default=())

    @property
    def switch(self) -> bool:
        return self.previous_end is not None


def _sponsor_years_after(
    casebook: Casebook, sponsor_id: str, person: Person, replaced: list[Placement]
) -> float:
    """The sponsor's burgerbaan-years used once ``person``'s placements are ``replaced``."""
    total = 0.0
    for other in casebook.people.values():
        history = replaced if other.id == person.id else list(other.history())
        total += sum(p.person_years() for p in history if p.sponsor == sponsor_id)
    return round(total, 2)


def check_budget(
    casebook: Casebook, person: Person, replaced: list[Placement], sponsor_id: str | None
) -> None:
    """Refuse when ``replaced`` (the person's new history) takes more than the sponsor's budget."""
    if sponsor_id is None:
        return
    budget = casebook.sponsors[sponsor_id].budget_person_years
    used = _sponsor_years_after(casebook, sponsor_id, person, replaced)
    if used > budget + _EPSILON:
        before = casebook.sponsor_years_used(sponsor_id)
        raise ConflictError(
            _(
                "The sponsor {sponsor} has {left} burgerbaan-years left of its budget of "
                "{budget}; this agreement needs {needed}. Choose another funder or a shorter "
                "agreement."
            ).format(
                sponsor=casebook.sponsors[sponsor_id].name,
                left=number(max(0.0, budget - before), 2),
                budget=number(budget, 2),
                needed=number(round(used - before, 2), 2),
            )
        )


def plan_placement(
    casebook: Casebook,
    person_id: str,
    opportunity_id: str,
    *,
    day: dt.date,
    sponsor_id: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    allowance_per_year: float | None = None,
    hourly_rate: float | None = None,
) -> PlacementPlan:
    """Check that ``person_id`` can take ``opportunity_id``; raise with the reason if not."""
    person = find_person(casebook, person_id)
    if opportunity_id not in casebook.opportunities:
        raise NotFoundError(
            unknown_id_message("opportunities", opportunity_id, casebook.opportunities)
        )
    if sponsor_id is not None and sponsor_id not in casebook.sponsors:
        raise NotFoundError(unknown_id_message("sponsors", sponsor_id, casebook.sponsors))
    if person.status not in PLACEABLE:
        raise ConflictError(
            _(
                "{id} has the status {status}; only a kandidaat, voorgesteld or actief person "
                "can take a place. Set the status to kandidaat first."
            ).format(id=person_id, status=person.status)
        )
    for exclusion in read_exclusions(casebook.root, casebook.people, casebook.opportunities):
        if exclusion.person == person_id and exclusion.opportunity == opportunity_id:
            raise ConflictError(
                _(
                    "{id} declined this place before ({reason}); remove the pair from "
                    "exclusions.yaml if the person changed their mind."
                ).format(id=person_id, reason=exclusion.reason or "-")
            )
    check_in_order(person, day)
    start = start or day
    previous = person.placement if person.status == "actief" else None
    previous_end: dt.date | None = None
    notices: list[str] = []
    history = list(person.history())
    if previous is not None:
        if previous.opportunity == opportunity_id:
            raise ConflictError(
                _("{id} already works at this place; renew the agreement instead.").format(
                    id=person_id
                )
            )
        if start <= previous.start:
            raise InvalidInputError(
                _(
                    "The new place must start after the current one began ({start}), so the "
                    "current one can end the day before."
                ).format(start=previous.start.isoformat()),
                field="start",
            )
        previous_end = start - dt.timedelta(days=1)
        # The pilot's rule: switching organisation keeps the allowance (and its funder) running.
        sponsor_id = sponsor_id if sponsor_id is not None else previous.sponsor
        if allowance_per_year is None:
            allowance_per_year = previous.allowance_per_year
        if end is None and previous.end is not None and previous.end >= start:
            end = previous.end
        history[-1] = previous.model_copy(update={"end": previous_end})
    elif history and history[-1].end is not None and history[-1].end >= start:
        raise InvalidInputError(
            _("The last placement ran until {end}; the new one must start after it.").format(
                end=history[-1].end.isoformat()
            ),
            field="start",
        )
    elif history and history[-1].end is None:
        raise InvalidInputError(
            _("The last placement has no end date; give it one before a new placement starts."),
            field="start",
        )
    end = end or one_year_from(start)
    if end < start:
        raise InvalidInputError(_("The end date lies before the start date."), field="end")
    cap = allowance_cap(casebook, start, end)
    if allowance_per_year is None:
        allowance_per_year = casebook.rules.sponsor_allowance_per_year.value
        if cap is not None:
            allowance_per_year = min(allowance_per_year, cap)
    if allowance_per_year < 0:
        raise InvalidInputError(_("The allowance cannot be negative."), field="allowance_per_year")
    if cap is not None and allowance_per_year > cap:
        raise InvalidInputError(
            _(
                "An allowance of € {amount} a year is above the cap of € {cap} for the years "
                "of this agreement; above it the whole allowance is taxable."
            ).format(amount=eur(allowance_per_year), cap=eur(cap)),
            field="allowance_per_year",
        )
    notices.extend(_hourly_notices(casebook, person, start, allowance_per_year, hourly_rate))
    # What the person's benefit asks before the work starts (WW: UWV's permission first).
    notices.extend(finding.message for finding in benefit_rules(person, start.year))
    placement = Placement(
        opportunity=opportunity_id,
        sponsor=sponsor_id,
        start=start,
        end=end,
        allowance_per_year=allowance_per_year,
        allowance_per_hour=hourly_rate,
    )
    if casebook.open_slots(opportunity_id) < 1:
        raise ConflictError(
            _("{title} has no open slot: its {slots} slot(s) are taken.").format(
                title=casebook.opportunities[opportunity_id].title,
                slots=casebook.opportunities[opportunity_id].slots,
            )
        )
    check_budget(casebook, person, [*history, placement], sponsor_id)
    return PlacementPlan(person_id, placement, previous, previous_end, tuple(notices))


def _hourly_notices(
    casebook: Casebook,
    person: Person,
    start: dt.date,
    allowance_per_year: float,
    hourly_rate: float | None,
) -> list[str]:
    """The hourly cap for the person's age: a limit for an agreed rate, else a guide."""
    caps = casebook.rules.caps_for(start.year) or casebook.rules.allowance
    age = person.age_in(start.year)
    hourly = caps.per_hour(age)
    if hourly_rate is not None:
        if round(hourly_rate * 100) > round(hourly * 100):
            raise InvalidInputError(
                _(
                    "The agreed € {rate} an hour is above the cap of € {cap} an hour for a "
                    "person of {age}."
                ).format(rate=eur(hourly_rate), cap=eur(hourly), age=age),
                field="hourly_rate",
            )
        return []
    if person.availability is None:
        return []
    hours = person.availability.hours_per_week * WEEKS_PER_YEAR
    if round(allowance_per_year * 100) > round(hours * hourly * 100):
        return [
            _(
                "€ {amount} a year for about {hours} hours is more than € {cap} an hour (the "
                "cap for a person of {age}). No hourly rate was agreed, so the Belastingdienst "
                "treats that cap as a guide: allowed, but keep the reason on file."
            ).format(amount=eur(allowance_per_year), hours=round(hours), cap=eur(hourly), age=age)
        ]
    return []


def _placement_data(placement: Placement) -> dict[str, Any]:
    data: dict[str, Any] = {"opportunity": placement.opportunity}
    if placement.sponsor is not None:
        data["sponsor"] = placement.sponsor
    data["start"] = placement.start
    if placement.end is not None:
        data["end"] = placement.end
    data["allowance_per_year"] = _plain_number(placement.allowance_per_year)
    if placement.allowance_per_hour is not None:
        data["allowance_per_hour"] = _plain_number(placement.allowance_per_hour)
    return data


def _plain_number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(value, 2)


def add_placement_node(data: Any, placement: dict[str, Any], previous_end: dt.date | None) -> None:
    """Append a placement to a person's round-trip data; a single ``placement`` becomes a list."""
    if previous_end is not None:
        current_placement_node(data)["end"] = previous_end
    if data.get("placements"):
        data["placements"].append(block(placement))
        return
    single = data.get("placement")
    items = [single, block(placement)] if single is not None else [block(placement)]
    sequence = block([])
    sequence.extend(items)
    if single is not None:
        position = list(data).index("placement")
        del data["placement"]
        data.insert(position, "placements", sequence)
    else:
        insert_after(data, ("status_history", "status", "needs"), "placements", sequence)


def place(
    root: Path | str,
    person_id: str,
    opportunity_id: str,
    *,
    by: str,
    day: dt.date,
    sponsor_id: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    allowance_per_year: float | None = None,
    hourly_rate: float | None = None,
    base_hash: str | None = None,
) -> PlacementPlan:
    """Record that the person accepted the place: write the placement and set them actief.

    ``base_hash``: the hash of the person's file the form was made from (None: not checked).
    """
    if not by.strip():
        raise InvalidInputError(_("Say who records the placement."), field="by")
    with locked_casebook(root) as casebook:
        plan = plan_placement(
            casebook,
            person_id,
            opportunity_id,
            day=day,
            sponsor_id=sponsor_id,
            start=start,
            end=end,
            allowance_per_year=allowance_per_year,
            hourly_rate=hourly_rate,
        )
        person = casebook.people[person_id]
        title = casebook.opportunities[opportunity_id].title
        note = _("placed at {title}").format(title=title)
        if plan.switch:
            note = _("switched to {title}").format(title=title)

        def change(data: Any) -> None:
            add_placement_node(data, _placement_data(plan.placement), plan.previous_end)
            if person.status != "actief" or plan.switch:
                add_history(data, history_entry("actief", day, by.strip(), note=note))

        path = casebook.path_of(person)
        edit = Edit(path, edited_text(path, change), fields=("placements", "status_history"))
        apply_edits(casebook.root, [edit], actor=by, base_hashes=bases(path, base_hash))
        return plan


@dataclass(frozen=True)
class Declined:
    person_id: str
    opportunity_id: str
    reason: str
    back_to_candidate: bool


EXCLUSIONS_HEADER = (
    "Paren van persoon en plek die de matcher nooit meer voorstelt (afgewezen of uitgesloten).\n"
    "Bevat id's, dus namen: intern houden."
)


def decline(
    root: Path | str,
    person_id: str,
    opportunity_id: str,
    *,
    reason: str,
    by: str,
    day: dt.date,
    base_hash: str | None = None,
) -> Declined:
    """Record that the person declined the place: the pair goes to the exclusions."""
    if not reason.strip():
        raise InvalidInputError(_("Give the reason the person declined the place."), field="reason")
    with locked_casebook(root) as casebook:
        person = find_person(casebook, person_id)
        if opportunity_id not in casebook.opportunities:
            raise NotFoundError(
                unknown_id_message("opportunities", opportunity_id, casebook.opportunities)
            )
        current = person.placement
        if person.status == "actief" and current and current.opportunity == opportunity_id:
            raise ConflictError(
                _(
                    "{id} works at this place now; to leave it, set the status to "
                    "gestopt or kandidaat."
                ).format(id=person_id)
            )
        for exclusion in read_exclusions(casebook.root, casebook.people, casebook.opportunities):
            if exclusion.person == person_id and exclusion.opportunity == opportunity_id:
                raise ConflictError(
                    _("This pair is already in the exclusions ({reason}).").format(
                        reason=exclusion.reason or "-"
                    )
                )
        entry = {
            "person": person_id,
            "opportunity": opportunity_id,
            "reason": reason.strip(),
            "date": day,
        }
        path = exclusions_path(casebook.root)
        if path is None:
            edits = [
                Edit(
                    casebook.root / "exclusions.yaml",
                    new_text({"exclusions": [entry]}, EXCLUSIONS_HEADER),
                    private=True,
                    fields=("exclusions",),
                )
            ]
        else:

            def add(data: Any) -> None:
                if data.get("exclusions") is None:
                    data["exclusions"] = block([entry])
                else:
                    data["exclusions"].append(block(entry))

            edits = [Edit(path, edited_text(path, add), fields=("exclusions",))]
        back = person.status == "voorgesteld"
        if back:
            check_in_order(person, day)
            note = _("declined {title}").format(title=casebook.opportunities[opportunity_id].title)
            person_path = casebook.path_of(person)
            edits.append(
                Edit(
                    person_path,
                    edited_text(
                        person_path,
                        lambda data: add_history(
                            data, history_entry("kandidaat", day, by.strip() or "-", note=note)
                        ),
                    ),
                    fields=("status", "status_history"),
                )
            )
        apply_edits(
            casebook.root,
            edits,
            actor=by,
            base_hashes=bases(casebook.path_of(person), base_hash),
        )
        return Declined(person_id, opportunity_id, reason.strip(), back)


def renewals_due(casebook: Casebook, day: dt.date, window_days: int) -> list[Agreement]:
    """Active agreements ending within ``window_days`` of ``day`` (or ended): renew or stop."""
    return agreements_ending(casebook, day, window_days)


def renew(
    root: Path | str, person_id: str, *, by: str, day: dt.date, base_hash: str | None = None
) -> Placement:
    """Extend the current agreement of an actief person by one year (same place and funder)."""
    with locked_casebook(root) as casebook:
        person = find_person(casebook, person_id)
        current = person.placement
        if person.status != "actief" or current is None:
            raise ConflictError(
                _("{id} has no running agreement to renew (status {status}).").format(
                    id=person_id, status=person.status
                )
            )
        check_in_order(person, day)
        if current.end is None:
            raise ConflictError(_("The agreement has no end date, so there is nothing to renew."))
        new_end = one_year_from(current.end + dt.timedelta(days=1))
        cap = allowance_cap(casebook, current.start, new_end)
        if cap is not None and current.allowance_per_year > cap:
            raise InvalidInputError(
                _(
                    "The allowance of € {amount} a year is above the cap of € {cap} for the "
                    "added year; lower it first."
                ).format(amount=eur(current.allowance_per_year), cap=eur(cap)),
                field="allowance_per_year",
            )
        renewed = current.model_copy(update={"end": new_end})
        check_budget(casebook, person, [*person.history()[:-1], renewed], current.sponsor)
        note = _("agreement renewed until {end}").format(end=new_end.isoformat())

        def change(data: Any) -> None:
            current_placement_node(data)["end"] = new_end
            history = data.get("status_history")
            entry = history_entry("actief", day, by.strip() or "-", note=note)
            if history is not None:
                history.append(block(entry))

        path = casebook.path_of(person)
        edit = Edit(path, edited_text(path, change), fields=("placements", "status_history"))
        apply_edits(casebook.root, [edit], actor=by, base_hashes=bases(path, base_hash))
        return renewed
