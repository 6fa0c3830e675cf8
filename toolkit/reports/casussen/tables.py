"""Spreading the chosen cases over the tables so that each table gets a mix of themes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from toolkit.casebook.records import Session
from toolkit.casebook.session_cases import physical_tables
from toolkit.errors import InvalidInputError
from toolkit.i18n import _


def spread(
    person_ids: Sequence[str], themes: Mapping[str, frozenset[str]], tables: int
) -> tuple[tuple[str, ...], ...]:
    """Spread the cases over ``tables`` tables so that each table gets a mix of themes."""
    if tables < 1:
        raise InvalidInputError(_("The number of tables must be at least 1."), field="tables")
    if tables > len(person_ids):
        raise InvalidInputError(
            _(
                "There are more tables ({tables}) than cases ({cases}): every table needs at "
                "least one case. Choose fewer tables or more cases."
            ).format(tables=tables, cases=len(person_ids)),
            field="tables",
        )
    base, extra = divmod(len(person_ids), tables)
    room = [base + (1 if index < extra else 0) for index in range(tables)]
    order = {pid: index for index, pid in enumerate(person_ids)}
    seated: list[list[str]] = [[] for _ in range(tables)]
    seen: list[set[str]] = [set() for _ in range(tables)]
    for pid in sorted(person_ids, key=lambda p: (-len(themes[p]), order[p])):
        free = [t for t in range(tables) if len(seated[t]) < room[t]]
        table = min(free, key=lambda t: (len(themes[pid] & seen[t]), len(seated[t]), t))
        seated[table].append(pid)
        seen[table] |= themes[pid]
    return tuple(tuple(sorted(group, key=order.__getitem__)) for group in seated)


def table_count(asked: int | None, session: Session | None) -> int:
    if session is None or not session.tables:
        return asked if asked is not None else 1
    physical = physical_tables(session)
    if asked is not None and asked != len(physical):
        raise InvalidInputError(
            _(
                "The session has {count} tables ({tables}); ask for no number of tables, or "
                "for {count}."
            ).format(
                count=len(physical),
                tables=", ".join(f"{t.theme} × {t.count}" for t in session.tables),
            ),
            field="tables",
        )
    return len(physical)
