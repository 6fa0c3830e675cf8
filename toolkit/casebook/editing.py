"""Saving a record: the one way forms, imports and commands change a case file.

:func:`save_record` validates the new values with the same models that validate the files, edits
the file in place with the round-trip editor (comments, key order and layout kept; a file whose
content does not change stays byte for byte the same), refuses a save made from an older version
of the file (no lost update), and writes atomically under the casebook lock, adding a line to the
change history. Problems come back per field (:class:`FieldError`), for a form to show each next
to its field.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import re
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from toolkit.casebook.casebook import SETTINGS_FILE
from toolkit.casebook.districts import unknown_district_message
from toolkit.casebook.history import LOCAL_ACTOR, Change, now, record_changes
from toolkit.casebook.hours import HoursFile
from toolkit.casebook.kinds import kind_named
from toolkit.casebook.lock import casebook_lock
from toolkit.casebook.messages import _model_at, describe, field_path, unknown_id_message
from toolkit.casebook.numbers import yaml_number_problems
from toolkit.casebook.placeholders import PLACEHOLDERS
from toolkit.casebook.records import ID_PATTERN, RECORD_TYPES, Record
from toolkit.casebook.roundtrip import load_editable, new_editable
from toolkit.casebook.settings import Settings
from toolkit.casebook.yamlfile import YamlProblem, parse_yaml
from toolkit.errors import ConflictError, InvalidInputError, NotFoundError
from toolkit.files import write_atomic
from toolkit.i18n import _

#: Every kind of file a form can edit, by folder; ``settings`` is ``casebook.yaml``.
_TYPES: tuple[type[Record], ...] = (*RECORD_TYPES, HoursFile)
EDITABLE_TYPES: dict[str, type[Record]] = {t.folder: t for t in _TYPES}
SETTINGS_KIND = "settings"
#: Kinds by their singular name as well (``person`` for ``people``).
_ALIASES: dict[str, str] = {t.record_kind: t.folder for t in _TYPES}
_PLACEHOLDER_VALUES = frozenset(PLACEHOLDERS.values())


@dataclass(frozen=True)
class FieldError:
    """One problem with one field: ``field`` as ``check`` names it (``contact.phone``,
    ``wishes.districts[2]``, counted from 1), or empty for the record as a whole."""

    field: str
    message: str


class RecordInvalidError(InvalidInputError):
    """The values do not make a valid record; nothing was written."""

    def __init__(self, path: Path, errors: Sequence[FieldError]) -> None:
        self.path = path
        self.errors = list(errors)
        lines = [_("{path} was not saved:").format(path=path)]
        lines += [f"- {e.field}: {e.message}" if e.field else f"- {e.message}" for e in errors]
        super().__init__("\n".join(lines))

    def by_field(self) -> dict[str, list[str]]:
        """The messages per field, for a form to show next to each."""
        result: dict[str, list[str]] = {}
        for error in self.errors:
            result.setdefault(error.field, []).append(error.message)
        return result


class RecordConflictError(ConflictError):
    """The file changed since the form was made from it; nothing was written.

    Carries both versions: the file as it is now (``current_text``, ``current_hash``, None if it
    no longer exists) and what the user asked for (``changes``), to show side by side.
    """

    def __init__(
        self, path: Path, current_text: str | None, current_hash: str | None, changes: Any
    ) -> None:
        self.path = path
        self.current_text = current_text
        self.current_hash = current_hash
        self.changes = changes
        if current_text is None:
            message = _("{path} was removed by someone else; nothing was saved.")
        else:
            message = _(
                "{path} was changed by someone else after you opened it; nothing was saved. "
                "Compare both versions and make your change again."
            )
        super().__init__(message.format(path=path), path=path)


@dataclass(frozen=True)
class SaveResult:
    path: Path
    record_id: str
    #: The hash of the file as it is now: the ``base_hash`` of the next save.
    hash: str
    #: Fields whose value changed, as ``check`` names them; empty if nothing changed.
    fields: tuple[str, ...]
    created: bool

    @property
    def written(self) -> bool:
        return self.created or bool(self.fields)


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def folder_of(kind: str) -> str:
    """``people`` for ``person`` or ``people``; :class:`NotFoundError` for an unknown kind."""
    named = kind_named(kind)
    folder: str = _ALIASES.get(named or kind, kind)
    if folder not in EDITABLE_TYPES and folder != SETTINGS_KIND:
        raise NotFoundError(
            _("Unknown kind '{kind}'; choose one of: {kinds}.").format(
                kind=kind, kinds=", ".join([*EDITABLE_TYPES, SETTINGS_KIND])
            )
        )
    return folder


def record_path(root: Path, kind: str, record_id: str | None) -> Path:
    folder = folder_of(kind)
    if folder == SETTINGS_KIND:
        return Path(root) / SETTINGS_FILE
    if record_id is None or not ID_PATTERN.match(record_id):
        raise InvalidInputError(
            _(
                "'{id}' is not a valid id: use lowercase letters a-z, digits and hyphens, "
                "for example jan-de-vries."
            ).format(id=record_id)
        )
    return Path(root) / folder / f"{record_id}.yaml"


def file_hash(root: Path, kind: str, record_id: str | None) -> str | None:
    """The hash of a record's file as it is now (None if it does not exist): what a form
    carries as ``base_hash``."""
    path = record_path(root, kind, record_id)
    try:
        return content_hash(path.read_bytes())
    except FileNotFoundError:
        return None


def read_settings(root: Path) -> Settings:
    """The casebook's settings, or the defaults when ``casebook.yaml`` is missing or invalid
    (the loader reports that file's own problems)."""
    path = Path(root) / SETTINGS_FILE
    try:
        document = parse_yaml(path.read_bytes(), path)
        return Settings.model_validate(dict(document.data))
    except (OSError, YamlProblem, ValidationError):
        return Settings()


def save_record(
    root: Path,
    kind: str,
    record_id: str | None,
    changes: Mapping[str, Any],
    *,
    base_hash: str | None,
    actor: str = LOCAL_ACTOR,
) -> SaveResult:
    """Apply ``changes`` to one record and save it; create the record if ``base_hash`` is None.

    ``changes`` maps field names (``name``, ``contact.phone`` or ``contact: {phone: ...}``) to
    new values as a form or a spreadsheet gives them: text is read as the file would read it
    (Dutch numbers, ``ja``/``nee``, dates as YYYY-MM-DD); None removes an optional field. Raises
    :class:`RecordInvalidError` with every problem per field, :class:`RecordConflictError` when
    the file's hash is not ``base_hash``; in both cases nothing is written.
    """
    root = Path(root)
    path = record_path(root, kind, record_id)
    folder = folder_of(kind)
    nested = _nest(changes)
    with casebook_lock(root):
        try:
            raw: bytes | None = path.read_bytes()
        except FileNotFoundError:
            raw = None
        except OSError as exc:
            raise InvalidInputError(
                _("Cannot read {path}: {reason}").format(path=path, reason=exc.strerror or exc)
            ) from exc
        current_hash = content_hash(raw) if raw is not None else None
        if current_hash != base_hash:
            text = raw.decode("utf-8", errors="replace") if raw is not None else None
            raise RecordConflictError(path, text, current_hash, dict(changes))
        result, text = _apply(root, folder, path, record_id or "", raw, nested)
        if text is None:
            return result
        write_atomic(path, text, overwrite=True)
        record_changes(
            root,
            [
                Change(
                    when=now(),
                    actor=actor,
                    folder=folder,
                    record_id=result.record_id,
                    action="created" if result.created else "changed",
                    fields=result.fields,
                )
            ],
        )
        return result


def prepare_record(
    root: Path, kind: str, record_id: str, values: Mapping[str, Any]
) -> tuple[str, list[FieldError]]:
    """The text of a new record made of ``values``, and its problems (for an import preview);
    nothing is written."""
    path = record_path(root, kind, record_id)
    try:
        _result, text = _apply(root, folder_of(kind), path, record_id, None, _nest(values))
    except RecordInvalidError as exc:
        return "", exc.errors
    assert text is not None
    return text, []


def _apply(
    root: Path,
    folder: str,
    path: Path,
    record_id: str,
    raw: bytes | None,
    changes: dict[str, Any],
) -> tuple[SaveResult, str | None]:
    """The result of a save and the new text, or None as text when nothing changes."""
    model = Settings if folder == SETTINGS_KIND else EDITABLE_TYPES[folder]
    settings = read_settings(root) if folder != SETTINGS_KIND else None
    if raw is not None:
        try:
            document = parse_yaml(raw, path)
        except YamlProblem as exc:
            # A file that no longer reads cannot be edited field by field: it needs its text.
            raise RecordInvalidError(path, [FieldError("", exc.problem.message)]) from exc
        before = dict(document.data)
        editable = load_editable(raw.decode("utf-8-sig"))
    else:
        before = {}
        editable = new_editable()
    changes = _split_lists(model, changes, ())
    after = copy.deepcopy(before)
    _merge(after, changes)
    new_model = _validate(
        model, path, record_id, after, settings, root if model is not Settings else None
    )
    old_model = _quiet_validate(model, record_id, before, settings) if raw is not None else None

    new_dump = _canonical(new_model)
    old_dump = _canonical(old_model) if old_model is not None else None
    changed: list[str] = []
    for loc, _value in _leaves(changes):
        new_value = _get(new_dump, loc)
        if old_dump is not None and _get(old_dump, loc) == new_value:
            continue
        if _is_missing(after, loc):
            if _has(before, loc):
                _delete(editable.data, loc)
                changed.append(field_path(loc))
            continue
        _set(editable.data, loc, _yaml_value(new_value, _get(after, loc)), model)
        changed.append(field_path(loc))

    text = editable.dump()
    new_hash = content_hash(text.encode("utf-8"))
    if raw is not None and (not changed or text.encode("utf-8") == raw):
        result = SaveResult(path, record_id, content_hash(raw), (), created=False)
        return result, None
    # Prove the text reads back as the record that was validated, with every check of a file.
    try:
        document = parse_yaml(text.encode("utf-8"), path)
    except YamlProblem as exc:
        raise RecordInvalidError(path, [FieldError("", exc.problem.message)]) from exc
    trapped = yaml_number_problems(document.node, path)
    if trapped:
        raise RecordInvalidError(path, [FieldError(p.field or "", p.message) for p in trapped])
    _validate(model, path, record_id, dict(document.data), settings)
    result = SaveResult(
        path, record_id, new_hash, tuple(dict.fromkeys(changed)), created=raw is None
    )
    return result, text


def _validate(
    model: type[BaseModel],
    path: Path,
    record_id: str,
    data: dict[str, Any],
    settings: Settings | None,
    root: Path | None = None,
) -> BaseModel:
    errors: list[FieldError] = []
    synonyms = settings.synonyms if settings else {}
    payload = {**data, "id": record_id} if issubclass(model, Record) else data
    validated: BaseModel | None = None
    try:
        validated = model.model_validate(payload, context={"synonyms": synonyms})
    except ValidationError as exc:
        for detail in exc.errors(include_url=False):
            errors.append(FieldError(field_path(tuple(detail["loc"])), describe(detail, model)))
    errors.extend(_placeholder_errors(data))
    if settings is not None and settings.districts:
        errors.extend(_district_errors(data, settings))
    if root is not None:
        errors.extend(_reference_errors(root, data))
    if errors or validated is None:
        raise RecordInvalidError(path, errors)
    return validated


def _quiet_validate(
    model: type[BaseModel], record_id: str, data: dict[str, Any], settings: Settings | None
) -> BaseModel | None:
    synonyms = settings.synonyms if settings else {}
    payload = {**data, "id": record_id} if issubclass(model, Record) else data
    try:
        return model.model_validate(payload, context={"synonyms": synonyms})
    except ValidationError:
        return None


def _placeholder_errors(data: Any, loc: tuple[str | int, ...] = ()) -> list[FieldError]:
    if isinstance(data, str):
        if data.strip() in _PLACEHOLDER_VALUES:
            return [
                FieldError(
                    field_path(loc),
                    _("'{value}' is an example value; fill in the real value.").format(value=data),
                )
            ]
        return []
    if isinstance(data, dict):
        return [e for k, v in data.items() for e in _placeholder_errors(v, (*loc, str(k)))]
    if isinstance(data, list):
        return [e for i, v in enumerate(data) for e in _placeholder_errors(v, (*loc, i))]
    return []


#: Fields that name another record, and the folder it must be in.
_REFERENCES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("organisation",), "organisations"),
    (("placement", "opportunity"), "opportunities"),
    (("placement", "sponsor"), "sponsors"),
)


