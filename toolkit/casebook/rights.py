"""People's rights over their data: erasure (``vergeet``) and the search that access shares.

Erasure works on the casebook's files, not on the loaded casebook: it must also work when the
casebook does not pass ``check`` (a restored file of an erased person is exactly such a case),
and it must find the person wherever a file names them, in comments too.

It runs in three steps. :func:`snapshot` reads every file once. :func:`plan_erasure` is pure: from
that snapshot it computes every change, with the new text of each file it edits, so the plan can
be shown, confirmed and tested before anything happens. :func:`apply_erasure` writes the plan
down and does nothing else.

A case file is edited as text where that is safe (a line with the reference removed, the name
replaced by ``(verwijderd)``), so every other byte of it, comments included, stays as it was;
the result is parsed again and must equal the intended data. Where a text edit cannot be proven
right, the file is edited through the round-trip writer instead (comments and order kept), and
where even that fails the plan says to edit the file by hand.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import os
import re
import stat
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import FoldedScalarString, ScalarString

from toolkit.casebook.erasure import ERASURE_LOG, append_to_log, read_erasure_log
from toolkit.casebook.records import ID_PATTERN
from toolkit.casebook.roundtrip import load_editable, load_roundtrip
from toolkit.casebook.yamlfile import YamlProblem, parse_yaml
from toolkit.errors import (
    ConflictError,
    InvalidInputError,
    NotFoundError,
    OutputError,
    Remedy,
    ToolkitError,
)
from toolkit.files import write_atomic
from toolkit.i18n import _, ngettext

#: What a mention of an erased person becomes. Plain text that is valid anywhere in YAML.
PLACEHOLDER = "(verwijderd)"
YAML_SUFFIXES = (".yaml", ".yml")
#: Folders whose ``<id>.yaml`` is a person's own file, removed whole by an erasure.
OWN_FILE_FOLDERS = {"people": "person", "hours": "hours"}
#: Files larger than this are not searched (they are not case files); the plan says so.
MAX_SEARCH_BYTES = 20 * 1024 * 1024
#: A name shorter than this would match ordinary words; only the id is searched then.
MIN_NAME_CHARS = 4

BOM = b"\xef\xbb\xbf"

Action = Literal["delete", "edit", "manual"]


# --- reading the casebook once -------------------------------------------------------------


@dataclass(frozen=True)
class CasebookFiles:
    """Every file under a casebook folder, read once; links are listed, never followed."""

    root: Path
    files: Mapping[str, bytes]
    links: tuple[str, ...] = ()
    unreadable: Mapping[str, str] = field(default_factory=dict)
    in_git: bool = False


def snapshot(root: Path) -> CasebookFiles:
    """Read every file under ``root`` except hidden ones and the erasure log."""
    if not root.is_dir():
        raise NotFoundError(_("The casebook folder {path} does not exist.").format(path=root))
    files: dict[str, bytes] = {}
    links: list[str] = []
    unreadable: dict[str, str] = {}

    def failed(folder_error: OSError) -> None:
        unreadable[str(folder_error.filename)] = folder_error.strerror or str(folder_error)

    for folder, subfolders, names in os.walk(root, onerror=failed):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
        for name in sorted(names):
            path = Path(folder) / name
            relative = path.relative_to(root).as_posix()
            if name.startswith(".") or relative == ERASURE_LOG:
                continue
            try:
                info = path.lstat()
                if stat.S_ISLNK(info.st_mode):
                    links.append(relative)
                elif not stat.S_ISREG(info.st_mode):
                    continue
                elif info.st_size > MAX_SEARCH_BYTES:
                    unreadable[relative] = _("too large to search")
                else:
                    files[relative] = path.read_bytes()
            except OSError as exc:
                unreadable[relative] = exc.strerror or str(exc)
    return CasebookFiles(
        root=root,
        files=files,
        links=tuple(links),
        unreadable=unreadable,
        in_git=_in_git(root),
    )


def _in_git(root: Path) -> bool:
    folder = root.resolve()
    return any((f / ".git").exists() for f in (folder, *folder.parents))


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


@dataclass(frozen=True)
class Needles:
    """The patterns that find a person in text: id, full name, phone, e-mail."""

    person_id: str
    patterns: tuple[re.Pattern[str], ...]

    def found_in(self, text: str) -> bool:
        return any(p.search(text) for p in self.patterns)

    def count(self, text: str) -> int:
        return sum(len(p.findall(text)) for p in self.patterns)

    def replace(self, text: str) -> tuple[str, int]:
        total = 0
        for pattern in self.patterns:
            text, count = pattern.subn(PLACEHOLDER, text)
            total += count
        return text, total


def needles_for(person_id: str, person: PersonFile) -> Needles:
    # Ids are lowercase words joined by hyphens; a hyphen next to a match means a longer id
    # (anna-de-vries-2), so it is not this person.
    patterns = [re.compile(rf"(?<![\w-]){re.escape(person_id)}(?![\w-])")]
    if person.name and len(person.name.strip()) >= MIN_NAME_CHARS:
        name = r"\s+".join(re.escape(word) for word in person.name.split())
        patterns.append(re.compile(rf"(?<![\w-]){name}(?![\w-])", re.IGNORECASE))
    for value in (person.phone, person.email):
        if value and len(value.strip()) >= MIN_NAME_CHARS:
            patterns.append(re.compile(rf"(?<![\w@.+-]){re.escape(value.strip())}(?![\w-])"))
    return Needles(person_id, tuple(patterns))


def own_files(files: CasebookFiles, person_id: str) -> dict[str, str]:
    """The person's own files (relative path → role): people/<id>.yaml, hours/<id>.yaml."""
    own = {}
    for relative in files.files:
        parts = PurePosixPath(relative)
        if (
            len(parts.parts) == 2
            and parts.parts[0] in OWN_FILE_FOLDERS
            and parts.suffix.lower() in YAML_SUFFIXES
            and parts.stem == person_id
        ):
            own[relative] = OWN_FILE_FOLDERS[parts.parts[0]]
    return own


