"""Creating and editing records in the browser, and the change history.

The forms come from :mod:`toolkit.web.forms`; saving is :func:`toolkit.casebook.editing.
save_record`, which validates with the models, edits the file with the round-trip editor, writes
under the casebook lock and adds a line to the change history. Every form carries the hash of
the file it was made from: a save from an older version is refused (409) with both versions
shown, so nobody overwrites a change they have not seen. A refused save shows the form again
(400) with everything typed and each problem beside its field.

The coordinator may create and edit every kind; a secretaris only sessions (whose form holds no
people: a session's dialogue tables, which name cases, are not part of it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Blueprint, abort, g, redirect, render_template, request, url_for

from toolkit.casebook.editing import (
    SETTINGS_KIND,
    RecordConflictError,
    RecordInvalidError,
    content_hash,
    prepare_record,
    read_settings,
    record_path,
    save_record,
)
from toolkit.casebook.history import LOCAL_ACTOR, read_history
from toolkit.casebook.importing import unique_id
from toolkit.casebook.viewlog import record_view
from toolkit.casebook.yamlfile import YamlProblem, parse_yaml
from toolkit.errors import InvalidInputError
from toolkit.i18n import _
from toolkit.web import permissions
from toolkit.web.common import loaded
from toolkit.web.forms import (
    NAME_FIELD,
    Choices,
    FormField,
    FormValues,
    changes_from_values,
    form_fields,
    place_errors,
    values_from_data,
    values_from_form,
)
from toolkit.web.history import RECORD_PAGE, history_rows

blueprint = Blueprint("editing", __name__)

#: The kinds in addresses, as the lists name them, and their folders.
FOLDER_OF_ADDRESS: dict[str, str] = {
    "mensen": "people",
    "plekken": "opportunities",
    "organisaties": "organisations",
    "sponsors": "sponsors",
}
ADDRESS_OF_FOLDER = {folder: address for address, folder in FOLDER_OF_ADDRESS.items()}
#: Each kind's list page.
LIST_PAGE: dict[str, str] = {f"records.{folder}": folder for folder in RECORD_PAGE}


def _titles() -> dict[str, tuple[str, str]]:
    """(new, edit) page titles per kind."""
    return {
        "people": (_("New person"), _("Edit person")),
        "opportunities": (_("New opportunity"), _("Edit opportunity")),
        "organisations": (_("New organisation"), _("Edit organisation")),
        "sponsors": (_("New sponsor"), _("Edit sponsor")),
        "sessions": (_("New session"), _("Edit session")),
        SETTINGS_KIND: (_("Casebook settings"), _("Casebook settings")),
    }


def _root() -> Path:
    from toolkit.web.state import state

    return state().store.root


def _actor() -> str:
    """Who the change history names: the account, or "lokaal" without accounts."""
    from toolkit.web.state import state

    return str(g.user) if state().use_accounts and g.get("user") else LOCAL_ACTOR


def _folder(address: str) -> str:
    folder = FOLDER_OF_ADDRESS.get(address)
    if folder is None:
        abort(404)
    return folder


# --- the form's context ---------------------------------------------------------------------


def _choices(root: Path, folder: str) -> Choices:
    settings = read_settings(root)
    # Only an opportunity's form needs the loaded casebook (its organisations): a save of any
    # other kind does not wait for the casebook to be read again.
    casebook = loaded().casebook if folder == "opportunities" else None
    if casebook is not None:
        organisations = tuple(
            (o.id, f"{o.name} ({o.id})")
            for o in sorted(casebook.organisations.values(), key=lambda o: o.name.casefold())
        )
    else:
        organisations = ()
    return Choices(districts=tuple(settings.districts), organisations=organisations)


def _vocabularies(fields: list[FormField]) -> dict[str, list[str]]:
    """The tags already in the casebook (after synonyms: as loaded), for the fields shown."""
    wanted = {f.vocabulary for f in fields if f.vocabulary}
    casebook = loaded().casebook
    if not wanted or casebook is None:
        return {}
    words: dict[str, set[str]] = {name: set() for name in wanted}

    def add(name: str, values: Any) -> None:
        if name in words:
            words[name].update(v for v in values if v)

    for p in casebook.people.values():
        add("talents", p.talents)
        add("causes", p.wishes.causes)
        add("values", p.values)
        add("needs", p.needs)
        add("sectors", p.avoid_sectors)
    for o in casebook.opportunities.values():
        add("talents", [*o.talents_required, *o.talents_desired])
        add("causes", o.causes)
        add("needs", [*o.offers, *o.requires])
    for s in casebook.sponsors.values():
        add("values", s.values)
        add("sectors", [s.sector_tag])
    return {name: sorted(found) for name, found in words.items()}


def _render(
    folder: str,
    record_id: str | None,
    values: FormValues,
    base_hash: str | None,
    *,
    action: str,
    cancel: str,
    errors: Mapping[str, list[str]] | None = None,
    general: list[str] | None = None,
    status: int = 200,
) -> Any:
    fields = form_fields(folder, _choices(_root(), folder))
    new_title, edit_title = _titles()[folder]
    return (
        render_template(
            "editing_form.html.j2",
            title=edit_title if base_hash is not None else new_title,
            record_id=record_id,
            fields=fields,
            values=values,
            base_hash=base_hash or "",
            errors=errors or {},
            general=general or [],
            vocabularies=_vocabularies(fields),
            action=action,
            cancel=cancel,
        ),
        status,
    )


def _read(path: Path) -> tuple[bytes | None, dict[str, Any]]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, {}
    try:
        return raw, dict(parse_yaml(raw, path).data)
    except YamlProblem as exc:
        raise InvalidInputError(
            _("{path} cannot be read, so it cannot be edited in a form: {problem}").format(
                path=path.name, problem=exc.problem.message
            )
        ) from exc


def _record_url(folder: str, record_id: str | None) -> str:
    if folder == SETTINGS_KIND or record_id is None:
        return url_for("editing.settings")
    endpoint, argument = RECORD_PAGE[folder]
    arguments: dict[str, Any] = {argument: record_id}
    return url_for(endpoint, **arguments)


# --- the views ------------------------------------------------------------------------------


def _edit_page(folder: str, record_id: str | None, action: str) -> Any:
    root = _root()
    path = record_path(root, folder, record_id)
    raw, data = _read(path)
    if raw is None and folder != SETTINGS_KIND:
        abort(404)
    if folder == "people" and record_id is not None:
        # The form shows everything the person's page shows: the access log records it alike.
        record_view(root, g.user, g.role, record_id, dt.datetime.now())
    fields = form_fields(folder, _choices(root, folder))
    cancel = _record_url(folder, record_id) if folder != SETTINGS_KIND else url_for("main.home")
    return _render(
        folder,
        record_id,
        values_from_data(fields, data),
        # "-": no casebook.yaml yet; saving makes it.
        content_hash(raw) if raw is not None else "-",
        action=action,
        cancel=cancel,
    )


def _save(folder: str, record_id: str | None, *, creating: bool, action: str, cancel: str) -> Any:
    root = _root()
    fields = form_fields(folder, _choices(root, folder))
    values = values_from_form(fields, request.form)
    base = request.form.get("base_hash", "")
    # "-" (or nothing): the file did not exist when the form was made; a save then makes it,
    # and is refused if someone else made it in the meantime.
    base_hash = None if creating or base in ("", "-") else base
    changes, own_errors = changes_from_values(fields, values)
    if creating:
        name = str(values.get(NAME_FIELD[folder], ""))
        record_id = unique_id(name, _taken(root / folder))

    def again(errors: Mapping[str, list[str]], general: list[str]) -> Any:
        return _render(
            folder,
            None if creating else record_id,
            values,
            None if creating else base,
            action=action,
            cancel=cancel,
            errors=errors,
            general=general,
            status=400,
        )

    if own_errors:
        # Show the models' view of the other fields as well, so that one round of corrections
        # is enough; nothing is written.
        _raw, data = (None, {}) if creating else _read(record_path(root, folder, record_id))
        _text, problems = prepare_record(root, folder, record_id or "", {**data, **changes})
        by_field: dict[str, list[str]] = {}
        for problem in problems:
            by_field.setdefault(problem.field, []).append(problem.message)
        placed, general = place_errors(fields, by_field)
        return again({**placed, **own_errors}, general)
    try:
        result = save_record(root, folder, record_id, changes, base_hash=base_hash, actor=_actor())
    except RecordInvalidError as exc:
        return again(*place_errors(fields, exc.by_field()))
    except RecordConflictError as exc:
        return _conflict(folder, record_id, fields, values, exc, creating=creating)
    target = _record_url(folder, result.record_id)
    return redirect(f"{target}?opgeslagen={'nieuw' if result.created else '1'}")


def _taken(folder: Path) -> set[str]:
    if not folder.is_dir():
        return set()
    return {p.stem for p in folder.iterdir() if p.suffix in (".yaml", ".yml")}


def _conflict(
    folder: str,
    record_id: str | None,
    fields: list[FormField],
    typed: FormValues,
    exc: RecordConflictError,
    *,
    creating: bool,
) -> Any:
    """Both versions side by side, field by field: the file now and what was typed."""
    current: FormValues | None = None
    if exc.current_text is not None:
        try:
            data = dict(parse_yaml(exc.current_text.encode("utf-8"), Path(exc.path or "")).data)
            current = values_from_data(fields, data)
        except YamlProblem:
            current = None
    rows = [
        (f, _text(current.get(f.name)) if current is not None else "", _text(typed.get(f.name)))
        for f in fields
    ]
    if folder == SETTINGS_KIND:
        again = url_for("editing.settings")
    elif folder == "sessions":
        again = url_for("editing.edit_session", record_id=record_id)
    else:
        again = url_for("editing.edit_record", kind=ADDRESS_OF_FOLDER[folder], record_id=record_id)
    return (
        render_template(
            "editing_conflict.html.j2",
            rows=rows,
            removed=exc.current_text is None,
            exists_now=creating,
            # The raw file only for who may see everything in it (a session file names cases).
            raw=exc.current_text if permissions.can(g.get("role"), "people.private") else None,
            again=again if exc.current_text is not None and not creating else None,
            record_id=record_id,
        ),
        409,
    )


def _text(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


@blueprint.route("/bewerken/<kind>/nieuw")
def new_record(kind: str) -> Any:
    folder = _folder(kind)
    return _render(
        folder,
        None,
        {},
        None,
        action=url_for("editing.create_record", kind=kind),
        cancel=url_for(f"records.{folder}"),
    )


@blueprint.route("/bewerken/<kind>/nieuw", methods=["POST"])
def create_record(kind: str) -> Any:
    folder = _folder(kind)
    return _save(
        folder,
        None,
        creating=True,
        action=url_for("editing.create_record", kind=kind),
        cancel=url_for(f"records.{folder}"),
    )


@blueprint.route("/bewerken/<kind>/<record_id>")
def edit_record(kind: str, record_id: str) -> Any:
    folder = _folder(kind)
    return _edit_page(
        folder, record_id, url_for("editing.save_record_form", kind=kind, record_id=record_id)
    )


@blueprint.route("/bewerken/<kind>/<record_id>", methods=["POST"])
def save_record_form(kind: str, record_id: str) -> Any:
    folder = _folder(kind)
    return _save(
        folder,
        record_id,
        creating=False,
        action=url_for("editing.save_record_form", kind=kind, record_id=record_id),
        cancel=_record_url(folder, record_id),
    )


@blueprint.route("/bewerken/bijeenkomsten/nieuw")
def new_session() -> Any:
    return _render(
        "sessions",
        None,
        {},
        None,
        action=url_for("editing.create_session"),
        cancel=url_for("records.sessions"),
    )


@blueprint.route("/bewerken/bijeenkomsten/nieuw", methods=["POST"])
def create_session() -> Any:
    return _save(
        "sessions",
        None,
        creating=True,
        action=url_for("editing.create_session"),
        cancel=url_for("records.sessions"),
    )


@blueprint.route("/bewerken/bijeenkomsten/<record_id>")
def edit_session(record_id: str) -> Any:
    return _edit_page("sessions", record_id, url_for("editing.save_session", record_id=record_id))


@blueprint.route("/bewerken/bijeenkomsten/<record_id>", methods=["POST"])
def save_session(record_id: str) -> Any:
    return _save(
        "sessions",
        record_id,
        creating=False,
        action=url_for("editing.save_session", record_id=record_id),
        cancel=_record_url("sessions", record_id),
    )


@blueprint.route("/instellingen")
def settings() -> Any:
    return _edit_page(SETTINGS_KIND, None, url_for("editing.save_settings"))


@blueprint.route("/instellingen", methods=["POST"])
def save_settings() -> Any:
    return _save(
        SETTINGS_KIND,
        None,
        creating=False,
        action=url_for("editing.save_settings"),
        cancel=url_for("main.home"),
    )


# --- what the record and list pages show ----------------------------------------------------


def _may(endpoint: str) -> bool:
    return permissions.allowed(endpoint, g.get("role"))


def page_actions() -> dict[str, Any]:
    """For the partial on the record and list pages: the new and edit buttons this role may
    use, a saved notice, and the record's history."""
    endpoint = request.endpoint or ""
    args = request.view_args or {}
    found: dict[str, Any] = {"new": None, "edit": None, "history": None, "saved": None}
    folder = LIST_PAGE.get(endpoint)
    if folder is not None:
        found["new_label"] = _titles()[folder][0]
        if folder == "sessions" and _may("editing.new_session"):
            found["new"] = url_for("editing.new_session")
        elif folder != "sessions" and _may("editing.new_record"):
            found["new"] = url_for("editing.new_record", kind=ADDRESS_OF_FOLDER[folder])
        return found
    for kind, (page, argument) in RECORD_PAGE.items():
        if page != endpoint or argument not in args:
            continue
        record_id = str(args[argument])
        if kind == "people" and not permissions.can(g.get("role"), "people.private"):
            return found  # the key is a pseudonym: no edit, no history
        if kind == "sessions":
            may = _may("editing.edit_session")
            edit = url_for("editing.edit_session", record_id=record_id) if may else None
        else:
            may = _may("editing.edit_record")
            address = ADDRESS_OF_FOLDER[kind]
            edit = (
                url_for("editing.edit_record", kind=address, record_id=record_id) if may else None
            )
        if may:
            found["edit"] = edit
            found["history"] = history_rows(
                read_history(_root(), folder=kind, record_id=record_id), lambda f, i: False
            )
            found["saved"] = request.args.get("opgeslagen")
    return found


@blueprint.app_context_processor
def _context() -> dict[str, Any]:
    return {"editing_actions": page_actions, "may": _may}
