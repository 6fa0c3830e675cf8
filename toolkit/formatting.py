"""Numbers, amounts and dates written the way the active language writes them."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

from toolkit.i18n import current_language


def money(value: float | None, decimals: bool = False) -> str:
    """An amount in euros: € 2.100 (nl) or €2,100 (en)."""
    if value is None:
        return ""
    language = current_language()
    pattern = None if decimals else "¤ #,##0" if language == "nl" else "¤#,##0"
    return format_currency(value, "EUR", format=pattern, locale=language, currency_digits=decimals)


def number(value: float | None, digits: int = 0, language: str | None = None) -> str:
    """A number with the language's separators and at most ``digits`` decimals.

    ``language`` (default: the active one) lets a caller that writes thousands of numbers
    look the language up once.
    """
    if value is None:
        return ""
    return _number(value, digits, language or current_language())


@lru_cache(maxsize=4096)
def _number(value: float, digits: int, language: str) -> str:
    # Babel takes about 0.1 ms a number; reports repeat the same few numbers thousands of times.
    pattern = "#,##0" if digits == 0 else "#,##0." + "#" * digits
    return format_decimal(value, format=pattern, locale=language)


def long_date(value: date | None) -> str:
    """23 oktober 2024 (nl) or 23 October 2024 (en)."""
    if value is None:
        return ""
    return format_date(value, format="d MMMM y", locale=current_language())


def short_date(value: date) -> str:
    """A day as people write it: 23-10-2024 (nl), the way the command line takes it too, or
    2024-10-23 (en)."""
    return value.strftime("%d-%m-%Y") if current_language() == "nl" else value.isoformat()


def month_year(value: date) -> str:
    """The month of ``value`` in words: juli 2026 (nl) or July 2026 (en)."""
    return format_date(value, format="MMMM y", locale=current_language())
