"""Reading one case file: safely, within limits, and keeping line numbers for messages.

Case files are typed by hand by several people, so every way a file can be broken gets its own
plain message: empty, binary, not UTF-8, tabs, invalid YAML, a key twice, anchors and aliases
(refused outright: they are not needed in case files and are the vehicle of "alias bombs"),
tags such as ``!!python/object`` (never needed, and the way into constructor code), nesting too
deep, too many values, too large, a list or a group used as a field name, and a path that is not
an ordinary file (a folder, a device, a pipe, or a symbolic link, which could pull in a file from
outside the casebook and which an erasure would replace instead of emptying its target).
"""

from __future__ import annotations

import os
import re
import stat
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import ruamel.yaml.main
from ruamel.yaml import YAML
from ruamel.yaml.constructor import DuplicateKeyError, SafeConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent, NodeEvent
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.parser import RoundTripParser
from ruamel.yaml.resolver import VersionedResolver

from toolkit.casebook.yamlerrors import explain
from toolkit.errors import Problem
from toolkit.i18n import _

MAX_FILE_BYTES = 1024 * 1024
MAX_DEPTH = 24
#: Values (scalars, lists, groups) per file. The largest real case file has a few hundred; the
#: limit bounds the time and memory one file can take.
MAX_NODES = 10_000
_LEADING_TAB = re.compile(r"^ *\t")


class _Constructor(SafeConstructor):
    """Keeps dates as text so that an impossible date is reported by validation, with its field."""


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_str)


_STR_TAG = "tag:yaml.org,2002:str"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"
#: Scalars built by the constructor's own function for their tag; every other tag (a merge key
#: ``<<``, ``=``, or anything unusual) sends the document through the full constructor.
_SCALAR_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("int", "float", "bool", "null", "timestamp")
)


class _NeedsFullConstructor(Exception):
    """The document holds something :func:`_construct_plain` leaves to ruamel.yaml."""


def _tag_of(node: Node) -> str:
    tag = node.ctag
    if tag.handle is None and "%" not in tag.suffix:
        return str(tag.suffix)
    return str(node.tag)


def _construct_plain(node: Node, constructor: Any) -> Any:
    """The data of a composed document without tags or aliases, as ``construct_document``
    builds it, at a third of the cost: text straight from the node, other scalars by the
    constructor's function for their tag, lists and dicts directly. A repeated key, a key that
    is not a scalar, or an unusual tag raises :class:`_NeedsFullConstructor`, so that ruamel.yaml
    builds (or refuses) the document as before."""
    kind = type(node)
    if kind is ScalarNode:
        tag = _tag_of(node)
        if tag == _STR_TAG:
            return node.value
        if tag not in _SCALAR_TAGS:
            raise _NeedsFullConstructor
        return constructor.yaml_constructors[tag](constructor, node)
    if kind is SequenceNode:
        if _tag_of(node) != _SEQ_TAG:
            raise _NeedsFullConstructor
        return [_construct_plain(item, constructor) for item in node.value]
    if kind is MappingNode:
        if _tag_of(node) != _MAP_TAG:
            raise _NeedsFullConstructor
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if type(key_node) is not ScalarNode:
                raise _NeedsFullConstructor
            key = _construct_plain(key_node, constructor)
            if key in result:
                raise _NeedsFullConstructor
            result[key] = _construct_plain(value_node, constructor)
        return result
    raise _NeedsFullConstructor


def construct(node: Node, constructor: Any) -> Any:
    """The data of a composed document: :func:`_construct_plain`, or ruamel.yaml's constructor
    where that one steps aside."""
    try:
        return _construct_plain(node, constructor)
    except _NeedsFullConstructor:
        return constructor.construct_document(node)


class _Refused(Exception):
    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


class _Resolver(VersionedResolver):
    """Looks the document's YAML version up once instead of for every scalar.

    ruamel.yaml finds the version anew for each value it resolves, through a chain of
    failed attribute lookups: a third of the time of reading a case file. The version is
    fixed before the first value of a document, and :func:`_yaml` forgets it before each
    document, so remembering it changes nothing but the time.
    """

    _version: Any = None

    @property
    def processing_version(self) -> Any:
        if self._version is None:
            self._version = VersionedResolver.processing_version.fget(self)  # type: ignore[attr-defined]
        return self._version

    @property
    def versioned_resolver(self) -> Any:
        version = self.processing_version
        table = _RESOLVER_TABLES.get(version)
        if table is None:
            table = VersionedResolver.versioned_resolver.fget(self)  # type: ignore[attr-defined]
            _RESOLVER_TABLES[version] = table
        return table


