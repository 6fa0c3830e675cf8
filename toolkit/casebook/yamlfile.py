"""Reading one case file: safely, within limits, and keeping line numbers for messages.

Case files are typed by hand by several people, so every way a file can be broken gets its own
plain message: empty, binary, not UTF-8, tabs, invalid YAML, a key twice, anchors and aliases
(refused outright: they are not needed in case files and are the vehicle of "alias bombs"),
nesting too deep, too large.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.constructor import DuplicateKeyError, SafeConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.resolver import VersionedResolver

from toolkit.errors import Problem
from toolkit.i18n import _

MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 24
_LEADING_TAB = re.compile(r"^ *\t")


class _Constructor(SafeConstructor):
    """Keeps dates as text so that an impossible date is reported by validation, with its field."""


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_str)


class _Resolver(VersionedResolver):
    """Looks the document's YAML version up once instead of for every scalar.

    ruamel.yaml finds the version anew for each value it resolves, through a chain of
    failed attribute lookups: a third of the time of reading a case file. One resolver
    serves one document (each file gets its own YAML object), and the version is fixed
    before the first value, so remembering it changes nothing but the time.
    """

    _version: Any = None

    @property
    def processing_version(self) -> Any:
        if self._version is None:
            self._version = VersionedResolver.processing_version.fget(self)  # type: ignore[attr-defined]
        return self._version


def _yaml() -> YAML:
    # The safe loader builds only plain data (no Python objects from tags); it uses libyaml
    # through ruamel.yaml.clib when that is installed, which is about ten times faster.
    yaml = YAML(typ="safe")
    yaml.Constructor = _Constructor
    yaml.Resolver = _Resolver
    yaml.allow_duplicate_keys = False
    return yaml


@dataclass(frozen=True)
class YamlDocument:
    """The data of one file and its node tree, to point messages at lines."""

    path: Path
    data: Any
    node: Node | None = None

    def line_of(self, loc: Sequence[str | int]) -> int | None:
        """The 1-based line of the deepest part of ``loc`` that the file has."""
        node = self.node
        line: int | None = None
        for part in loc:
            found: Node | None = None
            if isinstance(node, MappingNode):
                for key, value in node.value:
                    if isinstance(key, ScalarNode) and key.value == part:
                        line = key.start_mark.line + 1
                        found = value
                        break
            elif (
                isinstance(node, SequenceNode)
                and isinstance(part, int)
                and 0 <= part < len(node.value)
            ):
                found = node.value[part]
                line = found.start_mark.line + 1
            if found is None:
                break
            node = found
        return line


class YamlProblem(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def read_yaml(path: Path) -> YamlDocument:
    """Read ``path`` as one YAML mapping; raise :class:`YamlProblem` with a plain message."""

    def fail(message: str, line: int | None = None) -> YamlProblem:
        return YamlProblem(Problem(file=path, line=line, message=message))

    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise fail(
                _(
                    "The file is too large ({size} kB); a case file may be at most {limit} kB."
                ).format(size=size // 1024, limit=MAX_FILE_BYTES // 1024)
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise fail(_("The file cannot be read: {reason}").format(reason=exc.strerror)) from exc
    if b"\x00" in raw:
        raise fail(_("This is not a text file (it contains binary data)."))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise fail(_("The file is not UTF-8 text; save it as UTF-8 in your editor."), line) from exc
    for number, content in enumerate(text.splitlines(), start=1):
        if _LEADING_TAB.match(content):
            raise fail(_("A tab is used for indentation; use spaces instead."), number)

    yaml = _yaml()
    try:
        node = yaml.compose(text)
        if node is not None:
            _check_structure(node, fail)
        data = yaml.constructor.construct_document(node) if node is not None else None
    except DuplicateKeyError as exc:
        raise fail(_("A field appears twice in the same place."), _line(exc.problem_mark)) from exc
    except MarkedYAMLError as exc:
        raise fail(
            _("This is not valid YAML ({problem}). Check indentation, colons and quotes.").format(
                problem=(exc.problem or exc.context or "").strip()
            ),
            _line(exc.problem_mark or exc.context_mark),
        ) from exc
    except YAMLError as exc:
        raise fail(_("This is not valid YAML ({problem}).").format(problem=exc)) from exc
    except (ValueError, TypeError, RecursionError) as exc:
        raise fail(_("This is not valid YAML ({problem}).").format(problem=exc)) from exc

    if data is None:
        raise fail(_("The file is empty; a case file holds fields such as 'name: ...'."))
    if not isinstance(data, dict):
        found = _("a list") if isinstance(data, list) else _("a single value")
        raise fail(
            _("The file must hold fields (key: value), one per line; it holds {found}.").format(
                found=found
            ),
            1,
        )
    return YamlDocument(path=path, data=data, node=node)


def _line(mark: Any) -> int | None:
    return int(mark.line) + 1 if mark is not None else None


def _check_structure(root: Node, fail: Any) -> None:
    """Refuse aliases and over-deep nesting before any data is built from the nodes.

    An alias makes the composer share one node in two places, so a node met twice is an
    alias; refusing them all stops "billion laughs" bombs before they can expand.
    """
    seen: set[int] = set()
    stack: list[tuple[Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if id(node) in seen:
            raise fail(
                _(
                    "Anchors and aliases (& and *) are not allowed in case files; "
                    "write the value out in full."
                ),
                _line(node.start_mark),
            )
        seen.add(id(node))
        if isinstance(node, MappingNode):
            children = [child for pair in node.value for child in pair]
        elif isinstance(node, SequenceNode):
            children = list(node.value)
        else:
            continue
        if depth > MAX_DEPTH:
            raise fail(
                _("The file is nested too deeply (more than {depth} levels).").format(
                    depth=MAX_DEPTH
                ),
                _line(node.start_mark),
            )
        stack.extend((child, depth + 1) for child in reversed(children))
