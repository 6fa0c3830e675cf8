"""The casussen handouts in the browser: the form, a preview, the zip, and the key.

The same library calls as ``burgerbaan casussen`` (:func:`~toolkit.reports.casussen.job.
render_casussen`), nothing written: the zip is :meth:`Rendered.zip_bytes`, byte for byte what
``render_document("casussen", ...)`` gives. Recording the cases in a session (``--session``)
is a write to the casebook and is left to the command. People are picked by id (a name) only
by who may see names, by pseudonym otherwise; the internal key is the coordinator's alone.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, render_template, request
from werkzeug.datastructures import MultiDict

from toolkit.casebook.public import pseudonyms
from toolkit.errors import InvalidInputError, ToolkitError
from toolkit.i18n import _
from toolkit.matching.options import PersonOptions
from toolkit.reports.casussen.request import FORMATS, Request
from toolkit.web.common import book, matcher, private, today

blueprint = Blueprint("casussen", __name__)

#: The form's fields; an error of the library names one of them (``InvalidInputError.field``).
FIELDS = ("mode", "select", "people", "tables", "themes", "format")


@dataclasses.dataclass(frozen=True)
class Choice:
    value: str  # what the form sends: the id for who may see names, else the pseudonym
    label: str


def _people_choices() -> list[Choice]:
    from toolkit.reports.casussen.selection import eligible

    casebook = book()
    if private():
        return sorted(
            (Choice(pid, f"{casebook.people[pid].name} ({pid})") for pid in eligible(casebook)),
            key=lambda c: c.label.casefold(),
        )
    names = pseudonyms(casebook)
    return sorted(
        (Choice(names[pid], names[pid]) for pid in eligible(casebook)), key=lambda c: c.value
    )


def _theme_choices() -> list[Choice]:
    from toolkit.reports.casussen.themes import theme_vocabulary

    return [Choice(t.code, t.label) for t in theme_vocabulary().values()]


def _whole(text: str, field: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not text.isdigit() or len(text) > 4:
        raise InvalidInputError(_("Give a whole number, for example 4."), field=field)
    return int(text)


def _person_ids(keys: Sequence[str]) -> str:
    """The picked people as the library's ``--people`` list of ids."""
    casebook = book()
    if private():
        by_key = {pid: pid for pid in casebook.people}
    else:
        by_key = {name: pid for pid, name in pseudonyms(casebook).items()}
    unknown = [key for key in keys if key not in by_key]
    if unknown:
        raise InvalidInputError(_("Pick people from the list."), field="people")
    if not keys:
        raise InvalidInputError(
            _("Pick one or more people, or choose a number of cases."), field="people"
        )
    return ",".join(by_key[key] for key in keys)


def _request(form: MultiDict[str, str], *, intern: bool = False) -> Request:
    """The library's request for what the form holds; a bad value raises at its field."""
    mode = form.get("mode", "select")
    fmt = form.get("format", "md")
    if fmt not in FORMATS:
        raise InvalidInputError(_("Choose a format from the list."), field="format")
    themes = [t for t in form.getlist("themes") if t]
    if mode == "people":
        people: str | None = _person_ids(form.getlist("people"))
        select = None
    elif mode == "select":
        people = None
        select = _whole(form.get("select", ""), "select")
        if select is None:
            raise InvalidInputError(_("Give how many cases to choose."), field="select")
    else:
        raise InvalidInputError(_("Choose a number of cases or pick people."), field="mode")
    return Request(
        out=Path("casussen"),
        format=fmt,  # type: ignore[arg-type]  # checked against FORMATS above
        people=people,
        select=select,
        tables=_whole(form.get("tables", ""), "tables"),
        themes=",".join(themes) if themes else None,
        intern=intern,
        day=today(),
    )


def _options(person_ids: Sequence[str]) -> dict[str, PersonOptions]:
    # The matcher of this casebook, built once per load; the same options as matcher_options.
    from toolkit.reports.casussen.themes import TOP_OPTIONS

    found = matcher()
    return {pid: found.options(pid, top=TOP_OPTIONS) for pid in person_ids}


def _form(status: int = 200, errors: Mapping[str, str] | None = None, **context: Any) -> Any:
    form = request.form
    context.setdefault("preview", None)
    return (
        render_template(
            "casussen.html.j2",
            people=_people_choices(),
            themes=_theme_choices(),
            formats=FORMATS,
            mode=form.get("mode", "select"),
            select=form.get("select", ""),
            picked=set(form.getlist("people")),
            tables=form.get("tables", ""),
            chosen_themes=set(form.getlist("themes")),
            fmt=form.get("format", "md"),
            errors=errors or {},
            **context,
        ),
        status,
    )


def _refused(exc: ToolkitError) -> Any:
    field = getattr(exc, "field", None)
    return _form(400, {field if field in FIELDS else "form": str(exc)})


@blueprint.route("/casussen", methods=["GET", "POST"])
def form() -> Any:
    from toolkit.reports.casussen.job import render_casussen

    if request.method == "GET":
        return _form()
    try:
        asked = _request(request.form)
        # The preview is the Markdown version of the same handouts, shown in the page.
        rendered = render_casussen(book(), dataclasses.replace(asked, format="md"), _options)
    except ToolkitError as exc:
        return _refused(exc)
    files = {name: content.decode("utf-8") for name, content in rendered.files.items()}
    order = sorted(files, key=lambda name: (not name.startswith("overzicht"), name))
    return _form(preview=[(name, files[name]) for name in order], plan=rendered.plan)


def _attachment(data: bytes, name: str, media_type: str) -> Response:
    response = Response(data, content_type=media_type)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@blueprint.route("/casussen.zip", methods=["POST"])
def download() -> Any:
    from toolkit.reports.casussen.job import render_casussen

    try:
        rendered = render_casussen(book(), _request(request.form), _options)
    except ToolkitError as exc:
        return _refused(exc)
    return _attachment(rendered.zip_bytes(), "casussen.zip", "application/zip")


@blueprint.route("/casussen/sleutel", methods=["POST"])
def key() -> Any:
    from toolkit.reports.casussen.documents import KEY_STEM
    from toolkit.reports.casussen.job import render_casussen
    from toolkit.reports.documents import MEDIA_TYPES

    try:
        asked = _request(request.form, intern=True)
        rendered = render_casussen(book(), asked, _options)
    except ToolkitError as exc:
        return _refused(exc)
    name = f"{KEY_STEM}.{asked.format}"
    # Personal data: the app sends every response no-store (see app._headers).
    return _attachment(rendered.files[name], name, MEDIA_TYPES[asked.format])