def _reference_errors(root: Path, data: dict[str, Any]) -> list[FieldError]:
    errors = []
    for loc, folder in _REFERENCES:
        value = _get(data, loc)
        if not isinstance(value, str) or not ID_PATTERN.match(value):
            continue  # absent, or refused by the model with its own message
        if not any((root / folder / f"{value}{suffix}").is_file() for suffix in (".yaml", ".yml")):
            known = sorted(p.stem for p in (root / folder).glob("*.yaml"))
            errors.append(
                FieldError(field_path(loc), unknown_id_message(folder, value, dict.fromkeys(known)))
            )
    return errors


def _district_errors(data: dict[str, Any], settings: Settings) -> list[FieldError]:
    known = settings.districts
    found: list[tuple[tuple[str | int, ...], Any]] = [(("district",), data.get("district"))]
    wishes = data.get("wishes")
    if isinstance(wishes, dict) and isinstance(wishes.get("districts"), list):
        found += [(("wishes", "districts", i), d) for i, d in enumerate(wishes["districts"])]
    return [
        FieldError(field_path(loc), unknown_district_message(value, known))
        for loc, value in found
        if isinstance(value, str) and value not in known
    ]


# --- nested values ---------------------------------------------------------------------------

_MISSING = object()


def _nest(changes: Mapping[str, Any]) -> dict[str, Any]:
    """``{"contact.phone": x}`` as ``{"contact": {"phone": x}}``."""
    nested: dict[str, Any] = {}
    for key, value in changes.items():
        parts = str(key).split(".")
        target = nested
        for part in parts[:-1]:
            child = target.get(part)
            if not isinstance(child, dict):
                child = target[part] = {}
            target = child
        last = parts[-1]
        if isinstance(value, Mapping) and isinstance(target.get(last), dict):
            target[last].update(_nest(value))
        else:
            target[last] = _nest(value) if isinstance(value, Mapping) else value
    return nested


