"""Forms for the records, derived from the models that validate the files.

Each field of a record's model becomes a form field by its type: an enumeration a choice, a list
of enumerations a set of check boxes, tags a text with suggestions, a date a date field, an
amount or a number of hours a text read the Dutch way (:func:`~toolkit.casebook.numbers.
parse_number`), a district a choice from the casebook's districts. Labels come from the
spreadsheet columns where they exist (one Dutch name per field), help from the comments of the
starter files (:mod:`toolkit.casebook.field_help`). The models still decide what is valid: this
module only turns the form into the values :func:`~toolkit.casebook.editing.save_record` takes,
and the file back into what the form shows.
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel

from toolkit.casebook.columns import COLUMNS
from toolkit.casebook.editing import SETTINGS_KIND, folder_of
from toolkit.casebook.field_help import help_for
from toolkit.casebook.numbers import AMOUNT_KEYS, NumberKind, parse_number, plain
from toolkit.casebook.records import RECORD_TYPE_BY_FOLDER, Tags
from toolkit.casebook.settings import Settings
from toolkit.errors import InvalidInputError
from toolkit.i18n import _

Widget = Literal["text", "textarea", "select", "checks", "date", "number", "tags", "flag"]

#: Fields a form leaves as they are in the file: lists of parts with their own structure,
#: edited elsewhere (placements and hours on the year pages, a session's tables and actions in
#: the verslag), or settings that are not typed in a form (coordinates, the pseudonym salt,
#: whose change would rename everyone).
EXCLUDED: dict[str, frozenset[str]] = {
    # A person's status moves only along the path (toolkit.casebook.path: allowed steps, each
    # recorded in status_history), never by a choice in a form; a person's own contact has no
    # contact person (the field is there for organisations).
    "people": frozenset({"placement", "placements", "status", "status_history", "contact.name"}),
    "sessions": frozenset(
        {"programme", "tables", "questions", "actions", "decisions", "next", "recording"}
    ),
    SETTINGS_KIND: frozenset({"districts", "synonyms", "pseudonym_salt"}),
}

#: The field a new record's id is made from.
NAME_FIELD: dict[str, str] = {
    "people": "name",
    "opportunities": "title",
    "organisations": "name",
    "sponsors": "name",
    "sessions": "title",
}

#: The consent check box: consent is given by ticking it, never by a default.
CONSENT_GIVEN = "consent.given"
CONSENT_DATE = "consent.data"

#: Which suggestions a tag field gets: fields that share words share a list.
VOCABULARY: dict[str, str] = {
    "talents": "talents",
    "talents_required": "talents",
    "talents_desired": "talents",
    "causes": "causes",
    "wishes.causes": "causes",
    "values": "values",
    "needs": "needs",
    "offers": "needs",
    "requires": "needs",
    "avoid_sectors": "sectors",
    "sector": "sectors",
}


def _labels() -> dict[str, str]:
    """Labels of fields without a spreadsheet column (sessions, settings, consent)."""
    return {
        "consent.given": _("Consent for the processing of data given"),
        "consent.data": _("Date consent was given"),
        "contact.name": _("Contact person"),
        "kind": _("Kind"),
        "number": _("Number"),
        "title": _("Title"),
        "date": _("Date"),
        "time": _("Time"),
        "venue": _("Venue"),
        "organiser": _("Organiser"),
        "prepared_with": _("Prepared with"),
        "purpose": _("Purpose"),
        "introduction": _("Introduction"),
        "programme_introduction": _("Introduction to the programme"),
        "chair": _("Chair"),
        "secretary": _("Secretary"),
        "status": _("Status"),
        "attendance.total": _("Number of participants"),
        "attendance.groups": _("Groups represented"),
        "attendance.description": _("About the participants"),
        "closing": _("Closing"),
        "informal": _("Informal part"),
        "niet_persoon": _("Words that are not a person"),
        "name": _("Name"),
        "rules_year": _("Year of the rules"),
        "weights.talents": _("Weight of talents"),
        "weights.wishes": _("Weight of wishes"),
        "weights.values": _("Weight of values"),
        "sroi_credit_per_year": _("SROI credit per burgerbaan-year (€)"),
        "overhead_per_year": _("Overhead per burgerbaan-year (€)"),
        "allowance_caps.per_hour_21_plus": _("Maximum allowance per hour, 21 and older (€)"),
        "allowance_caps.per_hour_under_21": _("Maximum allowance per hour, under 21 (€)"),
        "allowance_caps.per_month": _("Maximum allowance per month (€)"),
        "allowance_caps.per_year": _("Maximum allowance per year (€)"),
        "retention_months": _("Keep data of people who stopped for (months)"),
    }


def _settings_help() -> dict[str, str]:
    return {
        "rules_year": _("The year whose rule figures apply; empty: the current year."),
        "weights.talents": _("How much talents count in the fit; the weights need not sum to 1."),
        "niet_persoon": _("Single name parts that are ordinary words here."),
        "retention_months": _("After how many months the data of someone who stopped is removed."),
    }


@dataclass(frozen=True)
class FormField:
    """One field of a form: ``name`` is the field as ``check`` names it (``contact.phone``)."""

    name: str
    label: str
    help: str
    widget: Widget
    required: bool = False
    choices: tuple[tuple[str, str], ...] = ()
    number_kind: NumberKind | None = None
    integer: bool = False
    vocabulary: str | None = None

    @property
    def html_id(self) -> str:
        return "f-" + re.sub(r"[^a-z0-9]+", "-", self.name)


@dataclass(frozen=True)
class Choices:
    """What the casebook offers to choose from: districts, organisations, tags."""

    districts: tuple[str, ...] = ()
    organisations: tuple[tuple[str, str], ...] = ()


def model_of(folder: str) -> type[BaseModel]:
    return Settings if folder == SETTINGS_KIND else RECORD_TYPE_BY_FOLDER[folder]


def form_fields(kind: str, choices: Choices) -> list[FormField]:
    """The form of ``kind`` (a folder, or ``settings``), in the order of the model."""
    folder = folder_of(kind)
    model = model_of(folder)
    labels = {c.field: c.header for c in COLUMNS.get(folder, ())}
    fallback = _labels()
    starter = getattr(model, "record_kind", "")
    extra_help = _settings_help() if folder == SETTINGS_KIND else {}

    def describe(path: str) -> tuple[str, str]:
        label = labels.get(path) or fallback.get(path) or path
        return label, extra_help.get(path) or help_for(starter, path)

    fields: list[FormField] = []
    for path, info, required in _walk(model, "", EXCLUDED.get(folder, frozenset())):
        label, help_text = describe(path)
        field = _field(path, info, label, help_text, required, choices)
        if field is None:
            continue
        if path == CONSENT_DATE:
            given_label, _unused = describe(CONSENT_GIVEN)
            fields.append(FormField(CONSENT_GIVEN, given_label, "", "flag"))
        fields.append(field)
    return fields


def _walk(
    model: type[BaseModel], prefix: str, excluded: frozenset[str], required: bool = True
) -> list[tuple[str, Any, bool]]:
    found: list[tuple[str, Any, bool]] = []
    for name, info in model.model_fields.items():
        if name == "id":
            continue
        path = prefix + (info.alias or name)
        if path in excluded:
            continue
        annotation = _without_none(info.annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            found += _walk(annotation, path + ".", excluded, required and info.is_required())
            continue
        found.append((path, info, required and info.is_required()))
    return found


def _without_none(annotation: Any) -> Any:
    """The type of an optional field, without its validators (``Amount | None`` is float)."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            annotation = args[0]
    if typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def _field(
    path: str, info: Any, label: str, help_text: str, required: bool, choices: Choices
) -> FormField | None:
    annotation = _without_none(info.annotation)
    origin = typing.get_origin(annotation)
    key = path.rsplit(".", 1)[-1]

    def make(widget: Widget, **extra: Any) -> FormField:
        return FormField(
            name=path, label=label, help=help_text, widget=widget, required=required, **extra
        )

    if key in ("district", "districts") and choices.districts:
        options = tuple((d, d) for d in choices.districts)
        return make("checks" if origin is list else "select", choices=options)
    if path == "organisation" and choices.organisations:
        return make("select", choices=choices.organisations)
    if origin is Literal:
        return make("select", choices=_pairs(typing.get_args(annotation)))
    if origin is list:
        (item,) = typing.get_args(annotation)
        if typing.get_origin(item) is Literal:
            return make("checks", choices=_pairs(typing.get_args(item)))
        if item is not str:
            return None  # a list of parts: not a form field (see EXCLUDED)
        is_tags = any(m in typing.get_args(Tags)[1:] for m in info.metadata)
        return make("tags", vocabulary=VOCABULARY.get(path) if is_tags else None)
    if annotation is dt.date:
        return make("date")
    if annotation is bool:
        return make("flag")
    if annotation in (int, float):
        kind: NumberKind = (
            "amount"
            if key in AMOUNT_KEYS
            else "hours"
            if "hours" in path or key in ("min", "max")
            else "number"
        )
        return make("number", number_kind=kind, integer=annotation is int)
    if annotation is str:
        long_text = info.default == "" and not info.is_required()
        if long_text:
            return make("textarea")
        return make("text", vocabulary=VOCABULARY.get(path))
    return None  # a mapping (coordinates, synonyms): not typed in a form


