"""Choosing the cases: the people to choose from, greedy set cover over the themes,
and the plan (who sits at which table).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from toolkit.casebook.casebook import Casebook
from toolkit.casebook.messages import unknown_id_message
from toolkit.casebook.public import pseudonyms
from toolkit.casebook.records import Session
from toolkit.casebook.tags import fold
from toolkit.errors import InvalidInputError, NotFoundError
from toolkit.i18n import _, ngettext
from toolkit.matching.options import PersonOptions
from toolkit.reports.casussen.request import FORMATS, Request
from toolkit.reports.casussen.tables import spread, table_count
from toolkit.reports.casussen.themes import parse_themes, person_themes


def eligible(casebook: Casebook) -> tuple[str, ...]:
    """The people ``--select`` chooses from: everyone who has not stopped."""
    return tuple(sorted(pid for pid, p in casebook.people.items() if p.status != "gestopt"))


def parse_people(casebook: Casebook, text: str) -> tuple[str, ...]:
    """``--people a,b``: the ids in the order given, each once; unknown ids are an error."""
    wanted = list(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))
    if not wanted:
        raise InvalidInputError(
            _("The list of people is empty; name one or more person ids, separated by commas."),
            field="people",
        )
    for person_id in wanted:
        if person_id not in casebook.people:
            raise NotFoundError(unknown_id_message("people", person_id, casebook.people))
    return tuple(wanted)


def _features(casebook: Casebook, person_id: str, themes: frozenset[str]) -> frozenset[str]:
    person = casebook.people[person_id]
    return frozenset(
        {f"theme:{t}" for t in themes}
        | {f"talent:{t}" for t in person.talents}
        | {f"district:{fold(person.district)}"}
    )


def jaccard_distance(a: frozenset[str], b: frozenset[str]) -> float:
    union = a | b
    return 1.0 - len(a & b) / len(union) if union else 0.0


@dataclass(frozen=True)
class Coverage:
    requested: tuple[str, ...]
    covered: tuple[str, ...]
    #: Requested themes that no chosen case has, and among them those nobody to choose from has.
    uncovered: tuple[str, ...]
    absent: tuple[str, ...]


def coverage(
    requested: Sequence[str],
    chosen: Iterable[frozenset[str]],
    pool: Iterable[frozenset[str]],
) -> Coverage:
    have = frozenset().union(*chosen)
    anyone = frozenset().union(*pool)
    return Coverage(
        requested=tuple(requested),
        covered=tuple(t for t in requested if t in have),
        uncovered=tuple(t for t in requested if t not in have),
        absent=tuple(t for t in requested if t not in anyone),
    )


def select_cases(
    casebook: Casebook,
    count: int,
    requested: Sequence[str],
    themes: Mapping[str, frozenset[str]],
) -> tuple[str, ...]:
    """Choose ``count`` of the people in ``themes`` (greedy set cover, then difference)."""
    pool = sorted(themes)
    if count > len(pool):
        raise InvalidInputError(
            ngettext(
                "You asked for {count} cases, but only {pool} person can be chosen "
                "(everyone who is not gestopt).",
                "You asked for {count} cases, but only {pool} people can be chosen "
                "(everyone who is not gestopt).",
                len(pool),
            ).format(count=count, pool=len(pool)),
            field="select",
        )
    names = pseudonyms(casebook)
    wanted = frozenset(requested)
    features = {pid: _features(casebook, pid, themes[pid]) for pid in pool}
    chosen: list[str] = []
    uncovered = set(wanted)
    remaining = set(pool)

    def key(pid: str) -> tuple[int, float, float, str, str]:
        gain = len(themes[pid] & uncovered)
        if chosen:
            distances = [jaccard_distance(features[pid], features[c]) for c in chosen]
            nearest, mean = min(distances), sum(distances) / len(distances)
        else:
            nearest = mean = 1.0
        # max() over the tuple: more gain, then farther; the pseudonym breaks the last ties, so
        # that the order of the ids (which are names) does not decide.
        return (gain, round(nearest, 9), round(mean, 9), _reverse(names[pid]), _reverse(pid))

    while len(chosen) < count:
        best = max(remaining, key=key)
        chosen.append(best)
        remaining.discard(best)
        uncovered -= themes[best]
    return tuple(chosen)


def _reverse(text: str) -> str:
    """A key that sorts ``text`` backwards, so that ``max`` prefers the first alphabetically."""
    return "".join(chr(0x10FFFF - ord(ch)) for ch in text)


@dataclass(frozen=True)
class Plan:
    """Which person sits at which table (ids: internal), and the themes asked and covered."""

    tables: tuple[tuple[str, ...], ...]
    themes: Mapping[str, frozenset[str]]
    coverage: Coverage
    selected: bool


def plan_cases(
    casebook: Casebook,
    request: Request,
    options: Mapping[str, PersonOptions] | None,
    session: Session | None = None,
) -> Plan:
    """Choose the cases (or take the ones named) and spread them over the tables."""
    people = pool(casebook, request)
    requested = parse_themes(request.themes)
    themes = {
        pid: person_themes(
            casebook,
            casebook.people[pid],
            options.get(pid) if options is not None else None,
            request.day,
        )
        for pid in people
    }
    if request.select is not None:
        chosen = select_cases(casebook, request.select, requested, themes)
    else:
        chosen = people
    return Plan(
        tables=spread(chosen, themes, table_count(request.tables, session)),
        themes=themes,
        coverage=coverage(requested, (themes[p] for p in chosen), themes.values()),
        selected=request.select is not None,
    )


def pool(casebook: Casebook, request: Request) -> tuple[str, ...]:
    """Check the request before anything is computed; the people to take or choose from."""
    if request.format not in FORMATS:
        raise InvalidInputError(
            _("Unknown format '{format}'; choose one of: {formats}.").format(
                format=request.format, formats=", ".join(FORMATS)
            ),
            field="format",
        )
    if (request.people is None) == (request.select is None):
        raise InvalidInputError(
            _("Name the people, or give how many cases to choose: one of the two."),
            field="people",
        )
    if request.select is not None and request.select < 1:
        raise InvalidInputError(_("The number of cases must be at least 1."), field="select")
    if request.tables is not None and request.tables < 1:
        raise InvalidInputError(_("The number of tables must be at least 1."), field="tables")
    parse_themes(request.themes)
    if request.session is not None and request.session not in casebook.sessions:
        raise NotFoundError(unknown_id_message("sessions", request.session, casebook.sessions))
    if request.people is not None:
        return parse_people(casebook, request.people)
    return eligible(casebook)
