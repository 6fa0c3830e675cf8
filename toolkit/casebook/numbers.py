"""Numbers as Dutch people type them: ``50.000``, ``€ 50.000,00``, ``35,5``, ``1.234,56``.

One parser for every place a person types an amount or a number of hours: command options,
imports, the forms of the web app, and text values in case files. A dot groups thousands and a
comma starts the decimals, as in Dutch; Babel's strict parser (locale ``nl``) checks the groups.
What could mean two things (``1.5``, ``12.50``, ``1,234``) is refused with both readings named,
never guessed: an amount read wrongly is worse than one refused.

YAML reads ``sroi_obligation: 50.000`` as the decimal number 50.0 before the toolkit sees it.
:func:`yaml_number_problems` finds such values in the text of a case file, so that fifty thousand
never passes as fifty.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from toolkit.errors import InvalidInputError, Problem
from toolkit.i18n import _

NumberKind = Literal["amount", "hours", "number"]

#: Currency marks people put around an amount; they carry no value.
_CURRENCY = re.compile(r"^(?:€|eur(?:o)?)\s*|\s*(?:€|eur(?:o)?)$", re.IGNORECASE)
#: "50,-" and "50,–" are Dutch for a whole amount.
_WHOLE_SUFFIX = re.compile(r",[-–—]$")
_HOURS_SUFFIX = re.compile(r"\s*(?:uur|u)$", re.IGNORECASE)
#: A comma followed by exactly three digits and no dot: 1,234 is 1.234 in English, 1,234 in Dutch.
_COMMA_THOUSANDS = re.compile(r"^[+-]?\d{1,3},\d{3}$")
#: Thousands grouped by spaces, as spreadsheets and the ISO style write them: "50 000,50".
_SPACE_GROUPS = re.compile(r"^[+-]?\d{1,3}(?: \d{3})+(?:,\d+)?$")
#: Characters a number may hold once the currency mark is gone.
_NUMBER_CHARACTERS = re.compile(r"^[+-]?[\d.,]+$")
#: How many decimals an amount in euros may have.
AMOUNT_DECIMALS = 2


def parse_number(value: str | int | float | Decimal, *, kind: NumberKind = "number") -> Decimal:
    """``value`` as a Decimal, read the Dutch way; :class:`InvalidInputError` in Dutch if not.

    ``kind`` says what is typed: an ``amount`` (euros: a € sign and ``,-`` allowed, at most two
    decimals), ``hours`` (the word ``uur`` allowed) or a plain ``number``. Numbers that are
    already numbers (from a spreadsheet cell) are taken as they are.
    """
    if isinstance(value, bool):
        raise InvalidInputError(_("'{value}' is not a number.").format(value=value))
    if isinstance(value, (int, Decimal)):
        result = Decimal(value)
    elif isinstance(value, float):
        result = Decimal(repr(value))
    else:
        result = _parse_text(value, kind)
    if not result.is_finite():
        raise InvalidInputError(_("'{value}' is not a number.").format(value=value))
    if kind == "amount" and _decimals(result) > AMOUNT_DECIMALS:
        raise InvalidInputError(
            _(
                "'{value}' has more than two decimals; an amount in euros has at most two "
                "(for example 1.234,56)."
            ).format(value=value)
        )
    return result


def _decimals(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _parse_text(value: str, kind: NumberKind) -> Decimal:
    # split() also takes the no-break spaces that spreadsheets put in "50 000" and "€ 50".
    text = " ".join(value.split())
    if kind == "amount":
        text = _CURRENCY.sub("", text).strip()
        text = _WHOLE_SUFFIX.sub("", text)
    elif kind == "hours":
        text = _HOURS_SUFFIX.sub("", text)
    if re.search(r"\d \d", text) and not _SPACE_GROUPS.match(text):
        raise InvalidInputError(
            _(
                "'{value}' has a space inside the number; write thousands with a dot (50.000) "
                "or in groups of three (50 000)."
            ).format(value=value)
        )
    text = text.replace(" ", "")
    if not text:
        raise InvalidInputError(_("No number was given."))
    if not _NUMBER_CHARACTERS.match(text):
        raise InvalidInputError(
            _(
                "'{value}' is not a number; write it the Dutch way, for example 50.000 or 35,5."
            ).format(value=value)
        )
    if _COMMA_THOUSANDS.match(text):
        whole, part = text.split(",")
        raise InvalidInputError(
            _(
                "'{value}' can be read two ways: {first} or {second}. Write thousands with a "
                "dot or without a separator ({first_dutch} or {first}), decimals after a comma."
            ).format(
                value=value,
                first=whole + part,
                second=text,
                first_dutch=f"{whole}.{part}",
            )
        )
    # Babel's number parser (and its locale data) only when a number is typed as text.
    from babel.numbers import NumberFormatError, parse_decimal

    try:
        return Decimal(parse_decimal(text, locale="nl", strict=True))
    except NumberFormatError as exc:
        readings = [s for s in (exc.suggestions or []) if s]
        if readings:
            raise InvalidInputError(
                _(
                    "'{value}' can be read two ways: did you mean {readings}? In Dutch a dot "
                    "groups thousands (50.000) and a comma starts the decimals (35,5)."
                ).format(value=value, readings=_(" or ").join(readings))
            ) from None
        raise InvalidInputError(
            _(
                "'{value}' is not a number; write it the Dutch way, for example 50.000 or 35,5."
            ).format(value=value)
        ) from None
    except (InvalidOperation, ValueError):
        raise InvalidInputError(
            _(
                "'{value}' is not a number; write it the Dutch way, for example 50.000 or 35,5."
            ).format(value=value)
        ) from None


def plain(value: Decimal) -> int | float:
    """A parsed number as YAML writes it best: a whole number without ``.0``."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def _validator(kind: NumberKind) -> Any:
    def convert(value: Any) -> Any:
        if isinstance(value, str):
            try:
                return plain(parse_number(value, kind=kind))
            except InvalidInputError as exc:
                raise ValueError(str(exc)) from None
        return value

    return BeforeValidator(convert)


