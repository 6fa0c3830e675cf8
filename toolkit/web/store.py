"""The casebook in memory, reloaded when its files change on disk.

Loading a casebook reads and validates every file (seconds for a large one); a request must not
pay that. The store keeps the last load and, per request, compares a cheap fingerprint of the
folder (name, size and modification time of every non-hidden file, from ``os.scandir``) with the
one it loaded: a change by hand or by a command is picked up at the next request, so the web and
the commands never show different data. The matcher (its feature arrays take a while to build)
is cached per loaded casebook in the same way.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from toolkit.casebook import Casebook, load_casebook
from toolkit.errors import CasebookError

T = TypeVar("T")
Fingerprint = tuple[tuple[str, int, int], ...]


def fingerprint(root: Path) -> Fingerprint:
    """Name, size and mtime (ns) of every non-hidden file under ``root``, in a fixed order."""
    entries: list[tuple[str, int, int]] = []
    stack = [str(root)]
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as scan:
                for entry in scan:
                    if entry.name.startswith("."):
                        continue
                    if entry.is_dir(follow_symlinks=False):
                        stack.append(entry.path)
                        continue
                    try:
                        info = entry.stat(follow_symlinks=False)
                    except OSError:
                        continue
                    entries.append((entry.path, info.st_size, info.st_mtime_ns))
        except OSError:
            entries.append((folder, -1, -1))
    entries.sort()
    return tuple(entries)


@dataclass
class Loaded:
    """One load of the casebook: the casebook, or the error that stopped it."""

    stamp: Fingerprint
    casebook: Casebook | None
    error: CasebookError | None
    derived: dict[str, Any] = field(default_factory=dict)


class CasebookStore:
    """The current casebook of one folder, shared by every request of the app."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._lock = threading.Lock()
        self._loaded: Loaded | None = None
        self.loads = 0  # how many times the folder was read (tests check the cache)

    def current(self) -> Loaded:
        """The load that matches the files on disk now; reads them again only when they changed."""
        stamp = fingerprint(self.root)
        loaded = self._loaded
        if loaded is not None and loaded.stamp == stamp:
            return loaded
        with self._lock:
            loaded = self._loaded
            if loaded is not None and loaded.stamp == stamp:
                return loaded
            try:
                fresh = Loaded(stamp, load_casebook(self.root), None)
            except CasebookError as exc:
                fresh = Loaded(stamp, None, exc)
            self.loads += 1
            self._loaded = fresh
            return fresh

    def derived(self, loaded: Loaded, key: str, make: Callable[[], T]) -> T:
        """A value computed once per load (the matcher, a round), shared by later requests."""
        with self._lock:
            if key in loaded.derived:
                value: T = loaded.derived[key]
                return value
        value = make()
        with self._lock:
            return loaded.derived.setdefault(key, value)  # type: ignore[no-any-return]
