"""The path of a person: aanmelding → intake → kandidaat → voorgesteld → actief → gestopt.

Every step is a row of :data:`TRANSITIONS`; a step not in the table is refused with a message
that says which steps are possible from where the person stands. Two steps are special:

- *to actief* only by recording a placement (:mod:`toolkit.casebook.placements`): the person
  chooses, so nobody becomes actief without that explicit step;
- *to gestopt* needs a reason from :data:`~toolkit.casebook.records.STOP_REASONS` (and may carry
  free text); leaving actief ends the current placement on the day of the step.

A person who stopped, or who wants another place, goes back to kandidaat.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from toolkit.casebook.casebook import Casebook
from toolkit.casebook.messages import unknown_id_message
from toolkit.casebook.records import STATUSES, STOP_REASONS, Person, StatusChange
from toolkit.casebook.year_edits import (
    Edit,
    apply_edits,
    bases,
    block,
    edited_text,
    insert_after,
    locked_casebook,
)
from toolkit.errors import ConflictError, InvalidInputError, NotFoundError
from toolkit.i18n import _

#: Allowed steps: from a status, the statuses it may go to by :func:`set_status`.
TRANSITIONS: dict[str, frozenset[str]] = {
    "aanmelding": frozenset({"intake", "gestopt"}),
    "intake": frozenset({"kandidaat", "gestopt"}),
    "kandidaat": frozenset({"voorgesteld", "gestopt"}),
    "voorgesteld": frozenset({"kandidaat", "gestopt"}),
    "actief": frozenset({"kandidaat", "gestopt"}),
    "gestopt": frozenset({"kandidaat"}),
}
#: The statuses from which a placement may be recorded (from actief: a switch of place).
PLACEABLE: frozenset[str] = frozenset({"kandidaat", "voorgesteld", "actief"})


def status_label(status: str) -> str:
    labels = {
        "aanmelding": _("registered"),
        "intake": _("intake"),
        "kandidaat": _("candidate"),
        "voorgesteld": _("proposed"),
        "actief": _("active"),
        "gestopt": _("stopped"),
    }
    return labels.get(status, status)


def reason_label(reason: str) -> str:
    labels = {
        "betaald-werk": _("found paid work"),
        "opleiding": _("started an education"),
        "gezondheid": _("health"),
        "verhuisd": _("moved away"),
        "past-niet": _("the place did not fit"),
        "eigen-keuze": _("own choice"),
        "anders": _("other reason"),
    }
    return labels.get(reason, reason)


def next_steps(status: str) -> list[str]:
    """The statuses a person may go to from ``status`` by a status step, in path order (a page
    offers these; actief is reached by recording a placement instead)."""
    return sorted(TRANSITIONS.get(status, frozenset()), key=STATUSES.index)


def transition_refusal(current: str, new: str, reason: str | None) -> str | None:
    """Why the step from ``current`` to ``new`` is refused, or None when it is allowed."""
    if new not in STATUSES:
        return _("'{status}' is not a status; choose one of: {statuses}.").format(
            status=new, statuses=", ".join(STATUSES)
        )
    if new == current:
        return _("The person already has the status {status}.").format(status=new)
    if new == "actief":
        return _(
            "A person becomes actief only when a placement is recorded (the person accepted a "
            "proposed place); record the placement instead."
        )
    if new not in TRANSITIONS.get(current, frozenset()):
        allowed = sorted(TRANSITIONS.get(current, frozenset()), key=STATUSES.index)
        if current in PLACEABLE and current != "actief":
            allowed.append("actief")
        return _("From {current} the next step is {allowed}, not {new}.").format(
            current=current, allowed=_(" or ").join(allowed), new=new
        )
    if new == "gestopt" and reason is None:
        return _("Give the reason for stopping, one of: {reasons}.").format(
            reasons=", ".join(STOP_REASONS)
        )
    if reason is not None and reason not in STOP_REASONS:
        return _("'{reason}' is not a reason for stopping; choose one of: {reasons}.").format(
            reason=reason, reasons=", ".join(STOP_REASONS)
        )
    if reason is not None and new != "gestopt":
        return _("A reason from the list belongs only to stopping; write other reasons as a note.")
    return None


def transition_table() -> list[tuple[str, str, str | None]]:
    """Every pair of statuses with the reason it is refused (None: allowed), for docs and pages.

    Stopping is shown with a reason given, so the row says whether the step itself is allowed.
    """
    return [
        (current, new, transition_refusal(current, new, "anders" if new == "gestopt" else None))
        for current in STATUSES
        for new in STATUSES
    ]


def find_person(casebook: Casebook, person_id: str) -> Person:
    try:
        return casebook.people[person_id]
    except KeyError:
        raise NotFoundError(unknown_id_message("people", person_id, casebook.people)) from None


@dataclass(frozen=True)
class StatusStep:
    """A status change as written, and the placement end it set (when leaving actief)."""

    person_id: str
    change: StatusChange
    ended_placement_on: dt.date | None


def check_in_order(person: Person, day: dt.date) -> None:
    """Refuse a step dated before the person's last recorded step: the path is kept in order."""
    if person.status_history and day < person.status_history[-1].date:
        raise InvalidInputError(
            _(
                "The date {day} lies before the last step on the path ({last}); steps are "
                "recorded in the order they happen."
            ).format(day=day.isoformat(), last=person.status_history[-1].date.isoformat()),
            field="day",
        )


