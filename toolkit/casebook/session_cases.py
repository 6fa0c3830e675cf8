"""Recording the cases of a dialogue evening in its session file.

The casussen handouts choose people for the tables; the session file keeps which cases were
discussed where, so the verslag can name them. The file is edited with the round-trip editor
(comments, key order and layout kept) and the result is read back as a session before anything
is written: a change that would break the file is refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from toolkit.casebook.casebook import Casebook
from toolkit.casebook.records import Session
from toolkit.casebook.roundtrip import load_editable
from toolkit.casebook.yamlfile import YamlProblem, parse_yaml
from toolkit.errors import ConflictError, OutputError, Remedy
from toolkit.i18n import _


def physical_tables(session: Session) -> list[int]:
    """For each physical table, the index of its entry in ``session.tables`` (by ``count``)."""
    return [index for index, table in enumerate(session.tables) for _ in range(table.count)]


def record_cases(
    casebook: Casebook, session: Session, tables: Sequence[Sequence[str]], *, force: bool
) -> SessionChange:
    """The session file with ``tables`` (the person ids at each table) recorded; layout kept.

    A session whose tables have a ``count`` gets the cases of its physical tables in order: with
    ``Dagbesteding × 3`` at tables 2-4, that entry's ``cases`` are the cases of tables 2, 3 and 4.
    A session without tables gets one entry per table. Cases already recorded are replaced only
    with ``force``.
    """
    physical = physical_tables(session)
    path = casebook.path_of(session)
    if physical:
        per_entry: dict[int, list[str]] = {}
        for table_index, entry_index in enumerate(physical):
            per_entry.setdefault(entry_index, []).extend(tables[table_index])
        new_cases = [per_entry.get(i, []) for i in range(len(session.tables))]
    else:
        new_cases = [list(ids) for ids in tables]
    if not force:
        for table, cases in zip(session.tables, new_cases, strict=False):
            if table.cases and list(table.cases) != cases:
                raise ConflictError(
                    _(
                        "The session {session} already records other cases at the table "
                        "'{table}'; nothing was written."
                    ).format(session=session.id, table=table.theme),
                    path=path,
                    remedy=Remedy.REPLACE,
                )

    try:
        raw = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise OutputError(_("Cannot read {path}: {reason}").format(path=path, reason=exc)) from exc
    bom = "\ufeff" if raw.startswith("\ufeff") else ""
    editable = load_editable(raw.removeprefix(bom))
    data = editable.data
    if not isinstance(data, CommentedMap):  # the loader read it as fields a moment ago
        raise OutputError(
            _("{path} changed while it was being read; nothing was written.").format(path=path)
        )
    if physical:
        for table_data, cases in zip(data["tables"], new_cases, strict=True):
            _set_list(table_data, "cases", cases)
    else:
        seq = CommentedSeq()
        for number_, cases in enumerate(new_cases, start=1):
            new_table = CommentedMap()
            new_table["theme"] = _("Table {number}").format(number=number_)
            new_table["cases"] = CommentedSeq(cases)
            seq.append(new_table)
        keys = list(data)
        if "tables" in data:
            data["tables"] = seq
        else:
            after = [k for k in ("programme", "recording", "attendance") if k in keys]
            position = keys.index(after[0]) + 1 if after else len(keys)
            data.insert(position, "tables", seq)
    change = SessionChange(path, bom + editable.dump(), faithful=editable.faithful)
    check_session_text(casebook, change, session)
    return change


@dataclass(frozen=True)
class SessionChange:
    """The new text of a session file; ``faithful`` is false when its layout could not be
    reproduced exactly, so that places the change did not touch may be laid out differently."""

    path: Path
    text: str
    faithful: bool


def _set_list(mapping: CommentedMap, key: str, values: list[str]) -> None:
    current = mapping.get(key)
    if isinstance(current, CommentedSeq):
        # Keep the list object, and with it its comments and its flow or block style.
        current[:] = values
    else:
        mapping[key] = CommentedSeq(values)


def check_session_text(casebook: Casebook, change: SessionChange, session: Session) -> None:
    """The changed session file must still read as a valid session, as the loader reads it."""
    try:
        document = parse_yaml(change.text.encode("utf-8"), change.path)
        Session.model_validate(
            {**document.data, "id": session.id}, context={"synonyms": casebook.settings.synonyms}
        )
    except (YamlProblem, ValidationError, TypeError) as exc:
        raise OutputError(
            _("Recording the cases would break {path}; nothing was written ({reason}).").format(
                path=change.path, reason=exc
            )
        ) from exc
