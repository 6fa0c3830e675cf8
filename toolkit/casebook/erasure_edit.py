"""Erasure in one file: who to look for, and how a case file is edited without harm.

:mod:`toolkit.casebook.rights` plans and carries out an erasure over the whole casebook; this
module holds what it does to one file. The person is found with the identifier matcher
(:mod:`toolkit.casebook.identifiers`), knowing everyone else too, so that the longest name wins
and what another person also holds stays. A case file is edited as text where that is safe (a
line with the reference removed, the name replaced by ``(verwijderd)``), so every other byte of
it stays as it was; the result is parsed again and must equal the intended data. Where a text
edit cannot be proven right, the round-trip writer edits it (comments and order kept), and where
even that fails the plan says to edit the file by hand. Keys, tags, ids and other single
lowercase words are never replaced: that would make the casebook invalid.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import FoldedScalarString, ScalarString

from toolkit.casebook.history import HISTORY_FILE, without_record
from toolkit.casebook.identifiers import (
    Hit,
    Identity,
    Matcher,
    name_parts,
    phone_key,
    plain_email,
    replace_hits,
)
from toolkit.casebook.records import ID_PATTERN
from toolkit.casebook.roundtrip import load_editable, load_roundtrip
from toolkit.casebook.yamlfile import YamlProblem, parse_yaml
from toolkit.errors import ToolkitError
from toolkit.i18n import _

#: What a mention of an erased person becomes. Plain text that is valid anywhere in YAML.
PLACEHOLDER = "(verwijderd)"
YAML_SUFFIXES = (".yaml", ".yml")
BOM = b"\xef\xbb\xbf"

Action = Literal["delete", "edit", "manual"]


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- who to look for ------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonFile:
    """What a person's own file says about who they are (read leniently: it may be broken)."""

    path: str | None = None
    name: str | None = None
    status: str | None = None
    phone: str | None = None
    email: str | None = None
    birth_year: int | None = None
    contact_name: str | None = None

    def identity(self, person_id: str) -> Identity:
        names = tuple(n for n in (self.name, self.contact_name) if n)
        return Identity(
            person_id,
            names,
            (self.phone,) if self.phone else (),
            (self.email,) if self.email else (),
        )


@dataclass(frozen=True)
class Needles:
    """What finds one person in text: the identifier matcher with their id, every form of their
    name, their phone and e-mail, less what another person's file also holds."""

    person_id: str
    matcher: Matcher
    #: Name parts, phones and e-mails left alone because another person also has them.
    shared: tuple[str, ...] = ()
    #: Whether a list entry that names the person goes whole (an exclusion pair: half a pair is
    #: not valid). Not in the books: a line of a kept payment list stays, with the id replaced,
    #: because what was paid must stay accounted for.
    whole_entries: bool = True

    def hits(self, text: str) -> list[Hit]:
        mine = frozenset({self.person_id})
        return [
            h
            for h in self.matcher.find(text)
            if h.person_ids == mine and not (_inside_an_id(text, h) or _a_word_not_a_name(text, h))
        ]

    def found_in(self, text: str) -> bool:
        return bool(self.hits(text))

    def count(self, text: str) -> int:
        return len(self.hits(text))

    def replace(self, text: str) -> tuple[str, int]:
        hits = self.hits(text)
        return replace_hits(text, hits, PLACEHOLDER), len(hits)


_ID_CHARS = re.compile(r"[a-z0-9-]")

#: Folders whose entries are bookkeeping: an erasure replaces the person there, never an entry.
KEPT_FOR_THE_BOOKS = frozenset({"payments"})


def _inside_an_id(text: str, hit: Hit) -> bool:
    """Whether a name hit is only part of a longer id ("graaf" in "de-graaf-bv"), which names
    another record: replacing it would break that reference."""
    if hit.kind != "name":
        return False
    start, end = hit.start, hit.end
    while start > 0 and _ID_CHARS.match(text[start - 1]):
        start -= 1
    while end < len(text) and _ID_CHARS.match(text[end]):
        end += 1
    token = text[start:end]
    return token != hit.found and "-" in token and bool(ID_PATTERN.match(token))


