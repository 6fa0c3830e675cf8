"""The change history: "Wat is er veranderd" for the casebook, and a record's own history.

What :mod:`toolkit.casebook.history` keeps (who, when, which record, which fields; never the
values), with Dutch names for the kinds, actions and fields (the forms' labels).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Blueprint, render_template, url_for

from toolkit.casebook.editing import SETTINGS_KIND
from toolkit.casebook.history import Change, read_history
from toolkit.errors import NotFoundError
from toolkit.i18n import _
from toolkit.web.common import loaded
from toolkit.web.forms import Choices, form_fields

blueprint = Blueprint("history", __name__)

#: Each kind's record page.
RECORD_PAGE: dict[str, tuple[str, str]] = {
    "people": ("records.person", "key"),
    "opportunities": ("records.opportunity", "record_id"),
    "organisations": ("records.organisation", "record_id"),
    "sponsors": ("records.sponsor", "record_id"),
    "sessions": ("records.session", "record_id"),
}


def _root() -> Path:
    from toolkit.web.state import state

    return state().store.root


def _kind_names() -> dict[str, str]:
    return {
        "people": _("person"),
        "opportunities": _("opportunity"),
        "organisations": _("organisation"),
        "sponsors": _("sponsor"),
        "sessions": _("session"),
        "hours": _("hours"),
        SETTINGS_KIND: _("settings"),
    }


def _action_names() -> dict[str, str]:
    return {"created": _("created"), "changed": _("changed"), "imported": _("imported")}


def _field_labels(folder: str) -> dict[str, str]:
    try:
        return {f.name: f.label for f in form_fields(folder, Choices())}
    except (NotFoundError, KeyError):
        return {}  # a kind without a form (hours): its fields as the file names them


@dataclass(frozen=True)
class HistoryRow:
    when: str
    actor: str
    kind: str
    record_id: str
    href: str | None
    action: str
    fields: tuple[str, ...]


def history_rows(changes: list[Change], exists: Callable[[str, str], bool]) -> list[HistoryRow]:
    """The history newest first, with labels for the kinds, actions and fields."""
    kinds, actions = _kind_names(), _action_names()
    labels: dict[str, dict[str, str]] = {}
    rows = []
    for change in reversed(changes):
        names = labels.setdefault(change.folder, _field_labels(change.folder))
        href = None
        if change.folder in RECORD_PAGE and exists(change.folder, change.record_id):
            endpoint, argument = RECORD_PAGE[change.folder]
            arguments: dict[str, Any] = {argument: change.record_id}
            href = url_for(endpoint, **arguments)
        rows.append(
            HistoryRow(
                when=change.when.astimezone().strftime("%d-%m-%Y %H:%M"),
                actor=change.actor,
                kind=kinds.get(change.folder, change.folder),
                record_id=change.record_id,
                href=href,
                action=actions.get(change.action, change.action),
                fields=tuple(names.get(f, f) for f in change.fields),
            )
        )
    return rows


def _exists(folder: str, record_id: str) -> bool:
    casebook = loaded().casebook
    return casebook is not None and record_id in casebook.records(folder)


#: How many changes the casebook's history page shows, newest first.
HISTORY_PAGE = 500


@blueprint.route("/wijzigingen")
def changes() -> Any:
    """Wat is er veranderd: every write through the toolkit, newest first, without values."""
    everything = read_history(_root())
    rows = history_rows(everything[-HISTORY_PAGE:], _exists)
    return render_template("editing_history.html.j2", rows=rows, total=len(everything))
