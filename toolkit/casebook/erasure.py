"""The erasure log: what ``burgerbaan vergeet`` removed, without keeping who it was.

``erasure-log.yaml`` at the top of a casebook holds one entry per erasure: the date, a salted
hash of the person's id, a salted hash of their name and birth year, and what was removed
(counts, never names or file names). The salt is made at random for each casebook and kept in
the log, so the hashes cannot be compared across casebooks or looked up in a table of common
names. With the salt, :func:`erasure_problems` lets ``check`` fail when a file or a reference
with an erased id comes back (a restored backup, a copy someone kept), and when a person file
with an erased person's name and birth year comes back under another file name.

The log grows with every erasure and is the toolkit's own file, so it is read with larger
limits than a case file (:data:`LOG_LIMITS`): a pilot that erases thousands of people must
still be able to load its casebook.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from toolkit.casebook.identifiers import fold_word
from toolkit.casebook.messages import problems_from
from toolkit.casebook.roundtrip import load_editable
from toolkit.casebook.yamlfile import Limits, YamlProblem, parse_yaml, read_yaml
from toolkit.errors import Problem
from toolkit.files import write_atomic
from toolkit.i18n import _

ERASURE_LOG = "erasure-log.yaml"
YAML_SUFFIXES = (".yaml", ".yml")
#: Some 150 bytes and 12 values per entry: room for a hundred thousand erasures.
LOG_LIMITS = Limits(max_bytes=64 * 1024 * 1024, max_nodes=2_000_000)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class ErasureEntry(_Strict):
    date: dt.date
    id_hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    #: Of the name and birth year (see :func:`person_key`); absent in logs written before it.
    name_hash: str | None = Field(default=None, pattern=r"^[0-9a-f]{64}$")
    removed: dict[str, int] = {}


class ErasureLog(_Strict):
    salt: str = Field(min_length=16)
    erased: list[ErasureEntry] = []

    def hash_of(self, record_id: str) -> str:
        return id_hash(self.salt, record_id)

    def entry_for(self, record_id: str) -> ErasureEntry | None:
        """The first erasure of ``record_id``, if it was ever erased."""
        wanted = self.hash_of(record_id)
        return next((e for e in self.erased if hmac.compare_digest(e.id_hash, wanted)), None)

    def entry_for_person(self, name: str, birth_year: int) -> ErasureEntry | None:
        """The first erasure of a person with this name and birth year, under any id."""
        wanted = id_hash(self.salt, person_key(name, birth_year))
        return next(
            (e for e in self.erased if e.name_hash and hmac.compare_digest(e.name_hash, wanted)),
            None,
        )


def id_hash(salt: str, record_id: str) -> str:
    return hmac.new(salt.encode("utf-8"), record_id.encode("utf-8"), hashlib.sha256).hexdigest()


def person_key(name: str, birth_year: int) -> str:
    """Name and birth year as one text, folded so that "Anouk  de Graaf" and "ANOUK DE GRAAF"
    give the same hash."""
    return f"{' '.join(fold_word(name).split())}|{birth_year}"


def read_erasure_log(root: Path) -> ErasureLog | None:
    """The casebook's erasure log, or ``None`` when nothing was ever erased.

    Raises :class:`~toolkit.casebook.yamlfile.YamlProblem` when the log is broken.
    """
    path = root / ERASURE_LOG
    if not (path.exists() or path.is_symlink()):
        return None
    document = read_yaml(path, LOG_LIMITS)
    try:
        return ErasureLog.model_validate(dict(document.data))
    except ValidationError as exc:
        raise YamlProblem(problems_from(exc, ErasureLog, document)[0]) from exc


def _header() -> str:
    return _(
        "# Erasure log of this casebook, written by 'burgerbaan vergeet'. It holds no personal\n"
        "# data: per erasure the date, a salted hash of the id and what was removed (counts).\n"
        "# With the salt, 'burgerbaan check' recognises an erased id that comes back.\n"
        "# Do not edit or remove this file.\n"
    )


def append_to_log(
    root: Path,
    record_id: str,
    removed: dict[str, int],
    day: dt.date,
    person: tuple[str, int] | None = None,
) -> Path:
    """Add an entry for ``record_id`` to the log (made, with a new salt, if there is none).

    ``person`` is the name and birth year, when the person's file said them.
    """
    path = root / ERASURE_LOG
    log = read_erasure_log(root)
    if log is None:
        salt = secrets.token_hex(16)
        text = f"{_header()}salt: {salt}\nerased:\n"
        overwrite = False
    else:
        salt = log.salt
        text = path.read_text(encoding="utf-8-sig")
        overwrite = True
    counts = ", ".join(f"{kind}: {count}" for kind, count in removed.items())
    hashed = id_hash(salt, record_id)
    entry = f"  - date: {day.isoformat()}\n    id_hash: {hashed}\n"
    if person is not None:
        entry += f"    name_hash: {id_hash(salt, person_key(*person))}\n"
    entry += f"    removed: {{{counts}}}\n"
    if not text.endswith("\n"):
        text += "\n"
    new_text = text + entry
    if not _appended(new_text, path, log, hashed):
        # The log was edited by hand and no longer ends with its entries: add the entry
        # through the round-trip writer, which keeps the rest as it was.
        editable = load_editable(text)
        added = load_editable("erased:\n" + entry).data["erased"]
        entries = editable.data.get("erased")
        if isinstance(entries, list):
            entries.append(added[0])
        else:
            editable.data["erased"] = added
        new_text = editable.dump()
    write_atomic(path, new_text, overwrite=overwrite)
    return path


def _appended(text: str, path: Path, before: ErasureLog | None, hashed: str) -> bool:
    """Whether ``text`` is the log ``before`` with one more entry, for ``hashed``, at the end."""
    try:
        document = parse_yaml(text.encode("utf-8"), path, LOG_LIMITS)
        after = ErasureLog.model_validate(dict(document.data))
    except (YamlProblem, ValidationError):
        return False
    previous = before.erased if before is not None else []
    return (
        (before is None or after.salt == before.salt)
        and after.erased[:-1] == previous
        and bool(after.erased)
        and after.erased[-1].id_hash == hashed
    )


@dataclass(frozen=True)
class Reference:
    """A place in a record that names a person by id."""

    person_id: str
    file: Path
    line: int | None = None
    field: str | None = None


def _yaml_files(root: Path) -> Iterator[Path]:
    for folder, subfolders, names in os.walk(root):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
        for name in sorted(names):
            if name.startswith(".") or (name == ERASURE_LOG and folder == str(root)):
                continue
            if os.path.splitext(name)[1].lower() in YAML_SUFFIXES:
                yield Path(folder) / name


def erasure_problems(
    root: Path,
    references: Iterable[Reference],
    people: Iterable[tuple[Path, str, int]] = (),
) -> list[Problem]:
    """A problem for every file named after, and every reference to, an erased person, and
    for every person file (``people``: path, name, birth year) of an erased person."""
    try:
        log = read_erasure_log(root)
    except YamlProblem as exc:
        return [exc.problem]
    if log is None:
        return []
    found: list[Problem] = []

    def returned(person_id: str, file: Path, line: int | None, field: str | None) -> None:
        entry = log.entry_for(person_id)
        if entry is not None:
            found.append(
                Problem(
                    file=file,
                    line=line,
                    field=field,
                    message=_(
                        "This names '{id}', a person erased on {date} (see {log}). Remove it "
                        "with 'burgerbaan vergeet {id}'. If the person has come back and asked "
                        "to be registered again, give them a new id."
                    ).format(id=person_id, date=entry.date.isoformat(), log=ERASURE_LOG),
                )
            )

    for path in _yaml_files(root):
        returned(path.stem, path, None, None)
    for reference in references:
        returned(reference.person_id, reference.file, reference.line, reference.field)
    for path, name, birth_year in people:
        entry = log.entry_for_person(name, birth_year)
        if entry is not None and log.entry_for(path.stem) is None:
            found.append(
                Problem(
                    file=path,
                    line=None,
                    field=None,
                    message=_(
                        "This file is of a person with the name and birth year of someone "
                        "erased on {date} (see {log}): a restored backup? Remove it with "
                        "'burgerbaan vergeet {id}'. If the person has come back and asked to be "
                        "registered again, remove the old entry's name_hash line from the log."
                    ).format(date=entry.date.isoformat(), log=ERASURE_LOG, id=path.stem),
                )
            )
    return found
