"""Money in messages: amounts and hours written the way the active language writes them."""

from __future__ import annotations

from babel.numbers import format_decimal

from toolkit.i18n import current_language


def eur(amount: float) -> str:
    """An amount for a message, without the € sign: 2.100 or 5,75 (nl), 2,100 or 5.75 (en)."""
    pattern = "#,##0" if round(amount, 2) == round(amount) else "#,##0.00"
    return str(format_decimal(amount, format=pattern, locale=current_language()))


def hours_text(hours: float) -> str:
    return str(format_decimal(hours, format="#,##0.##", locale=current_language()))
