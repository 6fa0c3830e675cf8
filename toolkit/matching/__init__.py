"""The matcher: explainable fit of people to places and sponsors, and the proposal round.

The toolkit proposes, the person chooses. Start with :class:`Matcher`; the modules below it
are pure functions on arrays: :mod:`~toolkit.matching.features` (the casebook as arrays),
:mod:`~toolkit.matching.scores` (the parts and the total), :mod:`~toolkit.matching.explain`
(reasons and warnings), :mod:`~toolkit.matching.round` (the proposal round) on top of
:mod:`~toolkit.matching.assignment`, :mod:`~toolkit.matching.text` and
:mod:`~toolkit.matching.topk`.
"""

from toolkit.matching.explain import PERSONAL_REASONS, PERSONAL_WARNINGS, WARNING_CODES
from toolkit.matching.features import Features, features_of
from toolkit.matching.matcher import Matcher
from toolkit.matching.options import NoOption, Option, Parts, PersonOptions
from toolkit.matching.round import METHODS, RoundResult, Unplaced

__all__ = [
    "METHODS",
    "PERSONAL_REASONS",
    "PERSONAL_WARNINGS",
    "WARNING_CODES",
    "Features",
    "Matcher",
    "NoOption",
    "Option",
    "Parts",
    "PersonOptions",
    "RoundResult",
    "Unplaced",
    "features_of",
]