#: A lowercase name part standing alone as a value ("- tuin", "talents: [tuin]", "key: tuin")
#: or as a key: a tag, an enum value or a field, never written as a person's name. Replacing it
#: would make the file invalid, so it stays (the person's name is capitalised where it is one).
_BARE_BEFORE = re.compile(r"(?:^[ \t]*(?:-[ \t]+)*|:[ \t]+|[\[,{][ \t]*|['\"])$")
_BARE_AFTER = re.compile(r"^(?:[ \t]*(?:$|#|[\],}:]|,)|['\"])")
_KEY_BEFORE = re.compile(r"^[ \t]*(?:-[ \t]+)?$")
_KEY_AFTER = re.compile(r"^[ \t]*:(?:[ \t]|$)")


def _a_word_not_a_name(text: str, hit: Hit) -> bool:
    if hit.kind != "name":
        return False
    line_start = text.rfind("\n", 0, hit.start) + 1
    line_end = text.find("\n", hit.end)
    before = text[line_start : hit.start]
    after = text[hit.end : line_end if line_end >= 0 else len(text)]
    if _KEY_BEFORE.match(before) and _KEY_AFTER.match(after):
        return True
    return (
        hit.confirmable
        and hit.found.islower()
        and bool(_BARE_BEFORE.search(before))
        and bool(_BARE_AFTER.match(after))
    )


def needles_for(
    person_id: str, person: PersonFile, others: Mapping[str, PersonFile] | None = None
) -> Needles:
    """The needles for ``person_id``; whatever one of ``others`` also holds is left out.

    The matcher knows everyone, so that the longest name wins: "Anna Jansen-Bos" is another
    person's name, not "Anna Jansen" followed by something.
    """
    everyone = [person.identity(person_id)]
    everyone.extend(p.identity(i) for i, p in (others or {}).items() if i != person_id)
    matcher = Matcher(everyone, generic=False)
    identity = everyone[0]
    shared: list[str] = []
    for name in identity.names:
        shared.extend(
            part.text for part in name_parts(name) if len(matcher.owners.get(part.text, ())) > 1
        )
    shared.extend(p for p in identity.phones if len(matcher.phones.get(phone_key(p) or "", ())) > 1)
    shared.extend(e for e in identity.emails if len(matcher.emails.get(plain_email(e), ())) > 1)
    return Needles(person_id, matcher, tuple(dict.fromkeys(shared)))


@dataclass(frozen=True)
class FileChange:
    """What an erasure does to one file."""

    path: str
    action: Action
    role: str
    digest: str = ""
    new_text: str | None = None
    #: Field paths of list items that named the person (removed).
    references: tuple[str, ...] = ()
    #: Field paths of entries keyed by the person's id (removed).
    entries: tuple[str, ...] = ()
    #: Pieces of text (values and comments) replaced by the placeholder.
    mentions: int = 0
    #: False when the file is rewritten by the round-trip writer, which may change its layout.
    faithful: bool = True
    #: For ``manual``: why the toolkit cannot do it.
    reason: str = ""


