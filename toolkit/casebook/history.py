"""The change history: who changed which record when, and which fields (never the values).

Every write through the toolkit (a save from a form, an import, ``new``) appends one line per
record to ``history.jsonl`` at the top of the casebook. The values stay out: the history must
not become a second copy of personal data that outlives an erasure. Lines are JSON objects (JSON
is YAML too), appended under the casebook lock, so a history of any length is read line by line
and never rewritten; a damaged line is skipped, not fatal.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from toolkit.casebook.lock import casebook_lock
from toolkit.errors import OutputError
from toolkit.i18n import _

HISTORY_FILE = "history.jsonl"
#: The actor of a write from the command line, where there is no account.
LOCAL_ACTOR = "lokaal"

Action = Literal["created", "changed", "imported"]


@dataclass(frozen=True)
class Change:
    """One write of one record."""

    when: dt.datetime
    actor: str
    folder: str
    record_id: str
    action: Action
    fields: tuple[str, ...]

    def to_json(self) -> str:
        return json.dumps(
            {
                "when": self.when.isoformat(timespec="seconds"),
                "by": self.actor,
                "folder": self.folder,
                "id": self.record_id,
                "action": self.action,
                "fields": list(self.fields),
            },
            ensure_ascii=False,
        )


def history_path(root: Path) -> Path:
    return Path(root) / HISTORY_FILE


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def record_changes(root: Path, changes: Iterable[Change]) -> None:
    """Append ``changes`` to the casebook's history (under the casebook lock)."""
    lines = "".join(change.to_json() + "\n" for change in changes)
    if not lines:
        return
    path = history_path(root)
    with casebook_lock(root):
        try:
            # One write call per batch in append mode: no other writer interleaves (lock), and a
            # crash leaves at most a last line cut short, which reading skips.
            descriptor = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            with os.fdopen(descriptor, "a", encoding="utf-8") as handle:
                handle.write(lines)
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as exc:
            raise OutputError(
                _("Cannot write {path}: {reason}").format(path=path, reason=exc.strerror or exc)
            ) from exc


def read_history(
    root: Path, *, folder: str | None = None, record_id: str | None = None
) -> list[Change]:
    """The history of the casebook, oldest first; of one folder or one record if asked."""
    path = history_path(root)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as exc:
        raise OutputError(_("Cannot read {path}: {reason}").format(path=path, reason=exc)) from exc
    changes = []
    for line in text.splitlines():
        change = _parse(line)
        if change is None:
            continue
        if folder is not None and change.folder != folder:
            continue
        if record_id is not None and change.record_id != record_id:
            continue
        changes.append(change)
    return changes


def _parse(line: str) -> Change | None:
    try:
        data = json.loads(line)
        fields = data["fields"]
        if not isinstance(fields, list):
            return None
        return Change(
            when=dt.datetime.fromisoformat(data["when"]),
            actor=str(data["by"]),
            folder=str(data["folder"]),
            record_id=str(data["id"]),
            action=data["action"],
            fields=tuple(str(name) for name in fields),
        )
    except (ValueError, KeyError, TypeError):
        return None


def changed_fields(paths: Sequence[str]) -> tuple[str, ...]:
    """Field names in the order given, each once."""
    return tuple(dict.fromkeys(paths))


def without_record(text: str, record_id: str) -> tuple[str, tuple[int, ...]]:
    """The history ``text`` without the lines about ``record_id`` (in any folder: a person's
    hours file has their id too), and the numbers of the lines removed. For an erasure: an
    erased person's id, which is their name, must not stay behind in the history."""
    kept = []
    removed = []
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        change = _parse(line)
        if change is not None and change.record_id == record_id:
            removed.append(number)
        else:
            kept.append(line)
    return "".join(kept), tuple(removed)