def read_person_file(files: CasebookFiles, person_id: str) -> PersonFile:
    for relative, role in sorted(own_files(files, person_id).items()):
        if role != "person":
            continue
        try:
            data = parse_yaml(files.files[relative], files.root / relative).data
        except YamlProblem:
            return PersonFile(path=relative)
        contact = data.get("contact")
        contact = contact if isinstance(contact, Mapping) else {}

        def text(value: Any) -> str | None:
            return str(value) if isinstance(value, str) and value.strip() else None

        return PersonFile(
            path=relative,
            name=text(data.get("name")),
            status=text(data.get("status")) or "kandidaat",
            phone=text(contact.get("phone")),
            email=text(contact.get("email")),
        )
    return PersonFile()


# --- the plan -------------------------------------------------------------------------------


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


@dataclass(frozen=True)
class ErasurePlan:
    root: Path
    person_id: str
    person: PersonFile
    changes: tuple[FileChange, ...]
    notes: tuple[str, ...] = ()
    erased_before: dt.date | None = None

    @property
    def active(self) -> bool:
        return self.person.status == "actief"

    def of(self, action: Action) -> list[FileChange]:
        return [c for c in self.changes if c.action == action]

    def removed(self) -> dict[str, int]:
        """What the erasure removes, in counts: the erasure log's only record of it."""
        counts: Counter[str] = Counter()
        for change in self.changes:
            if change.action == "delete":
                counts[f"{change.role}_file"] += 1
            elif change.action == "edit":
                counts["files_edited"] += 1
                counts["references"] += len(change.references)
                counts["entries"] += len(change.entries)
                counts["mentions"] += change.mentions
            else:
                counts["left_for_hand"] += 1
        order = [
            "person_file",
            "hours_file",
            "files_edited",
            "references",
            "entries",
            "mentions",
            "left_for_hand",
        ]
        return {kind: counts[kind] for kind in order if counts[kind]}


