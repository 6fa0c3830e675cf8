"""What the year's forms share: Dutch days and amounts as typed, errors per field, the 400.

A form that is refused comes back with what was typed and each message next to its field, with
HTTP 400 (a clash with what is there, such as a full place: 409); nothing is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from flask import render_template

from toolkit.casebook.numbers import parse_number
from toolkit.errors import InvalidInputError
from toolkit.formatting import short_date
from toolkit.i18n import _

#: How a day may be typed: Dutch first (23-10-2026), the ISO form as well.
DAY_FORMATS = ("%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d")


class FormRefused(Exception):
    """Input a form cannot take: the messages per field (``form``: about the whole form)."""

    def __init__(self, errors: Mapping[str, str], status: int = 400) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = dict(errors)
        self.status = status


def day_field(form: Mapping[str, str], name: str, default: dt.date | None) -> dt.date | None:
    """The day typed in ``name`` (empty: ``default``); refused with an example if unreadable."""
    text = form.get(name, "").strip()
    if not text:
        return default
    for pattern in DAY_FORMATS:
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise InvalidInputError(
        _("'{value}' is not a day; write it as DD-MM-YYYY, for example 23-10-2026.").format(
            value=text
        ),
        field=name,
    )


def number_field(form: Mapping[str, str], name: str, kind: Any = "amount") -> float | None:
    """The number typed in ``name`` the Dutch way (empty: None); never negative."""
    text = form.get(name, "").strip()
    if not text:
        return None
    try:
        value = float(parse_number(text, kind=kind))
    except InvalidInputError as exc:
        raise InvalidInputError(str(exc), field=name) from None
    if value < 0:
        raise InvalidInputError(
            _("'{value}' is negative; give 0 or more.").format(value=text), field=name
        )
    return value


def month_field(form: Mapping[str, str], name: str = "month") -> str:
    """A month typed as 2026-09 or the Dutch way, 09-2026 (or 9-2026)."""
    text = form.get(name, "").strip()
    parts = text.replace("/", "-").split("-")
    if len(parts) == 2 and len(parts[1]) == 4 and parts[0].isdigit() and parts[1].isdigit():
        text = f"{parts[1]}-{int(parts[0]):02d}"
    if not text:
        raise InvalidInputError(_("Give the month, for example 09-2026."), field=name)
    return text


def dutch_day(day: dt.date) -> str:
    """A day as the forms show it and read it back."""
    return short_date(day)


def collect(*steps: Any) -> dict[str, str]:
    """Run each parsing step; the messages of every refused field, not only the first."""
    errors: dict[str, str] = {}
    for step in steps:
        try:
            step()
        except InvalidInputError as exc:
            errors[exc.field or "form"] = str(exc)
    return errors


def refused_page(template: str, refusal: FormRefused, **context: Any) -> tuple[str, int]:
    return render_template(template, errors=refusal.errors, **context), refusal.status