def _pairs(values: Sequence[Any]) -> tuple[tuple[str, str], ...]:
    return tuple((str(v), str(v)) for v in values)


# --- from the file to the form ------------------------------------------------------------------

FormValues = dict[str, Any]


def values_from_data(fields: Sequence[FormField], data: Mapping[str, Any]) -> FormValues:
    """What the form shows for a file's data: lists as text, ja/nee, dates as YYYY-MM-DD,
    numbers the Dutch way."""
    values: FormValues = {}
    for field in fields:
        if field.name == CONSENT_GIVEN:
            values[field.name] = "ja" if _at(data, CONSENT_DATE) not in (None, "") else ""
            continue
        value = _at(data, field.name)
        values[field.name] = _shown(field, value)
    return values


def _shown(field: FormField, value: Any) -> Any:
    if field.widget == "checks":
        return [str(v) for v in value] if isinstance(value, list) else []
    if value is None:
        return ""
    if field.widget == "tags":
        return ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
    if field.widget == "flag":
        if isinstance(value, bool):
            return "ja" if value else "nee"
        return str(value).strip().lower()
    if field.widget == "date" and isinstance(value, dt.date):
        return value.isoformat()
    if field.widget == "number" and isinstance(value, (int, float)) and not isinstance(value, bool):
        if field.integer and field.number_kind != "amount":
            return str(value)
        return dutch_number(value, group=field.number_kind == "amount")
    return str(value)