#: Field types for the models: text is read the Dutch way, numbers pass as they are.
Amount = Annotated[float, _validator("amount")]
Hours = Annotated[float, _validator("hours")]

#: Fields that hold euros, in every kind of file: where ``50.000`` must not pass as fifty.
AMOUNT_KEYS = frozenset(
    {
        "sroi_obligation",
        "allowance_per_year",
        "allowance_per_hour",
        "allowance_paid",
        "sroi_credit_per_year",
        "overhead_per_year",
        "per_hour_21_plus",
        "per_hour_under_21",
        "per_month",
        "per_year",
    }
)
#: An unquoted number that YAML reads as a decimal but a Dutch reader as thousands.
_DUTCH_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(?:\.\d{3})+$")


def yaml_number_problems(node: Node | None, path: Any) -> list[Problem]:
    """Amounts written ``50.000`` without quotes: YAML reads fifty, the writer meant thousands."""
    problems = []
    for key, scalar in _amount_scalars(node):
        if not scalar.style and _DUTCH_THOUSANDS.match(scalar.value):
            whole = scalar.value.replace(".", "")
            problems.append(
                Problem(
                    file=path,
                    line=scalar.start_mark.line + 1,
                    field=key,
                    message=_(
                        "'{value}' is read as {small}, not {whole}. Write {whole} without a "
                        "dot, or put the amount between quotes ('{value}') to have it read the "
                        "Dutch way."
                    ).format(
                        value=scalar.value,
                        small=scalar.value.rstrip("0").rstrip(".").replace(".", ","),
                        whole=whole.lstrip("+"),
                    ),
                )
            )
    return problems


def _amount_scalars(node: Node | None) -> Iterator[tuple[str, ScalarNode]]:
    """Each amount's scalar with its field path (``placement.allowance_per_year``)."""
    stack: list[tuple[Node, str]] = [(node, "")] if node is not None else []
    while stack:
        current, where = stack.pop()
        if isinstance(current, MappingNode):
            for key, value in current.value:
                if not isinstance(key, ScalarNode):
                    continue
                name = f"{where}.{key.value}" if where else str(key.value)
                if key.value in AMOUNT_KEYS and isinstance(value, ScalarNode):
                    yield name, value
                else:
                    stack.append((value, name))
        elif isinstance(current, SequenceNode):
            stack.extend(
                (item, f"{where}[{index + 1}]") for index, item in enumerate(current.value)
            )