def plan_erasure(files: CasebookFiles, person_id: str) -> ErasurePlan:
    """Every change that erasing ``person_id`` makes to the casebook in ``files``; pure."""
    if not ID_PATTERN.match(person_id):
        raise InvalidInputError(
            _(
                "'{id}' is not a valid id: use lowercase letters a-z, digits and hyphens, "
                "for example jan-de-vries."
            ).format(id=person_id),
            field="id",
        )
    try:
        log = read_erasure_log(files.root)
    except YamlProblem as exc:
        raise ConflictError(
            _("The erasure log cannot be read; mend it first: {problem}").format(
                problem=exc.problem
            ),
            path=exc.problem.file,
        ) from exc
    erased = log.entry_for(person_id) if log is not None else None
    person = read_person_file(files, person_id)
    needles = needles_for(person_id, person)
    own = own_files(files, person_id)

    changes: list[FileChange] = []
    for relative, data in sorted(files.files.items()):
        if relative in own:
            changes.append(FileChange(relative, "delete", own[relative], digest(data)))
            continue
        change = _plan_file(files.root, relative, data, needles)
        if change is not None:
            changes.append(change)
    for relative in files.links:
        if PurePosixPath(relative).stem == person_id or needles.found_in(relative):
            changes.append(
                FileChange(
                    relative,
                    "manual",
                    "other",
                    reason=_("a symbolic link: remove it, and the file it points to, by hand"),
                )
            )

    if not changes:
        if erased is not None:
            raise NotFoundError(
                _(
                    "'{id}' was erased on {date}; nothing about this person is left in the "
                    "casebook."
                ).format(id=person_id, date=erased.date.isoformat())
            )
        people = sorted(
            PurePosixPath(p).stem for p in files.files if PurePosixPath(p).parts[0] == "people"
        )
        message = _("Nothing in this casebook names '{id}'.").format(id=person_id)
        close = difflib.get_close_matches(person_id, people, n=3)
        if close:
            message += " " + _("Did you mean: {ids}?").format(ids=", ".join(close))
        raise NotFoundError(message)

    notes = [
        _(
            "Copies outside the casebook are not changed: backups, and documents made earlier "
            "(an inzage, an internal verslag). Remove those by hand."
        )
    ]
    if files.in_git:
        notes.append(
            _(
                "The casebook is kept in git: older versions of these files stay in its "
                "history until whoever manages the repository removes them there too."
            )
        )
    if person.path is None:
        notes.append(_("There is no file of this person any more; only references are removed."))
    elif person.name is None:
        notes.append(
            _("The person's file cannot be read, so only the id is searched for, not the name.")
        )
    for relative, reason in sorted(files.unreadable.items()):
        notes.append(_("Not searched: {path} ({reason}).").format(path=relative, reason=reason))
    order = {"delete": 0, "edit": 1, "manual": 2}
    return ErasurePlan(
        root=files.root,
        person_id=person_id,
        person=person,
        changes=tuple(sorted(changes, key=lambda c: (order[c.action], c.path))),
        notes=tuple(notes),
        erased_before=erased.date if erased is not None else None,
    )


def _plan_file(root: Path, relative: str, data: bytes, needles: Needles) -> FileChange | None:
    path = PurePosixPath(relative)
    if path.stem == needles.person_id:
        return FileChange(
            relative,
            "manual",
            "other",
            digest(data),
            reason=_("named after this person: remove or rename it by hand"),
        )
    text = data.decode("utf-8-sig", errors="replace")
    if not needles.found_in(text):
        return None
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
            if isinstance(item, str) and item.strip() == needles.person_id:
                found.references.append((node, index, _field(path, index), parent, key))
            else:
                _find(item, needles, found, _field(path, index), node, index)


def _expected(node: Any, needles: Needles) -> Any:
    """Plain data as it must be after the erasure: references and entries gone, text replaced."""
    if isinstance(node, Mapping):
        return {
            needles.replace(k)[0] if isinstance(k, str) else k: _expected(v, needles)
            for k, v in node.items()
            if k != needles.person_id
        }
    if isinstance(node, list):
        return [
            _expected(item, needles)
            for item in node
            if not (isinstance(item, str) and item.strip() == needles.person_id)
        ]
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
            if isinstance(key, str) and needles.found_in(key):
                new_key, replaced = needles.replace(key)
                node.insert(list(node).index(key), new_key, node.pop(key))
                count += replaced
    elif isinstance(node, CommentedSeq):
        for index in reversed(range(len(node))):
            item = node[index]
            if isinstance(item, str) and item.strip() == needles.person_id:
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