def _split_lists(
    model: type[BaseModel], changes: Mapping[str, Any], loc: tuple[str, ...]
) -> dict[str, Any]:
    """Text typed for a list of words (``koken, tuinieren``) as the list: forms and
    spreadsheets give one cell, the file holds a list."""
    owner = _model_at(model, list(loc)) if loc else model
    fields = {(f.alias or n): f for n, f in owner.model_fields.items()} if owner else {}
    result: dict[str, Any] = {}
    for key, value in changes.items():
        if isinstance(value, Mapping):
            result[key] = _split_lists(model, value, (*loc, key))
            continue
        info = fields.get(key)
        if (
            isinstance(value, str)
            and info is not None
            and typing.get_origin(info.annotation) is list
        ):
            value = [part.strip() for part in re.split(r"[;,\n]", value) if part.strip()]
        result[key] = value
    return result


def _merge(data: dict[str, Any], changes: Mapping[str, Any]) -> None:
    for key, value in changes.items():
        if isinstance(value, Mapping):
            child = data.get(key)
            if not isinstance(child, dict):
                child = data[key] = {}
            _merge(child, value)
            if not child:
                del data[key]
        elif value is None or (isinstance(value, str) and not value.strip()):
            # An emptied form field removes an optional field; a required one is then missing.
            data.pop(key, None)
        else:
            data[key] = value


