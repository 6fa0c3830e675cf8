"""The writes of the coordinator's year, in one place: read under the lock, edit, write, prove.

Every change (a status, a placement, a declined pair, an hours statement, a payment list) runs
through :func:`apply_edits` inside :func:`~toolkit.casebook.lock.casebook_lock`: the new texts
are written atomically, then the whole casebook is loaded again. If it no longer loads, every
file is put back as it was and the problems are raised, so a command can never leave a casebook
that ``check`` refuses. Case files are edited with the round-trip editor (comments, order and
layout kept); files a change does not touch stay byte for byte the same.

The edits share the save API's guarantees (:mod:`toolkit.casebook.editing`): a form carries the
hash of the file it was made from (``base_hashes``) and a save from an older version is refused
with :class:`~toolkit.casebook.editing.RecordConflictError` (no lost update); every write adds a
line to the change history (:mod:`toolkit.casebook.history`) naming who made it and which fields
changed. :func:`~toolkit.casebook.editing.save_record` itself sets fields by name; these edits
append to lists (the path, the placements, the statements) and write new files, so they keep
their own round-trip edit and share the check and the history.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from toolkit.casebook.casebook import Casebook, load_casebook
from toolkit.casebook.editing import RecordConflictError, content_hash
from toolkit.casebook.history import LOCAL_ACTOR, Change, now, record_changes
from toolkit.casebook.lock import casebook_lock
from toolkit.casebook.roundtrip import load_editable
from toolkit.casebook.yamlfile import parse_yaml
from toolkit.files import write_atomic


@dataclass(frozen=True)
class Edit:
    """The new text of one file (``private``: owner-only when the file is new)."""

    path: Path
    text: str
    private: bool = False
    #: The fields the edit changes, as the change history names them.
    fields: tuple[str, ...] = ()


#: The base hash a form carries for a file that did not exist when the form was made.
ABSENT = ""


@contextmanager
def locked_casebook(root: Path | str) -> Iterator[Casebook]:
    """The casebook as it is now, read inside its write lock (held for the ``with`` block)."""
    root = Path(root)
    with casebook_lock(root):
        yield load_casebook(root)


def edited_text(path: Path, change: Callable[[Any], None]) -> str:
    """The text of the YAML file ``path`` after ``change`` ran on its round-trip data."""
    raw = path.read_bytes()
    parse_yaml(raw, path)  # a file the loader would refuse is never edited
    editable = load_editable(raw.decode("utf-8-sig"))
    _no_aliases(editable.yaml)
    change(editable.data)
    return editable.dump()


def _no_aliases(writer: Any) -> None:
    # The same date object may land in two places (a history entry and a placement's start);
    # case files refuse anchors and aliases, so every value is written out in full.
    writer.representer.ignore_aliases = lambda data: True


def new_text(data: dict[str, Any], header: str = "") -> str:
    """The text of a new file holding ``data`` in block style, after a comment ``header``.

    Laid out as the example casebook writes lists (``  - month: ...``).
    """
    writer = load_editable(_LAYOUT_SAMPLE).yaml
    _no_aliases(writer)
    buffer = io.StringIO()
    writer.dump(block(data), buffer)
    lines = [f"# {line}".rstrip() for line in header.splitlines()]
    return "".join(f"{line}\n" for line in lines) + buffer.getvalue()


#: A text in the layout new files get; :func:`load_editable` finds the writer that keeps it.
_LAYOUT_SAMPLE = "a:\n  - b: ~\n"


def block(value: Any) -> Any:
    """``value`` as round-trip data written in block style (one field per line)."""
    if isinstance(value, dict):
        mapping = CommentedMap()
        for key, item in value.items():
            mapping[key] = block(item)
        mapping.fa.set_block_style()
        return mapping
    if isinstance(value, (list, tuple)):
        sequence = CommentedSeq(block(item) for item in value)
        sequence.fa.set_block_style()
        return sequence
    return value


def insert_after(mapping: Any, after: Sequence[str], key: str, value: Any) -> None:
    """Set ``mapping[key]``; a new key goes right after the first of ``after`` present."""
    if key in mapping:
        mapping[key] = value
        return
    keys = list(mapping)
    for anchor in after:
        if anchor in keys:
            mapping.insert(keys.index(anchor) + 1, key, value)
            return
    mapping[key] = value


def current_hash(path: Path) -> str:
    """The hash of ``path`` as it is now (:data:`ABSENT` if there is none): a form's base."""
    try:
        return content_hash(path.read_bytes())
    except FileNotFoundError:
        return ABSENT


def bases(path: Path, base_hash: str | None) -> dict[Path, str]:
    """The base of one file, for :func:`apply_edits`; none when ``base_hash`` is None."""
    return {} if base_hash is None else {path: base_hash}


def check_bases(base_hashes: Mapping[Path, str] | None) -> None:
    """Refuse when a file changed since the form was made from it (``base_hashes``: the hash the
    form carries per file; a file not named is not checked, as from a command)."""
    for path, expected in (base_hashes or {}).items():
        found = current_hash(path)
        if found != expected:
            text = path.read_text("utf-8", errors="replace") if found != ABSENT else None
            raise RecordConflictError(path, text, found or None, {})


def apply_edits(
    root: Path,
    edits: Sequence[Edit],
    *,
    actor: str = LOCAL_ACTOR,
    base_hashes: Mapping[Path, str] | None = None,
) -> Casebook:
    """Write ``edits`` (the caller holds the lock) and return the casebook they give.

    A file changed since its ``base_hashes`` entry is refused before anything is written. If the
    casebook does not load afterwards, every file is restored and the problems raised. Each
    written file gets a line in the change history, by ``actor``.
    """
    check_bases(base_hashes)
    originals: dict[Path, bytes | None] = {}
    for edit in edits:
        originals[edit.path] = edit.path.read_bytes() if edit.path.exists() else None
        if edit.path.suffix in (".yaml", ".yml"):
            parse_yaml(edit.text.encode("utf-8"), edit.path)
    try:
        for edit in edits:
            write_atomic(edit.path, edit.text, overwrite=True, private=edit.private)
        after = load_casebook(root)
        record_changes(root, [_change(root, edit, originals[edit.path], actor) for edit in edits])
        return after
    except BaseException:
        _restore(originals)
        raise


def _change(root: Path, edit: Edit, original: bytes | None, actor: str) -> Change:
    relative = edit.path.relative_to(root)
    folder = relative.parent.as_posix() if len(relative.parts) > 1 else ""
    return Change(
        when=now(),
        actor=actor.strip() or LOCAL_ACTOR,
        folder=folder,
        record_id=edit.path.stem,
        action="created" if original is None else "changed",
        fields=edit.fields,
    )


def _restore(originals: dict[Path, bytes | None]) -> None:
    for path, data in originals.items():
        if data is None:
            path.unlink(missing_ok=True)
        else:
            write_atomic(path, data, overwrite=True)
