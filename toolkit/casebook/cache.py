"""A cache of parsed case files, keyed by their content, so that an unchanged casebook loads fast.

Reading a YAML file (parsing, the checks on its nodes) costs far more than reading its data back
from JSON. :func:`load_casebook` looks every case file up here by the SHA-256 of its bytes; only
files whose bytes are not in the cache are parsed. What it keeps per file is what reading it
produced: the plain data (dicts, lists, text, numbers) and the line of every field and list item,
so that messages name the same lines as before.

Why it cannot serve wrong data:

- **Content-keyed**: an entry is found by the hash of the file's bytes, never by its name, size or
  time; a changed file (even one of the same size and time) misses the cache and is parsed.
  The whole cache is also tied to the toolkit version, :data:`SCHEMA` and a fingerprint of the
  source of the reading code (:func:`_fingerprint`): a toolkit that reads differently ignores it.
- **No code in it**: JSON of plain data, read with :func:`json.loads`, which builds nothing but
  dicts, lists, text, numbers and ``None``; every entry's shape is checked, and the records are
  validated again from the data, exactly as from a parsed file. Only files that passed every
  check of reading (:mod:`~toolkit.casebook.yamlfile`, amounts written ``50.000``, starter
  examples) are kept, and only data that JSON gives back unchanged (text keys, finite numbers).
- **Broken is empty**: a cache that cannot be read, is not JSON, or has the wrong shape is
  ignored (and replaced on the next write); it never stops a casebook from loading.
- **Atomic**: written with :func:`toolkit.files.write_atomic` under the casebook lock, taken
  without waiting (a busy casebook is simply not cached this time); a reader sees the old cache
  or the new one.

Privacy: the cache holds the same special-category data as the case files. It lives inside the
casebook (``.burgerbaan/cache/``, owner-only, with its own ``.gitignore``), keeps only entries of
files that are there at the last load (older ones are pruned at each write), is removed whole by
``vergeet`` and by :func:`clear_cache` (``burgerbaan cache-wissen``).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import shutil
import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from toolkit import __version__
from toolkit.errors import NotFoundError, OutputError, ToolkitError
from toolkit.i18n import _

#: Bumped whenever what an entry holds, or what reading a file yields, changes.
SCHEMA = 1
CACHE_FOLDER = Path(".burgerbaan") / "cache"
CACHE_FILE = "parsed.json"
FORMAT = "burgerbaan-parsed-cache"
#: A cache larger than this is not read (a thousand case files make a few megabytes).
MAX_CACHE_BYTES = 256 * 1024 * 1024
#: The modules of this package whose source decides what an entry holds.
READING_MODULES = ("yamlfile.py", "numbers.py", "placeholders.py", "casebook.py", "cache.py")
#: Turns the cache off for a process (``BURGERBAAN_CACHE=0``): for measuring, or a read-only share.
ENV_SWITCH = "BURGERBAAN_CACHE"


def cache_folder(root: Path) -> Path:
    return Path(root) / CACHE_FOLDER


def cache_path(root: Path) -> Path:
    return cache_folder(root) / CACHE_FILE


def content_key(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def enabled() -> bool:
    return os.environ.get(ENV_SWITCH, "1").strip().lower() not in {"0", "no", "nee", "off"}


@functools.cache
def _fingerprint() -> str:
    """The toolkit version, :data:`SCHEMA`, the YAML library's version and a hash of the source
    of the modules that decide what reading a file yields: an edited reader (even one with an
    unchanged version, as while developing) never reads entries written by the old one."""
    digest = hashlib.sha256(f"{__version__}|{SCHEMA}".encode())
    ruamel = sys.modules.get("ruamel.yaml")
    digest.update(str(getattr(ruamel, "__version__", "")).encode())
    # By file, not by import: this module sits below the loader it serves.
    here = Path(__file__).resolve().parent
    for name in READING_MODULES:
        with contextlib.suppress(OSError):
            digest.update((here / name).read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class Entry:
    """What reading one file produced: its data and the line of each field and list item."""

    data: dict[str, Any]
    #: The line of each field and list item, in the order
    #: :func:`~toolkit.casebook.yamlfile.walk_data` visits them.
    lines: list[int]


def json_faithful(value: Any) -> bool:
    """Whether JSON gives ``value`` back equal and of the same types: text keys only, finite
    numbers. YAML also allows number or true/false keys and ``.nan``; such files are not cached."""
    stack = [value]
    while stack:
        current = stack.pop()
        kind = type(current)
        if kind is dict:
            for key, item in current.items():
                if type(key) is not str:
                    return False
                stack.append(item)
        elif kind is list:
            stack.extend(current)
        elif kind is float:
            if current != current or current in (float("inf"), float("-inf")):
                return False
        elif kind not in (str, int, bool, type(None)):
            return False
    return True


def _entry_from_json(value: Any) -> Entry | None:
    """An entry read back, or ``None`` if its shape is not what :meth:`ParsedCache.save` writes."""
    if type(value) is not dict or set(value) != {"data", "lines"}:
        return None
    data, lines = value["data"], value["lines"]
    if type(data) is not dict or type(lines) is not list:
        return None
    if not all(type(line) is int and line > 0 for line in lines):
        return None
    return Entry(data=data, lines=lines)


@dataclass
class ParsedCache:
    """The cache of one casebook for one load: entries read, entries used, entries added."""

    root: Path
    entries: dict[str, Entry] = field(default_factory=dict)
    used: dict[str, Path] = field(default_factory=dict)
    added: int = 0
    active: bool = True

    @classmethod
    def open(cls, root: Path) -> ParsedCache:
        """The cache of ``root`` as it is on disk; empty if absent, unreadable or not valid."""
        if not enabled():
            return cls(root=Path(root), active=False)
        return cls(root=Path(root), entries=_read_entries(cache_path(root)))

    def get(self, key: str, path: Path) -> Entry | None:
        if not self.active:
            return None
        entry = self.entries.get(key)
        if entry is not None:
            self.used[key] = path
        return entry

    def put(self, key: str, path: Path, data: Any, node: Any) -> None:
        """Keep what reading the file with ``key`` produced, if JSON can hold it faithfully."""
        if not self.active or type(data) is not dict or not json_faithful(data):
            return
        lines = lines_of(node, data)
        if lines is None:
            return
        self.entries[key] = Entry(data=data, lines=lines)
        self.used[key] = path
        self.added += 1

    def save(self) -> None:
        """Write the entries this load used (so entries of changed or removed files are pruned),
        if anything changed; silently skipped when the casebook is busy or cannot be written."""
        if not self.active or (not self.added and set(self.entries) == set(self.used)):
            return
        from toolkit.casebook.lock import casebook_lock

        try:
            with casebook_lock(self.root, timeout=0):
                self._save_locked()
        except (ToolkitError, OSError):
            # A cache is an aid: a casebook that is busy, read-only or full loads without it.
            return

    def _save_locked(self) -> None:
        kept: dict[str, Any] = {}
        for key, path in sorted(self.used.items()):
            # Under the lock no writer (``vergeet`` above all) can change a file, so an entry
            # kept here is of a file as it is now, never of one an erasure just emptied.
            try:
                if content_key(path.read_bytes()) != key:
                    continue
            except OSError:
                continue
            entry = self.entries[key]
            kept[key] = {"data": entry.data, "lines": entry.lines}
        document = {
            "format": FORMAT,
            "fingerprint": _fingerprint(),
            "entries": kept,
        }
        text = json.dumps(document, ensure_ascii=True, separators=(",", ":"), allow_nan=False)
        folder = _private_folder(self.root)
        from toolkit.files import write_atomic

        target = folder / CACHE_FILE
        write_atomic(target, text, overwrite=True, private=True)
        os.chmod(target, 0o600)


def _private_folder(root: Path) -> Path:
    """``.burgerbaan/cache/``, owner-only, with a ``.gitignore`` that keeps all of it out of git."""
    folder = cache_folder(root)
    folder.mkdir(parents=True, exist_ok=True)
    if folder.is_symlink() or folder.parent.is_symlink():
        # A link would carry the personal data (and the chmod below) to a place outside.
        raise OSError(f"{folder} is a symbolic link")
    os.chmod(folder, 0o700)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# Parsed case files (personal data): never commit.\n*\n")
    return folder


def _read_entries(path: Path) -> dict[str, Entry]:
    try:
        info = path.lstat()
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_CACHE_BYTES:
            return {}
        document = json.loads(path.read_bytes())
    except (OSError, ValueError, RecursionError, MemoryError):
        return {}
    if (
        type(document) is not dict
        or document.get("format") != FORMAT
        or document.get("fingerprint") != _fingerprint()
        or type(document.get("entries")) is not dict
    ):
        return {}
    entries: dict[str, Entry] = {}
    for key, value in document["entries"].items():
        entry = _entry_from_json(value)
        if entry is None:
            # One damaged entry makes the whole file suspect.
            return {}
        entries[key] = entry
    return entries


def clear_cache(root: Path) -> bool:
    """Remove the cache of the casebook ``root``; whether there was one.

    Raises :class:`~toolkit.errors.OutputError` if it is there but cannot be removed (an erasure
    must not pass silently while a copy of the person's data stays behind). Runs under the
    casebook lock, so no load writes a cache from files read before a change it removes."""
    from toolkit.casebook.lock import casebook_lock

    if not Path(root).is_dir():
        raise NotFoundError(_("The casebook folder {path} does not exist.").format(path=root))
    with casebook_lock(Path(root)):
        return _remove(cache_folder(root))


def _remove(folder: Path) -> bool:
    if not folder.exists() and not folder.is_symlink():
        return False
    try:
        if folder.is_symlink() or not folder.is_dir():
            folder.unlink()
        else:
            shutil.rmtree(folder)
    except OSError as exc:
        raise OutputError(
            _("The cache {path} cannot be removed: {reason}").format(
                path=folder, reason=exc.strerror or exc
            )
        ) from exc
    return True


def _node_lines(node: Any, data: Any, out: list[int]) -> bool:
    """Append the line of every field and list item of ``node`` in the order of
    :func:`~toolkit.casebook.yamlfile.walk_data`; ``False`` as soon as the nodes do not hold
    the fields and items ``data`` holds."""
    from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

    if isinstance(node, MappingNode):
        if type(data) is not dict or len(node.value) != len(data):
            return False
        for (key, value), (name, item) in zip(node.value, data.items(), strict=True):
            if not isinstance(key, ScalarNode) or key.value != name:
                return False
            out.append(int(key.start_mark.line) + 1)
            if not _node_lines(value, item, out):
                return False
        return True
    if isinstance(node, SequenceNode):
        if type(data) is not list or len(node.value) != len(data):
            return False
        for value, item in zip(node.value, data, strict=True):
            out.append(int(value.start_mark.line) + 1)
            if not _node_lines(value, item, out):
                return False
        return True
    return type(data) not in (dict, list)


def lines_of(node: Any, data: Any) -> list[int] | None:
    """The line of every field (its key) and list item of a composed document, in the order
    :func:`~toolkit.casebook.yamlfile.walk_data` visits ``data``; ``None`` if the nodes and the
    data do not have the same fields in the same order (a key that YAML reads as a number), so
    the file is not cached."""
    found: list[int] = []
    return found if _node_lines(node, data, found) else None