def dutch_number(value: float | int, *, group: bool = False) -> str:
    """``value`` written the Dutch way, every decimal kept (``0,3333``; ``50.000`` with
    ``group``), so that :func:`parse_number` reads back exactly the number in the file."""
    exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    sign = "-" if exact < 0 else ""
    whole, _dot, fraction = format(abs(exact), "f").partition(".")
    fraction = fraction.rstrip("0")
    if group:
        whole = f"{int(whole):,}".replace(",", ".")
    if len(fraction) == 3 and len(whole) <= 3:
        # "1,234" reads as a thousand or as one: parse_number refuses it. A last zero is
        # the same number and reads one way only.
        fraction += "0"
    return sign + whole + ("," + fraction if fraction else "")


def _at(data: Any, path: str) -> Any:
    for part in path.split("."):
        if not isinstance(data, Mapping):
            return None
        data = data.get(part)
    return data


# --- from the form to the changes ---------------------------------------------------------------


def values_from_form(fields: Sequence[FormField], form: Any) -> FormValues:
    """What was typed, as the form shows it again when a save is refused."""
    values: FormValues = {}
    for field in fields:
        if field.widget == "checks":
            values[field.name] = [v for v in form.getlist(field.name) if isinstance(v, str)]
        else:
            # Browsers send the line breaks of a text area as CR LF; the files have LF.
            text = str(form.get(field.name, ""))
            values[field.name] = text.replace("\r\n", "\n").replace("\r", "\n")
    return values