def searchable(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def plan_file(root: Path, relative: str, data: bytes, needles: Needles) -> FileChange | None:
    path = PurePosixPath(relative)
    if path.stem == needles.person_id:
        return FileChange(
            relative,
            "manual",
            "other",
            digest(data),
            reason=_("named after this person: remove or rename it by hand"),
        )
    if not searchable(data):
        return None  # listed in the plan's notes
    text = data.decode("utf-8-sig")
    if not needles.found_in(text):
        return None
    if relative == HISTORY_FILE:
        kept, removed = without_record(text, needles.person_id)
        if removed and not needles.found_in(kept):
            # The history names fields, never values: the person's lines go, the rest stays.
            lines = tuple(f"[{number}]" for number in removed)
            return FileChange(
                relative, "edit", "history", digest(data), new_text=kept, entries=lines
            )
    if path.suffix.lower() not in YAML_SUFFIXES:
        return FileChange(
            relative,
            "manual",
            "other",
            digest(data),
            mentions=needles.count(text),
            reason=_("not a case file: remove the mentions by hand"),
        )
    try:
        parse_yaml(data, root / relative)  # a file reading would refuse is not edited
    except YamlProblem:
        return FileChange(
            relative,
            "manual",
            "other",
            digest(data),
            mentions=needles.count(text),
            reason=_("cannot be read as YAML: remove the mentions by hand"),
        )
    # Planning edits the text line by line, so it needs the positions round-trip data keeps.
    if path.parts[0] in KEPT_FOR_THE_BOOKS:
        needles = replace(needles, whole_entries=False)
    change = _plan_yaml_edit(root / relative, relative, data, text, load_roundtrip(text), needles)
    if change.new_text is not None and data.startswith(BOM):
        # The text was read without its byte-order mark; write it back with it.
        change = replace(change, new_text="\ufeff" + change.new_text)
    return change


# --- editing one case file ------------------------------------------------------------------


@dataclass
class _Found:
    """Where a case file names the person, found in its parsed data."""

    references: list[tuple[CommentedSeq, int, str, Any, Any]] = field(default_factory=list)
    entries: list[str] = field(default_factory=list)


def _field(path: str, part: str | int) -> str:
    if isinstance(part, int):
        return f"{path}[{part + 1}]"
    return f"{path}.{part}" if path else str(part)


def _find(
    node: Any, needles: Needles, found: _Found, path: str = "", parent: Any = None, key: Any = None
) -> None:
    if isinstance(node, CommentedMap):
        for k, value in node.items():
            if k == needles.person_id:
                found.entries.append(_field(path, str(k)))
            else:
                _find(value, needles, found, _field(path, str(k)), node, k)
    elif isinstance(node, CommentedSeq):
        for index, item in enumerate(node):
            if _names_person(item, needles):
                found.references.append((node, index, _field(path, index), parent, key))
            else:
                _find(item, needles, found, _field(path, index), node, index)


def _names_person(item: Any, needles: Needles) -> bool:
    """Whether a list item is a reference to the person: their id, or an entry (an exclusion
    pair) with a field that is their id. Either goes whole: half a pair is not valid."""
    if isinstance(item, str):
        return item.strip() == needles.person_id
    if isinstance(item, Mapping) and needles.whole_entries:
        return any(isinstance(v, str) and v.strip() == needles.person_id for v in item.values())
    return False


def _expected(node: Any, needles: Needles) -> Any:
    """Plain data as it must be after the erasure: references and entries gone, text replaced."""
    if isinstance(node, Mapping):
        return {k: _expected(v, needles) for k, v in node.items() if k != needles.person_id}
    if isinstance(node, list):
        return [_expected(item, needles) for item in node if not _names_person(item, needles)]
    if isinstance(node, str):
        return needles.replace(str(node))[0]
    return node


def _plain(node: Any) -> Any:
    if isinstance(node, Mapping):
        return {k: _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(item) for item in node]
    if isinstance(node, str):
        return str(node)
    return node


def _plan_yaml_edit(
    path: Path, relative: str, data: bytes, text: str, parsed: Any, needles: Needles
) -> FileChange:
    found = _Found()
    _find(parsed, needles, found)
    expected = _expected(_plain(parsed), needles)
    role = "record"

    def result_of(new_text: str) -> Any:
        try:
            return _plain(parse_yaml(new_text.encode("utf-8"), path).data)
        except YamlProblem:
            return None

    edited = None if found.entries else _remove_items_as_text(text, found)
    if edited is not None:
        new_text, mentions = needles.replace(edited)
        if result_of(new_text) == expected:
            return FileChange(
                relative,
                "edit",
                role,
                digest(data),
                new_text=new_text,
                references=tuple(r[2] for r in found.references),
                mentions=mentions,
            )
    rewritten, mentions = _edit_round_trip(text, needles)
    if rewritten is not None and result_of(rewritten) == expected:
        return FileChange(
            relative,
            "edit",
            role,
            digest(data),
            new_text=rewritten,
            references=tuple(r[2] for r in found.references),
            entries=tuple(found.entries),
            mentions=mentions,
            faithful=False,
        )
    return FileChange(
        relative,
        "manual",
        role,
        digest(data),
        mentions=needles.count(text),
        reason=_("cannot be edited safely by the toolkit: remove the mentions by hand"),
    )


_TOKEN_AFTER = re.compile(r"[ \t]*(#.*)?\r?\n?$")


def _remove_items_as_text(text: str, found: _Found) -> str | None:
    """``text`` without the list items in ``found``, edited line by line; None if unsure."""
    lines = text.splitlines(keepends=True)
    delete: set[int] = set()
    flow_edits: dict[int, list[tuple[int, str]]] = {}
    empty_keys: list[tuple[int, int, str]] = []
    by_sequence: dict[int, list[tuple[CommentedSeq, int, str, Any, Any]]] = {}
    for reference in found.references:
        by_sequence.setdefault(id(reference[0]), []).append(reference)

    for references in by_sequence.values():
        sequence, _index, _path, parent, key = references[0]
        flow = sequence.fa.flow_style()
        for seq, index, _p, _parent, _key in references:
            line, column = seq.lc.item(index)
            if line >= len(lines):
                return None
            value = str(seq[index])
            if flow:
                flow_edits.setdefault(line, []).append((column, value))
                continue
            content = lines[line]
            before, after = content[:column], content[column:]
            token = next((t for t in _quoted(value) if after.startswith(t)), None)
            if token is None or not re.fullmatch(r"[ \t]*-[ \t]+", before):
                return None
            if not _TOKEN_AFTER.fullmatch(after[len(token) :]):
                return None
            delete.add(line)
        if not flow and len(references) == len(sequence):
            # The list becomes empty: "cases:" alone would mean "no value", so write [].
            if not isinstance(parent, CommentedMap) or not isinstance(key, str):
                return None
            key_line, key_column = parent.lc.key(key)
            empty_keys.append((key_line, key_column, key))

    for line, edits in flow_edits.items():
        content = lines[line]
        for column, value in sorted(edits, reverse=True):
            edited = _remove_flow_item(content, column, value)
            if edited is None:
                return None
            content = edited
        lines[line] = content
    for key_line, key_column, key in empty_keys:
        content = lines[key_line]
        match = re.compile(rf"{re.escape(key)}[ \t]*:").match(content, key_column)
        if match is None or not _TOKEN_AFTER.fullmatch(content[match.end() :]):
            return None
        lines[key_line] = content[: match.end()] + " []" + content[match.end() :]
    return "".join(line for number, line in enumerate(lines) if number not in delete)


def _quoted(value: str) -> tuple[str, ...]:
    return (f"'{value}'", f'"{value}"', value)


def _remove_flow_item(content: str, column: int, value: str) -> str | None:
    token = next((t for t in _quoted(value) if content.startswith(t, column)), None)
    if token is None:
        return None
    end = column + len(token)
    after = re.compile(r"[ \t]*,[ \t]*").match(content, end)
    if after is not None:
        return content[:column] + content[after.end() :]
    before = re.search(r",[ \t]*$", content[:column])
    if before is not None:
        return content[: before.start()] + content[end:]
    return content[:column] + content[end:]


def _edit_round_trip(text: str, needles: Needles) -> tuple[str | None, int]:
    """The erasure done on the data and written back by the round-trip writer."""
    try:
        editable = load_editable(text)
    except (ToolkitError, ValueError, TypeError):
        return None, 0
    mentions = _edit_node(editable.data, needles)
    # What the data edit cannot reach are comments; replace there as in any text.
    new_text, in_comments = needles.replace(editable.dump())
    return new_text, mentions + in_comments


def _edit_node(node: Any, needles: Needles) -> int:
    count = 0
    if isinstance(node, CommentedMap):
        for key in list(node):
            if key == needles.person_id:
                del node[key]
                continue
            value = node[key]
            if isinstance(value, str):
                node[key], replaced = _replace_keeping_style(value, needles)
                count += replaced
            else:
                count += _edit_node(value, needles)
    elif isinstance(node, CommentedSeq):
        for index in reversed(range(len(node))):
            item = node[index]
            if _names_person(item, needles):
                del node[index]
            elif isinstance(item, str):
                node[index], replaced = _replace_keeping_style(item, needles)
                count += replaced
            else:
                count += _edit_node(item, needles)
    return count


def _replace_keeping_style(value: str, needles: Needles) -> tuple[str, int]:
    new, count = needles.replace(str(value))
    if not count or not isinstance(value, ScalarString):
        return (new if count else value), count
    styled = type(value)(new)
    if isinstance(value, FoldedScalarString):
        # Fold points are offsets into the text; keep those still at a space.
        folds = getattr(value, "fold_pos", [])
        styled.fold_pos = [p for p in folds if p < len(new) and new[p] == " "]
    if hasattr(value, "comment"):
        styled.comment = value.comment
    return styled, count