#: The table of implicit resolvers per YAML version, shared by every :class:`_Resolver`:
#: ruamel.yaml builds it anew for each resolver, and :func:`_compose` makes one per document.
#: Sharing it changes nothing: ``resolve`` only looks lists up in it by a value's first
#: character (it extends one in place, but only with the resolvers for any first character, of
#: which neither YAML 1.1 nor 1.2 has one).
_RESOLVER_TABLES: dict[Any, Any] = {}

#: libyaml's parser, as ``YAML(typ="safe")`` uses it; ``None`` without ruamel.yaml.clib.
_CParser: Any = getattr(ruamel.yaml.main, "CParser", None)


if _CParser is not None:

    class _Composer(_CParser, _Constructor, _Resolver):  # type: ignore[misc]
        """libyaml's parser and composer for one document, with the same bases and set-up as
        the loader ``YAML(typ="safe").compose`` makes. ruamel.yaml defines that loader's class
        anew inside every call (and with it a resolver table; the class is left for the cycle
        collector): a quarter of the time of composing a case file."""

        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)
            self._parser = self._composer = self
            _Constructor.__init__(self, loader=self)
            self.allow_duplicate_keys = False
            _Resolver.__init__(self, version=None, loadumper=self)


def _compose(yaml: YAML, text: str) -> Any:
    """The node tree of the one document in ``text``, as ``yaml.compose(text)`` gives it."""
    if _CParser is None or yaml.Parser is not _CParser:
        return yaml.compose(text)
    composer = _Composer(text)
    try:
        return composer.get_single_node()
    finally:
        composer.dispose()


# One reader per thread: a ruamel.yaml reader keeps its parser, composer and the remembered
# version as state of the object, and the web app reads case files from several threads at once.
_READERS = threading.local()


def _yaml() -> YAML:
    """The reader for one document: built once per thread (building one costs as much as
    reading a small file), with the remembered YAML version of the last document forgotten."""
    reader: YAML | None = getattr(_READERS, "reader", None)
    if reader is None:
        # The safe loader builds only plain data (dicts, lists, scalars); it uses libyaml
        # through ruamel.yaml.clib when that is installed (ten times faster than pure Python).
        reader = YAML(typ="safe")
        reader.Constructor = _Constructor
        reader.Resolver = _Resolver
        reader.allow_duplicate_keys = False
        _READERS.reader = reader
    reader.resolver._version = None
    return reader


class _EventChecker:
    """Refuses what case files never need, event by event, before anything is built from it:
    anchors and aliases (the vehicle of "alias bombs"), tags (the way into constructor code),
    nesting deeper than :data:`MAX_DEPTH`, more than :data:`MAX_NODES` values."""

    def __init__(self, max_nodes: int | None = None) -> None:
        self.depth = 0
        self.nodes = 0
        self.max_nodes = max_nodes if max_nodes is not None else MAX_NODES

    def check(self, event: Any) -> None:
        if isinstance(event, CollectionEndEvent):
            self.depth -= 1
            return
        if not isinstance(event, NodeEvent):
            return
        line = _line(event.start_mark)
        if isinstance(event, AliasEvent) or event.anchor is not None:
            raise _Refused(
                _(
                    "Anchors and aliases (& and *) are not allowed in case files; "
                    "write the value out in full."
                ),
                line,
            )
        if getattr(event, "tag", None) is not None:
            raise _Refused(
                _(
                    "Tags such as !!str or !!python/object are not allowed in case files; "
                    "write the value plainly, in quotes if it must stay text."
                ),
                line,
            )
        self.nodes += 1
        if self.nodes > self.max_nodes:
            raise _Refused(
                _("The file holds too many values (more than {count}).").format(
                    count=self.max_nodes
                ),
                line,
            )
        if isinstance(event, CollectionStartEvent):
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise _Refused(
                    _("The file is nested too deeply (more than {depth} levels).").format(
                        depth=MAX_DEPTH
                    ),
                    line,
                )


_MAY_HOLD_TAGS_OR_ALIASES = re.compile(r"[!&*]")
_BRACKETS = re.compile(r"[\[\]{}]")


def _check_nodes(root: Node, max_nodes: int) -> None:
    """Depth and number of values of a composed document (one without tags or aliases)."""
    count = 0
    stack: list[tuple[Node, int]] = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        count += 1
        line = _line(node.start_mark)
        if count > max_nodes:
            raise _Refused(
                _("The file holds too many values (more than {count}).").format(count=max_nodes),
                line,
            )
        if isinstance(node, MappingNode):
            children = [child for pair in node.value for child in pair]
        elif isinstance(node, SequenceNode):
            children = list(node.value)
        else:
            continue
        if depth > MAX_DEPTH:
            raise _Refused(
                _("The file is nested too deeply (more than {depth} levels).").format(
                    depth=MAX_DEPTH
                ),
                line,
            )
        stack.extend((child, depth + 1) for child in children)