def changes_from_values(
    fields: Sequence[FormField], values: FormValues
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """The changes for :func:`save_record` and the problems found before the models look."""
    changes: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for field in fields:
        if field.name == CONSENT_GIVEN:
            continue
        value = values.get(field.name, [] if field.widget == "checks" else "")
        if field.widget == "checks":
            changes[field.name] = list(value)
            continue
        text = str(value).strip()
        if field.widget == "flag":
            changes[field.name] = text or None
        elif field.widget == "number" and text:
            try:
                changes[field.name] = plain(parse_number(text, kind=field.number_kind or "number"))
            except InvalidInputError as exc:
                errors.setdefault(field.name, []).append(str(exc))
                changes[field.name] = text  # the model refuses it too; nothing is written
        else:
            changes[field.name] = text or None
    if any(f.name == CONSENT_GIVEN for f in fields):
        _consent(values, changes, errors)
    _drop_empty_groups(fields, changes)
    return changes, errors


def _consent(values: FormValues, changes: dict[str, Any], errors: dict[str, list[str]]) -> None:
    """Consent counts only when the box is ticked *and* the day it was given is filled in."""
    given = str(values.get(CONSENT_GIVEN, "")).strip() == "ja"
    day = str(values.get(CONSENT_DATE, "")).strip()
    if given and not day:
        errors.setdefault(CONSENT_DATE, []).append(
            _("Fill in the date on which the person gave consent.")
        )
    elif day and not given:
        errors.setdefault(CONSENT_GIVEN, []).append(
            _("Tick the box only if the person gave consent; otherwise leave the date empty.")
        )
    changes[CONSENT_DATE] = day if given and day else None


def _drop_empty_groups(fields: Sequence[FormField], changes: dict[str, Any]) -> None:
    """A group left wholly empty (no contact, no availability) is no group at all, rather than
    one with its required parts missing."""
    groups: dict[str, list[str]] = {}
    for field in fields:
        if "." in field.name and field.name != CONSENT_GIVEN:
            groups.setdefault(field.name.rsplit(".", 1)[0], []).append(field.name)
    for names in groups.values():
        if all(changes.get(name) in (None, "", []) for name in names):
            for name in names:
                changes[name] = None


def field_of_error(fields: Sequence[FormField], error_field: str) -> str | None:
    """The form field an error of ``check`` (``situation[2]``, ``wishes.districts[1]``) is
    about, or None when it is about the record as a whole or a part not in the form."""
    name = re.sub(r"\[\d+\]", "", error_field)
    names = {f.name for f in fields}
    if name in names:
        return name
    return None


def place_errors(
    fields: Sequence[FormField], by_field: Mapping[str, list[str]]
) -> tuple[dict[str, list[str]], list[str]]:
    """The errors next to their fields, and those about the record as a whole."""
    placed: dict[str, list[str]] = {}
    general: list[str] = []
    for key, messages in by_field.items():
        target = field_of_error(fields, key)
        if target is None:
            general += [f"{key}: {m}" if key else m for m in messages]
        else:
            placed.setdefault(target, []).extend(
                m for m in messages if m not in placed.get(target, [])
            )
    return placed, general
