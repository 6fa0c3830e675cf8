"""District names: one spelling per district, the casebook's, with a suggestion for the rest.

The matcher compares districts exactly, so ``Haven`` or ``almere haven`` must not pass for
``Almere Haven``: they are refused with the district the writer most likely meant.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from toolkit.casebook.tags import fold
from toolkit.i18n import _


def suggest_district(value: str, districts: Iterable[str]) -> str | None:
    """The known district ``value`` most likely means, or None when none is close."""
    known = list(districts)
    wanted = fold(value)
    if not wanted:
        return None
    by_fold = {fold(name): name for name in known}
    if wanted in by_fold:
        return by_fold[wanted]
    # "Haven" for "Almere Haven": the part after the city's name, typed alone.
    words = [name for name in known if wanted in fold(name).split()]
    if len(words) == 1:
        return words[0]
    close = difflib.get_close_matches(wanted, list(by_fold), n=1, cutoff=0.75)
    return by_fold[close[0]] if close else None


def unknown_district_message(value: str, districts: Iterable[str]) -> str:
    known = sorted(districts)
    message = _("Unknown district '{district}'").format(district=value)
    suggestion = suggest_district(value, known)
    if suggestion is not None:
        message += "; " + _("did you mean '{suggestion}'?").format(suggestion=suggestion)
    else:
        message += "."
    return message + " " + _("Known districts: {known}.").format(known=", ".join(known))