def _leaves(
    changes: Mapping[str, Any], loc: tuple[str, ...] = ()
) -> list[tuple[tuple[str, ...], Any]]:
    found: list[tuple[tuple[str, ...], Any]] = []
    for key, value in changes.items():
        if isinstance(value, Mapping) and value:
            found.extend(_leaves(value, (*loc, key)))
        else:
            found.append(((*loc, key), value))
    return found


def _get(data: Any, loc: Sequence[str]) -> Any:
    for part in loc:
        if not isinstance(data, Mapping) or part not in data:
            return _MISSING
        data = data[part]
    return data


def _has(data: Any, loc: Sequence[str]) -> bool:
    return _get(data, loc) is not _MISSING


def _is_missing(data: Any, loc: Sequence[str]) -> bool:
    return not _has(data, loc)


def _delete(data: Any, loc: Sequence[str]) -> None:
    parents = [data]
    for part in loc[:-1]:
        data = data[part]
        parents.append(data)
    del data[loc[-1]]
    # A group left empty goes too: "contact:" with nothing under it would read as no contact.
    for depth in range(len(loc) - 1, 0, -1):
        if not parents[depth]:
            del parents[depth - 1][loc[depth - 1]]


def _canonical(model: BaseModel) -> dict[str, Any]:
    """The validated values by their file names: what a form's text means, to compare."""
    return model.model_dump(mode="python", by_alias=True, exclude={"id"})


