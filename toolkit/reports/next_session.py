"""The record of the next session, started from the latest one (``burgerbaan verslag new``).

The new file is written as text from ``templates/verslag/new-session.yaml.j2`` rather than dumped
as YAML, so that every field carries its Dutch comment, as a starter file does. What carries over:
the number plus one, the date and goal the latest session set in ``next``, its time, venue,
organiser and chair (to check), and its open actions and open questions. A question carried over
and answered later is merged with its first asking on the Q&A page, so it keeps its origin.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from toolkit.casebook.casebook import Casebook
from toolkit.casebook.records import ID_PATTERN, Action, Question, Session
from toolkit.errors import ConflictError, InvalidInputError, NotFoundError, Remedy
from toolkit.files import write_atomic
from toolkit.i18n import _
from toolkit.reports.environment import make_environment, render

TEMPLATE = "verslag/new-session.yaml.j2"
_ORDINAL_TITLE = re.compile(r"^(\d+)(e|ste|de)\b")
_FOLD_WIDTH = 88


@dataclass(frozen=True)
class NextSession:
    """What the template needs: the new record's values and where they came from."""

    id: str
    previous: Session
    number: int
    title: str
    date: date
    date_known: bool
    #: The date the previous meeting named without a day ("eind maart 2025"), if it did.
    approximate_date: str | None
    purpose: str
    actions: tuple[Action, ...]
    questions: tuple[Question, ...]


def next_session(
    casebook: Casebook, *, record_id: str | None = None, today: date | None = None
) -> NextSession:
    """The values of the record that follows the casebook's latest session."""
    previous = casebook.latest_session()
    if previous is None:
        raise NotFoundError(
            _(
                "This casebook has no sessions yet, so there is nothing to continue; "
                "start one with 'burgerbaan new session ID'."
            )
        )
    number = (previous.number or _count_of_kind(casebook, previous)) + 1
    new_id = record_id or _next_id(previous, number)
    if not ID_PATTERN.match(new_id):
        raise InvalidInputError(
            _(
                "'{id}' is not a valid id: use lowercase letters a-z, digits and hyphens, "
                "for example jan-de-vries."
            ).format(id=new_id),
            field="id",
        )
    if new_id in casebook.sessions:
        raise ConflictError(
            _("A session '{id}' already exists.").format(id=new_id),
            path=casebook.path_of(casebook.sessions[new_id]),
            remedy=Remedy.OTHER_ID,
        )
    planned = previous.next
    return NextSession(
        id=new_id,
        previous=previous,
        number=number,
        title=_next_title(previous.title, number),
        date=(planned.date if planned and planned.date else None) or today or date.today(),
        date_known=bool(planned and planned.date),
        approximate_date=planned.approximate_date if planned else None,
        purpose=(planned.goal if planned and planned.goal else "") or "",
        actions=tuple(a for a in previous.actions if a.status != "afgerond"),
        questions=tuple(q for q in previous.questions if q.is_open),
    )


def next_session_text(plan: NextSession) -> str:
    environment = make_environment()
    environment.filters["yaml"] = yaml_scalar
    return render(environment, TEMPLATE, plan=plan, previous=plan.previous)


def write_next_session(
    casebook: Casebook, *, record_id: str | None = None, today: date | None = None
) -> Path:
    """Write ``sessions/<id>.yaml`` for the next session; never over an existing file."""
    plan = next_session(casebook, record_id=record_id, today=today)
    path = casebook.root / Session.folder / f"{plan.id}.yaml"
    write_atomic(path, next_session_text(plan))
    return path


def _count_of_kind(casebook: Casebook, session: Session) -> int:
    return sum(1 for s in casebook.sessions.values() if s.kind_ == session.kind_)


def _next_id(previous: Session, number: int) -> str:
    match = re.match(r"^(.*?)-?(\d+)$", previous.id)
    stem = match.group(1) if match else previous.id
    return f"{stem or previous.kind_}-{number}"


def _next_title(title: str, number: int) -> str:
    """``4e Dialoogavond ...`` → ``5e Dialoogavond ...``; other titles are kept as they are."""
    return _ORDINAL_TITLE.sub(lambda m: f"{number}{m.group(2)}", title, count=1)


def _loads_back(yaml_text: str, value: str) -> bool:
    try:
        loaded = YAML(typ="safe", pure=True).load(f"key: {yaml_text}\n")
    except YAMLError:
        return False
    return isinstance(loaded, dict) and loaded.get("key") == value


def yaml_scalar(value: object, indent: int = 2) -> str:
    """``value`` as a YAML scalar that reads back as exactly the same text.

    Plain where that is safe, a folded block for long sentences (readable in an editor), a
    literal block for text with line breaks, else a double-quoted string.
    """
    if value is None:
        return "~"
    if isinstance(value, bool | int | float):
        return json.dumps(value)
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    pad = " " * indent
    candidates = []
    if "\n" not in text and len(text) <= _FOLD_WIDTH:
        candidates.append(text)
    if "\n" in text:
        candidates.append(
            "|-\n" + "\n".join(pad + line if line else "" for line in text.split("\n"))
        )
    elif text == text.strip() and "  " not in text and "\t" not in text:
        candidates.append(">-\n" + "\n".join(pad + line for line in _fold(text, _FOLD_WIDTH)))
    candidates.append(json.dumps(text, ensure_ascii=False))
    for candidate in candidates:
        if _loads_back(candidate, text):
            return candidate
    return _escaped(text)


def _escaped(text: str) -> str:
    """A double-quoted YAML string in plain ASCII: every other character as an escape."""
    escapes = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t"}
    parts = []
    for char in text:
        code = ord(char)
        if char in escapes:
            parts.append(escapes[char])
        elif 0x20 <= code < 0x7F:
            parts.append(char)
        elif code < 0x100:
            parts.append(f"\\x{code:02x}")
        elif code < 0x10000:
            parts.append(f"\\u{code:04x}")
        else:
            parts.append(f"\\U{code:08x}")
    return '"' + "".join(parts) + '"'


def _fold(text: str, width: int) -> list[str]:
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    lines.append(current)
    return lines
