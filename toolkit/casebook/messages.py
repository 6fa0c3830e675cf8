"""Validation errors in a coordinator's words: what is wrong, where, and what is allowed."""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from toolkit.casebook.yamlfile import YamlDocument
from toolkit.errors import Problem
from toolkit.formatting import number
from toolkit.i18n import _


def field_path(loc: Sequence[str | int]) -> str:
    """``('placement', 'start')`` → ``placement.start``; list items as ``[n]`` counted from 1."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part + 1}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def _value_errors() -> dict[str, str]:
    # Codes raised by the records' own validators, in plain words.
    return {
        "end_before_start": _("the end date lies before the start date"),
        "geen_not_alone": _("'geen' (none) cannot be combined with other situations"),
        "active_without_placement": _(
            "status is 'actief' but there is no placement; add a placement or change the status"
        ),
        "max_below_min": _("max is smaller than min"),
        "weights_all_zero": _("the weights are all zero; give at least one a positive value"),
        "bad_coordinates": _("coordinates must be [latitude, longitude] in degrees"),
        "not a valid id": _(
            "not a valid id: use lowercase letters, digits and hyphens (for example jan-de-vries)"
        ),
    }


def _model_at(model: type[BaseModel], loc: Sequence[str | int]) -> type[BaseModel] | None:
    """The model that the value at ``loc`` must satisfy, to list the keys allowed there."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        by_key = {(f.alias or n): f for n, f in current.model_fields.items()}
        if part not in by_key:
            return None
        current = _inner_model(by_key[part].annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _inner_model(annotation: Any) -> Any:
    """Unwrap ``X | None``, ``list[X]`` and ``Annotated[X, ...]`` down to a model class."""
    seen = 0
    while seen < 8:
        seen += 1
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (list, tuple, typing.Union, types.UnionType):
            candidates = [a for a in typing.get_args(annotation) if a is not type(None)]
            models = [a for a in candidates if isinstance(a, type) and issubclass(a, BaseModel)]
            annotation = models[0] if models else (candidates[0] if candidates else None)
        else:
            return annotation
    return annotation


def allowed_keys(model: type[BaseModel]) -> list[str]:
    return sorted((f.alias or n) for n, f in model.model_fields.items() if n != "id")


def _limit(value: Any) -> str:
    return number(value, 2) if isinstance(value, (int, float)) else str(value)


#: How much of a wrong value a message repeats; a pasted page must not fill the screen.
SHOWN_VALUE_CHARS = 60


def shown(value: Any) -> str:
    """``value`` as a message quotes it: on one line, and cut short when long."""
    text = " ".join(str(value).split())
    if len(text) > SHOWN_VALUE_CHARS:
        text = text[: SHOWN_VALUE_CHARS - 1] + "…"
    return text


def describe(error: ErrorDetails, model: type[BaseModel]) -> str:
    """One pydantic error as a sentence a coordinator understands."""
    kind = error["type"]
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    loc = error["loc"]
    value = shown(error.get("input"))
    if kind == "missing":
        return _("this field is required but missing")
    if kind == "extra_forbidden":
        parent = _model_at(model, loc[:-1])
        allowed = allowed_keys(parent) if parent else []
        key = shown(loc[-1])
        message = _("unknown field '{key}'").format(key=key)
        close = difflib.get_close_matches(key, allowed, n=1)
        if close:
            message += "; " + _("did you mean '{suggestion}'?").format(suggestion=close[0])
        if allowed:
            message += " " + _("Allowed here: {allowed}.").format(allowed=", ".join(allowed))
        return message
    if kind in ("literal_error", "enum"):
        choices = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        return _("'{value}' is not allowed; choose one of: {expected}").format(
            value=value, expected=", ".join(choices)
        )
    if kind.startswith("date") or kind.startswith("datetime"):
        return _("'{value}' is not a valid date; write YYYY-MM-DD with a date that exists").format(
            value=value
        )
    if kind == "finite_number":
        return _("'{value}' should be an ordinary number (not infinite)").format(value=value)
    if kind.startswith("int"):
        return _("'{value}' should be a whole number").format(value=value)
    if kind.startswith("float") or kind.startswith("decimal"):
        return _("'{value}' should be a number").format(value=value)
    if kind.startswith("bool"):
        return _("'{value}' should be ja or nee (true or false)").format(value=value)
    if kind in ("string_type", "string_unicode"):
        return _("should be text, found '{value}'").format(value=value)
    if kind in ("list_type", "tuple_type", "set_type"):
        return _("should be a list, for example [a, b]")
    if kind in ("dict_type", "model_type", "model_attributes_type", "mapping_type"):
        return _("should be a group of fields (key: value on their own lines)")
    if kind == "greater_than":
        return _("should be more than {limit}").format(limit=_limit(ctx.get("gt")))
    if kind == "greater_than_equal":
        return _("should be at least {limit}").format(limit=_limit(ctx.get("ge")))
    if kind == "less_than":
        return _("should be less than {limit}").format(limit=_limit(ctx.get("lt")))
    if kind == "less_than_equal":
        return _("should be at most {limit}").format(limit=_limit(ctx.get("le")))
    if kind in ("too_short", "string_too_short"):
        return _("may not be empty")
    if kind in ("too_long", "string_too_long"):
        return _("is too long")
    if kind in ("value_error", "assertion_error"):
        reason = str(ctx.get("error", ""))
        return _value_errors().get(reason, reason)
    return error["msg"]


def problems_from(
    error: ValidationError, model: type[BaseModel], document: YamlDocument
) -> list[Problem]:
    """Every error of one validation, each pointing at its file, line and field."""
    problems = []
    for detail in error.errors(include_url=False):
        loc = tuple(detail["loc"])
        problems.append(
            Problem(
                file=document.path,
                line=document.line_of(loc),
                field=field_path(loc) or None,
                message=describe(detail, model),
            )
        )
    return problems


def unknown_id_message(folder: str, wanted: str, known: Mapping[str, object]) -> str:
    message = _("There is no record '{id}' in {folder}/.").format(id=wanted, folder=folder)
    close = difflib.get_close_matches(wanted, list(known), n=3)
    if close:
        message += " " + _("Did you mean: {ids}?").format(ids=", ".join(close))
    return message