def _check_events(yaml: YAML, text: str, max_nodes: int) -> None:
    checker = _EventChecker(max_nodes)
    for event in yaml.parse(text):
        checker.check(event)


class CheckedParser(RoundTripParser):
    """The round-trip parser (for editing files in place) with the same refusals as reading."""

    def reset_parser(self) -> None:
        super().reset_parser()
        self._checker = _EventChecker()

    def get_event(self) -> Any:
        event = super().get_event()
        self._checker.check(event)
        return event


#: A field's place in a file: keys (as written) and list positions.
LinePath = tuple[str | int, ...]


def walk_data(data: Any, where: LinePath, out: list[LinePath]) -> None:
    """Every field and list item of ``data`` by its path, fields before what they hold."""
    if type(data) is dict:
        for key, value in data.items():
            here = (*where, key)
            out.append(here)
            walk_data(value, here, out)
    elif type(data) is list:
        for index, value in enumerate(data):
            here = (*where, index)
            out.append(here)
            walk_data(value, here, out)


def line_map(data: Any, lines: Iterable[int]) -> dict[LinePath, int]:
    """The path-to-line map of an entry (the inverse of :func:`lines_of`)."""
    paths: list[LinePath] = []
    walk_data(data, (), paths)
    return dict(zip(paths, lines, strict=False))


def line_in(lines: Mapping[LinePath, int], loc: Iterable[str | int]) -> int | None:
    """The line of the deepest part of ``loc`` the file has (as ``YamlDocument.line_of``)."""
    line: int | None = None
    where: LinePath = ()
    for part in loc:
        where = (*where, part)
        found = lines.get(where)
        if found is None:
            break
        line = found
    return line


@dataclass(frozen=True)
class YamlDocument:
    """The data of one file (plain dicts, lists and scalars) and its node tree, for lines.

    A document read back from the cache of parsed files (:mod:`toolkit.casebook.cache`) has no
    node tree but ``lines``: the line of each field and list item by its path, which gives the
    same answers to :meth:`line_of`.
    """

    path: Path
    data: Any
    node: Node | None = None
    lines: Sequence[int] | None = None

    @cached_property
    def _line_map(self) -> dict[tuple[str | int, ...], int]:
        return line_map(self.data, self.lines or ())

    def line_of(self, loc: Sequence[str | int]) -> int | None:
        """The 1-based line of the deepest part of ``loc`` that the file has."""
        if self.node is None and self.lines is not None:
            return line_in(self._line_map, loc)
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


@dataclass(frozen=True)
class Limits:
    """How large a file may be. Case files are typed by hand and stay far below the defaults;
    the toolkit's own files that grow with use (the erasure log) get larger ones."""

    max_bytes: int
    max_nodes: int


def _limits(limits: Limits | None) -> Limits:
    # Looked up at each call, so the case-file limits are the module's current ones.
    return limits if limits is not None else Limits(MAX_FILE_BYTES, MAX_NODES)


def read_yaml(path: Path, limits: Limits | None = None) -> YamlDocument:
    """Read ``path`` as one YAML mapping; raise :class:`YamlProblem` with a plain message."""

    def fail(message: str, line: int | None = None) -> YamlProblem:
        return YamlProblem(Problem(file=path, line=line, message=message))

    limits = _limits(limits)
    return parse_yaml(_read_bytes(path, fail, limits.max_bytes), path, limits)


def read_file_bytes(path: Path, limits: Limits | None = None) -> bytes:
    """The bytes of the case file ``path`` with the checks of :func:`read_yaml` that come before
    parsing (an ordinary file, not a link, within the size limit); :class:`YamlProblem` if not."""

    def fail(message: str, line: int | None = None) -> YamlProblem:
        return YamlProblem(Problem(file=path, line=line, message=message))

    return _read_bytes(path, fail, _limits(limits).max_bytes)


def nesting_bound(text: str) -> int:
    """An upper bound of how deeply ``text`` can nest its values, found without parsing.

    The parser (libyaml's composer, and the pure-Python one) builds nested values by recursion,
    so a file of a hundred kilobytes of ``[`` overflows the stack and kills the process before
    any depth check on events or nodes can run. A value opens a level only with a bracket or
    brace, a "- " or "? " or ": " on its line, or deeper indentation, so counting those bounds
    the depth from above; quotes are not excluded (the bound only has to be safe).
    """
    flow = deepest_flow = 0
    deepest_line = 0
    for line in text.splitlines():
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        markers = stripped.count("- ") + stripped.count("? ") + stripped.count(": ") + 1
        deepest_line = max(deepest_line, indent + markers)
        if not _BRACKETS.search(stripped):
            continue  # only brackets and braces change the flow depth
        for char in stripped:
            if char in "[{":
                flow += 1
                deepest_flow = max(deepest_flow, flow)
            elif char in "]}":
                flow = max(flow - 1, 0)
    return deepest_flow + deepest_line


