"""The case model: records, loading and its errors, rule data, and the public view."""

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
