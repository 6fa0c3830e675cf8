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
import os
import stat
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from toolkit.casebook.cache import clear_cache
from toolkit.casebook.erasure import ERASURE_LOG, append_to_log, read_erasure_log
from toolkit.casebook.erasure_edit import (
    PLACEHOLDER,
    YAML_SUFFIXES,
    Action,
    FileChange,
    PersonFile,
    digest,
    needles_for,
    plan_file,
    searchable,
)
from toolkit.casebook.identifiers import mask
from toolkit.casebook.lock import casebook_lock
from toolkit.casebook.records import ID_PATTERN
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

#: Folders whose ``<id>.yaml`` is a person's own file, removed whole by an erasure.
OWN_FILE_FOLDERS = {"people": "person", "hours": "hours"}
#: Files larger than this are not searched (they are not case files); the plan says so.
MAX_SEARCH_BYTES = 20 * 1024 * 1024


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

        year = data.get("birth_year")
        return PersonFile(
            path=relative,
            name=text(data.get("name")),
            status=text(data.get("status")) or "kandidaat",
            phone=text(contact.get("phone")),
            email=text(contact.get("email")),
            birth_year=year if isinstance(year, int) and not isinstance(year, bool) else None,
            contact_name=text(contact.get("name")),
        )
    return PersonFile()


def other_people(files: CasebookFiles, person_id: str) -> dict[str, PersonFile]:
    """Every other person's file, read leniently: what they hold must stay."""
    found = {}
    for relative in files.files:
        parts = PurePosixPath(relative)
        if (
            len(parts.parts) == 2
            and parts.parts[0] == "people"
            and parts.suffix.lower() in YAML_SUFFIXES
            and parts.stem != person_id
        ):
            found[parts.stem] = read_person_file(files, parts.stem)
    return found


# --- the plan -------------------------------------------------------------------------------


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
    needles = needles_for(person_id, person, other_people(files, person_id))
    own = own_files(files, person_id)

    changes: list[FileChange] = []
    for relative, data in sorted(files.files.items()):
        if relative in own:
            changes.append(FileChange(relative, "delete", own[relative], digest(data)))
            continue
        change = plan_file(files.root, relative, data, needles)
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
    for relative, data in sorted(files.files.items()):
        if relative not in own and not searchable(data):
            notes.append(
                _(
                    "Not searched: {path} (not a text file in UTF-8, such as a Word document "
                    "or a PDF): open it and remove the person by hand, or remove the file."
                ).format(path=relative)
            )
    if needles.shared:
        notes.append(
            _(
                "Left in place because another person's file holds it too: {values}. A "
                "mention of it may be about that person; check the mentions by hand."
            ).format(values=", ".join(f"'{mask(v)}'" for v in needles.shared))
        )
    order = {"delete": 0, "edit": 1, "manual": 2}
    return ErasurePlan(
        root=files.root,
        person_id=person_id,
        person=person,
        changes=tuple(sorted(changes, key=lambda c: (order[c.action], c.path))),
        notes=tuple(notes),
        erased_before=erased.date if erased is not None else None,
    )


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
    with casebook_lock(plan.root):
        return _apply(plan, today)


def _apply(plan: ErasurePlan, today: dt.date) -> Path:
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
    person = plan.person
    known = (person.name, person.birth_year) if person.name and person.birth_year else None
    log = append_to_log(root, plan.person_id, plan.removed(), today, known)
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
        # The cache of parsed files holds copies of the person's data (their file, and sessions
        # before the edits above): all of it goes; the next load rebuilds it from what is left.
        clear_cache(root)
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