def parse_yaml(raw: bytes, path: Path, limits: Limits | None = None) -> YamlDocument:
    """Parse the bytes of the file ``path`` with every check of :func:`read_yaml`."""
    limits = _limits(limits)

    def fail(message: str, line: int | None = None) -> YamlProblem:
        return YamlProblem(Problem(file=path, line=line, message=message))

    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise fail(_("The file is saved as UTF-16; save it as UTF-8 in your editor."))
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

    if len(raw) > limits.max_bytes:
        raise fail(
            _("The file is too large ({size} kB); a case file may be at most {limit} kB.").format(
                size=len(raw) // 1024, limit=limits.max_bytes // 1024
            )
        )
    yaml = _yaml()
    try:
        if _MAY_HOLD_TAGS_OR_ALIASES.search(text) or nesting_bound(text) > MAX_DEPTH:
            # Events come from a parser without recursion: checking them first refuses deep
            # nesting before the (recursive) composer could overflow on it.
            _check_events(yaml, text, limits.max_nodes)
            node = _compose(yaml, text)
        else:
            # Without '!', '&' or '*' the text can hold no tag, anchor or alias, and it cannot
            # nest deeper than allowed: only size is left to check, and the composed nodes show
            # it at a third of the cost.
            node = _compose(yaml, text)
            if node is not None:
                _check_nodes(node, limits.max_nodes)
        data = construct(node, yaml.constructor) if node is not None else None
    except _Refused as exc:
        raise fail(exc.message, exc.line) from exc
    except (MarkedYAMLError, DuplicateKeyError) as exc:
        explanation = explain(exc, text)
        raise fail(explanation.message, explanation.line) from exc
    except (YAMLError, ValueError, TypeError, IndexError, RecursionError) as exc:
        raise fail(explain(exc, text).message) from exc

    if data is None:
        raise fail(_("The file is empty; a case file holds fields such as 'name: ...'."))
    _check_keys(node, fail)
    if not isinstance(data, dict):
        found = _("a list") if isinstance(data, list) else _("a single value")
        raise fail(
            _("The file must hold fields (key: value), one per line; it holds {found}.").format(
                found=found
            ),
            1,
        )
    return YamlDocument(path=path, data=data, node=node)


def _read_bytes(path: Path, fail: Callable[..., YamlProblem], max_bytes: int) -> bytes:
    """The file's bytes, if it is an ordinary file within the size limit."""
    try:
        info = path.lstat()
    except OSError as exc:
        raise fail(_("The file cannot be read: {reason}").format(reason=exc.strerror)) from exc
    if stat.S_ISLNK(info.st_mode):
        raise fail(
            _(
                "This is a symbolic link; a case file must be an ordinary file. Copy the file "
                "into the casebook instead of linking to it."
            )
        )
    if stat.S_ISDIR(info.st_mode):
        raise fail(_("This is a folder, not a file; rename or remove it."))
    if not stat.S_ISREG(info.st_mode):
        raise fail(_("This is not an ordinary file; a case file must be a YAML text file."))

    def too_large(size: int) -> YamlProblem:
        return fail(
            _("The file is too large ({size} kB); a case file may be at most {limit} kB.").format(
                size=size // 1024, limit=max_bytes // 1024
            )
        )

    if info.st_size > max_bytes:
        raise too_large(info.st_size)
    # Opened without following links and read no further than the limit, so a file swapped or
    # grown after the check above still cannot make the toolkit read more.
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(path, flags)
        with os.fdopen(descriptor, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise fail(_("This is not an ordinary file; a case file must be a YAML text file."))
            raw = handle.read(max_bytes + 1)
    except OSError as exc:
        raise fail(_("The file cannot be read: {reason}").format(reason=exc.strerror)) from exc
    if len(raw) > max_bytes:
        raise too_large(len(raw))
    return raw


def _check_keys(node: Node, fail: Callable[..., YamlProblem]) -> None:
    """Field names are words: a list, a group or nothing used as a key cannot be a field."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, MappingNode):
            for key, value in current.value:
                blank = isinstance(key, ScalarNode) and str(key.tag).endswith(":null")
                if not isinstance(key, ScalarNode) or blank:
                    raise fail(
                        _("A field name is missing or is not a word (a list or a group)."),
                        _line(key.start_mark),
                    )
                stack.append(value)
        elif isinstance(current, SequenceNode):
            stack.extend(current.value)


def _line(mark: Any) -> int | None:
    return int(mark.line) + 1 if mark is not None else None
