"""Changing a case file the way a person would: comments, key order and layout kept.

Case files are typed and commented by hand, so a command that changes one (recording chosen
cases in a session, for instance) must leave everything it does not change exactly as it was.
:func:`edit_yaml` loads a file with ruamel.yaml's round-trip loader, lets the caller change the
data in place, and returns the new text. The file's own indentation, its way of writing an empty
value (``~``, ``null`` or nothing), its line endings and a byte-order mark are detected and kept,
so a file that is loaded and dumped without a change comes back byte for byte the same.

It only returns text: writing it (atomically, see :func:`toolkit.files.write_atomic`) is the
caller's job, so that several files can be checked before any is written.
"""

from __future__ import annotations

import io
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from toolkit.errors import Problem
from toolkit.i18n import _

#: ruamel.yaml's defaults, used when a file has no nested block to learn from.
_DEFAULT_MAPPING = 2
_DEFAULT_SEQUENCE = 2
_DEFAULT_OFFSET = 0
#: Wide enough that a long line is never folded anew: a change must not re-wrap other text.
_NO_WRAP = 1 << 16

#: A key that opens a block: ``key:`` or ``- key:`` with nothing after it but a comment.
_OPENER = re.compile(r"^ *(?:- +)*[^\s#-][^:#]*:\s*(?:#.*)?$")
_ITEM = re.compile(r"^(?P<indent> *)-(?P<gap> +)\S")
_NULL = re.compile(r":\s+(?P<null>~|null|Null|NULL)\s*(?:#.*)?$")


@dataclass(frozen=True)
class Layout:
    """How a YAML file is written: what a dump must reproduce."""

    mapping: int = _DEFAULT_MAPPING
    sequence: int = _DEFAULT_SEQUENCE
    offset: int = _DEFAULT_OFFSET
    null: str = ""
    newline: str = "\n"
    bom: bool = False
    explicit_start: bool = False


class RoundTripError(Exception):
    """The file cannot be changed safely; carries a :class:`Problem` for the user."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def detect_layout(text: str) -> Layout:
    """The indentation, empty-value style and line endings ``text`` is written in.

    Indentation is learnt from the first block under a bare ``key:`` line: a nested mapping
    gives the mapping indent, a list gives the dash's offset and the item indent. The empty
    value is written the way most explicit empty values in the file are (``~`` or ``null``),
    else as nothing.
    """
    lines = [
        line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")
    ]
    mapping: int | None = None
    sequence: int | None = None
    offset: int | None = None
    for parent, child in itertools.pairwise(lines):
        if _OPENER.match(parent) is None:
            continue
        # In "- key:" the keys of the item's mapping line up after the dash.
        base = len(parent) - len(parent.lstrip(" -"))
        item = _ITEM.match(child)
        if item is not None:
            dash = len(item.group("indent"))
            if sequence is None and dash >= base:
                offset = dash - base
                sequence = offset + 1 + len(item.group("gap"))
        elif mapping is None:
            step = len(child) - len(child.lstrip(" ")) - base
            if step > 0:
                mapping = step
        if mapping is not None and sequence is not None:
            break
    nulls = [m.group("null") for line in lines if (m := _NULL.search(line))]
    return Layout(
        mapping=mapping or _DEFAULT_MAPPING,
        sequence=sequence or _DEFAULT_SEQUENCE,
        offset=offset or _DEFAULT_OFFSET,
        null=max(sorted(set(nulls)), key=nulls.count) if nulls else "",
        newline="\r\n" if "\r\n" in text else "\n",
        bom=text.startswith("\ufeff"),
        explicit_start=text.lstrip("\ufeff").startswith("---"),
    )


def _yaml(layout: Layout) -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = _NO_WRAP
    yaml.indent(mapping=layout.mapping, sequence=layout.sequence, offset=layout.offset)
    yaml.explicit_start = layout.explicit_start
    null = layout.null

    def represent_none(representer: Any, _data: None) -> Any:
        return representer.represent_scalar("tag:yaml.org,2002:null", null)

    yaml.representer.add_representer(type(None), represent_none)
    return yaml


def load_roundtrip(path: Path) -> tuple[Any, Layout]:
    """The data of ``path`` as ruamel.yaml's commented structures, and the file's layout."""
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except OSError as exc:
        raise RoundTripError(
            Problem(
                file=path,
                message=_("The file cannot be read: {reason}").format(reason=exc.strerror or exc),
            )
        ) from exc
    except UnicodeDecodeError as exc:
        raise RoundTripError(
            Problem(
                file=path, message=_("The file is not UTF-8 text; save it as UTF-8 in your editor.")
            )
        ) from exc
    layout = detect_layout(text)
    try:
        data = _yaml(layout).load(text.lstrip("\ufeff").replace("\r\n", "\n"))
    except YAMLError as exc:
        raise RoundTripError(
            Problem(file=path, message=_("This is not valid YAML ({problem}).").format(problem=exc))
        ) from exc
    return data, layout


def dump_roundtrip(data: Any, layout: Layout) -> str:
    """``data`` written back in ``layout``."""
    buffer = io.StringIO()
    _yaml(layout).dump(data, buffer)
    text = buffer.getvalue()
    if layout.newline != "\n":
        text = text.replace("\n", layout.newline)
    return ("\ufeff" if layout.bom else "") + text


def edit_yaml(path: Path, change: Callable[[Any], None]) -> str:
    """The text of ``path`` after ``change`` has changed its data in place; nothing is written."""
    data, layout = load_roundtrip(path)
    change(data)
    return dump_roundtrip(data, layout)
