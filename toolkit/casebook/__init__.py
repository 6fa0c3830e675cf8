"""The case model: records, loading and its errors, rule data, and the public view.

The names below are imported on first use (PEP 562), so that importing one small module of this
package (``toolkit.casebook.numbers`` for a command option) does not load the whole loader,
pydantic and the rule data first: ``burgerbaan --help`` starts without them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from toolkit.casebook.casebook import Casebook, load_casebook
    from toolkit.casebook.records import (
        Opportunity,
        Organisation,
        Person,
        Placement,
        Session,
        Sponsor,
    )
    from toolkit.casebook.rules import Rules, rules_for

_WHERE = {
    "Casebook": "toolkit.casebook.casebook",
    "load_casebook": "toolkit.casebook.casebook",
    "Opportunity": "toolkit.casebook.records",
    "Organisation": "toolkit.casebook.records",
    "Person": "toolkit.casebook.records",
    "Placement": "toolkit.casebook.records",
    "Session": "toolkit.casebook.records",
    "Sponsor": "toolkit.casebook.records",
    "Rules": "toolkit.casebook.rules",
    "rules_for": "toolkit.casebook.rules",
}

__all__ = [
    "Casebook",
    "Opportunity",
    "Organisation",
    "Person",
    "Placement",
    "Rules",
    "Session",
    "Sponsor",
    "load_casebook",
    "rules_for",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
