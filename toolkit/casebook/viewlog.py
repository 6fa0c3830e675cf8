"""Who opened which person's record in the web app: one line per view, ids only, never data.

The AVG asks that access to special-category data can be accounted for. The log lives in the
casebook's hidden folder (``.burgerbaan/``), so it travels with the casebook but is not a case
file: the loader and ``vergeet`` pass it over. Each line is a JSON object with the time, the user
name, the role and the person's record id; nothing from the record itself.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from toolkit.casebook.accounts import WEB_FOLDER
from toolkit.errors import OutputError
from toolkit.i18n import _

VIEW_LOG = "inzagelog.jsonl"
_APPEND_LOCK = threading.Lock()


@dataclass(frozen=True)
class View:
    when: str
    user: str
    role: str
    person_id: str


def view_log_path(root: Path) -> Path:
    return Path(root) / WEB_FOLDER / VIEW_LOG


def record_view(root: Path, user: str, role: str, person_id: str, when: dt.datetime) -> None:
    """Append one view; a line is written whole with one ``write`` on a file opened to append."""
    line = json.dumps(
        {
            "when": when.isoformat(timespec="seconds"),
            "user": user,
            "role": role,
            "person": person_id,
        },
        ensure_ascii=False,
    )
    path = view_log_path(root)
    try:
        with _APPEND_LOCK:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, (line + "\n").encode("utf-8"))
            finally:
                os.close(fd)
    except OSError as exc:
        raise OutputError(
            _("Cannot write {path}: {reason}").format(path=path, reason=exc.strerror or exc)
        ) from exc


def read_views(root: Path, limit: int = 500) -> list[View]:
    """The latest ``limit`` views, newest first; unreadable lines are skipped."""
    try:
        lines = view_log_path(root).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    views: list[View] = []
    for line in reversed(lines):
        try:
            data = json.loads(line)
            views.append(
                View(str(data["when"]), str(data["user"]), str(data["role"]), str(data["person"]))
            )
        except (ValueError, KeyError, TypeError):
            continue
        if len(views) >= limit:
            break
    return views