# --- carrying the plan out ------------------------------------------------------------------


def check_allowed(plan: ErasurePlan, *, force: bool) -> None:
    """Refuse to erase a person with a running placement unless forced."""
    if force:
        return
    if plan.active:
        raise ConflictError(
            _(
                "'{id}' has status actief: their placement is still running. End it first "
                "(status gestopt, with an end date)."
            ).format(id=plan.person_id),
            path=plan.root / plan.person.path if plan.person.path else None,
            remedy=Remedy.ERASE_ANYWAY,
        )
    if plan.person.path is not None and plan.person.status is None:
        raise ConflictError(
            _(
                "The file of '{id}' cannot be read, so whether their placement is still "
                "running is unknown. Mend the file first."
            ).format(id=plan.person_id),
            path=plan.root / plan.person.path,
            remedy=Remedy.ERASE_ANYWAY,
        )


def apply_erasure(plan: ErasurePlan, *, force: bool = False, today: dt.date) -> Path:
    """Carry out ``plan``: log it, write the edited files, delete the person's own files.

    The log entry comes first: if anything after it fails, ``check`` reports what is left and
    running ``vergeet`` again finishes the job. Returns the path of the erasure log.
    """
    check_allowed(plan, force=force)
    root = plan.root
    for change in plan.changes:
        if change.action == "manual":
            continue
        try:
            current = (root / change.path).read_bytes()
        except OSError as exc:
            raise OutputError(
                _("{path} cannot be read: {reason}. Nothing was changed.").format(
                    path=change.path, reason=exc.strerror or exc
                )
            ) from exc
        if digest(current) != change.digest:
            raise OutputError(
                _(
                    "{path} changed after the plan was made; nothing was changed. "
                    "Run the command again."
                ).format(path=change.path)
            )
    log = append_to_log(root, plan.person_id, plan.removed(), today)
    try:
        for change in plan.of("edit"):
            assert change.new_text is not None
            write_atomic(root / change.path, change.new_text, overwrite=True)
        for change in plan.of("delete"):
            try:
                (root / change.path).unlink()
            except OSError as exc:
                raise OutputError(
                    _("{path} cannot be removed: {reason}").format(
                        path=change.path, reason=exc.strerror or exc
                    )
                ) from exc
    except ToolkitError as exc:
        raise OutputError(
            _(
                "The erasure is logged but not finished: {problem} Mend this, then run "
                "'burgerbaan vergeet {id}' again to finish it."
            ).format(problem=exc, id=plan.person_id)
        ) from exc
    return log


def plan_lines(plan: ErasurePlan) -> list[str]:
    """One line per change, for showing the plan (relative paths, field paths, counts)."""
    return [describe_change(change) for change in plan.changes]


def describe_change(change: FileChange) -> str:
    if change.action == "delete":
        what = {
            "person": _("the person's file"),
            "hours": _("their hours statements"),
        }.get(change.role, "")
        return _("remove {path} ({what})").format(path=change.path, what=what)
    if change.action == "manual":
        return _("by hand: {path}: {reason}").format(path=change.path, reason=change.reason)
    parts = []
    if change.references:
        parts.append(
            _("reference removed from {fields}").format(fields=", ".join(change.references))
        )
    if change.entries:
        parts.append(_("entry removed: {fields}").format(fields=", ".join(change.entries)))
    if change.mentions:
        parts.append(
            ngettext(
                "{count} mention replaced by {placeholder}",
                "{count} mentions replaced by {placeholder}",
                change.mentions,
            ).format(count=change.mentions, placeholder=PLACEHOLDER)
        )
    line = _("edit {path}: {what}").format(path=change.path, what="; ".join(parts))
    if not change.faithful:
        line += " " + _("(rewritten by the YAML writer: its layout may change in places)")
    return line