def history_entry(
    status: str, day: dt.date, by: str, reason: str | None = None, note: str = ""
) -> dict[str, Any]:
    entry: dict[str, Any] = {"status": status, "date": day, "by": by}
    if reason is not None:
        entry["reason"] = reason
    if note:
        entry["note"] = note
    return entry


def add_history(data: Any, entry: dict[str, Any]) -> None:
    """Set ``status`` and append ``entry`` to ``status_history`` in a person's round-trip data."""
    insert_after(
        data, ("needs", "avoid_sectors", "values", "availability"), "status", entry["status"]
    )
    history = data.get("status_history")
    if history is None:
        insert_after(data, ("status",), "status_history", block([entry]))
    else:
        history.append(block(entry))


def current_placement_node(data: Any) -> Any:
    """The mapping of the current placement in a person's round-trip data (None if none)."""
    if data.get("placements"):
        return data["placements"][-1]
    return data.get("placement")


def set_status(
    root: Path | str,
    person_id: str,
    status: str,
    *,
    by: str,
    day: dt.date,
    reason: str | None = None,
    note: str = "",
    base_hash: str | None = None,
) -> StatusStep:
    """Take one step on ``person_id``'s path and write it, with the date and who set it.

    ``base_hash``: the hash of the person's file the form was made from (None: not checked).
    """
    if not by.strip():
        raise InvalidInputError(_("Say who sets the status."), field="by")
    with locked_casebook(root) as casebook:
        person = find_person(casebook, person_id)
        refusal = transition_refusal(person.status, status, reason)
        if refusal is not None:
            if status not in STATUSES:
                raise InvalidInputError(refusal, field="status")
            step_alone = transition_refusal(
                person.status, status, "anders" if status == "gestopt" else None
            )
            if step_alone is None:  # the step is allowed; the reason is what is wrong
                raise InvalidInputError(refusal, field="reason")
            raise ConflictError(refusal)
        check_in_order(person, day)
        ended: dt.date | None = None
        placement = person.placement
        if person.status == "actief" and placement is not None:
            if day < placement.start:
                raise InvalidInputError(
                    _(
                        "The placement starts on {start}, after {day}; a person cannot leave a "
                        "place before starting there."
                    ).format(start=placement.start.isoformat(), day=day.isoformat()),
                    field="day",
                )
            if placement.end is None or placement.end > day:
                ended = day
        entry = history_entry(status, day, by.strip(), reason, note.strip())

        def change(data: Any) -> None:
            add_history(data, entry)
            if ended is not None:
                current_placement_node(data)["end"] = ended

        path = casebook.path_of(person)
        fields = ("status", "status_history") + (("placements",) if ended else ())
        after = apply_edits(
            casebook.root,
            [Edit(path, edited_text(path, change), fields=fields)],
            actor=by,
            base_hashes=bases(path, base_hash),
        )
        written = after.people[person_id].status_history[-1]
        return StatusStep(person_id, written, ended)