def _yaml_value(value: Any, typed: Any) -> Any:
    """How a validated value is written: whole numbers without ``.0``, ja/nee as typed,
    lists of words on one line."""
    if isinstance(value, bool):
        if isinstance(typed, str):
            return "ja" if value else "nee"
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dict):
        mapping = CommentedMap()
        for key, item in value.items():
            if item is None or item == [] or item == "":
                continue
            sub = typed.get(key) if isinstance(typed, Mapping) else None
            mapping[key] = _yaml_value(item, sub)
        return mapping
    if isinstance(value, (list, tuple)):
        typed_items = typed if isinstance(typed, list) else []
        items = [
            _yaml_value(v, typed_items[i] if i < len(typed_items) else None)
            for i, v in enumerate(value)
        ]
        sequence = CommentedSeq(items)
        if all(not isinstance(item, (dict, list)) for item in items):
            sequence.fa.set_flow_style()
        return sequence
    return value


def _order(model: type[BaseModel], loc: Sequence[str]) -> list[str]:
    """The keys of the group at ``loc`` in the model's order, to place a new key among them."""
    owner = _model_at(model, list(loc[:-1])) if len(loc) > 1 else model
    if owner is None:
        return []
    return [(f.alias or n) for n, f in owner.model_fields.items() if n != "id"]


def _set(data: Any, loc: Sequence[str], value: Any, model: type[BaseModel]) -> None:
    target = data
    for depth, part in enumerate(loc[:-1]):
        child = target.get(part)
        if not isinstance(child, dict):
            child = CommentedMap()
            _insert(target, part, child, _order(model, loc[: depth + 1]))
        target = child
    order = _order(model, loc)
    key = loc[-1]
    existing = target.get(key, _MISSING)
    if isinstance(existing, CommentedSeq) and isinstance(value, list):
        # In place, so the list keeps its style ([a, b] or one item per line) and comments.
        del existing[:]
        existing.extend(value)
        return
    if key in target:
        target[key] = value
    else:
        _insert(target, key, value, order)


def _insert(target: Any, key: str, value: Any, order: list[str]) -> None:
    """Add ``key`` after the last key that comes before it in the model, else at the end."""
    if isinstance(target, CommentedMap) and key in order:
        earlier = set(order[: order.index(key)])
        keys = list(target.keys())
        position = 0
        for index, existing in enumerate(keys):
            if existing in earlier:
                position = index + 1
        if position < len(keys):
            target.insert(position, key, value)
            return
    target[key] = value
