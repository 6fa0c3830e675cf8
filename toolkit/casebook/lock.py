"""One lock per casebook, so that two writers never interleave.

Every write to a casebook (a command, a save in the web app, an import, ``vergeet``) runs inside
:func:`casebook_lock`. The lock is an operating-system file lock (``filelock``: ``fcntl`` on
Linux and macOS, ``msvcrt`` on Windows), so it is released when the holder dies, and it works
between processes as well as between threads. Readers do not lock: writes are atomic renames,
so a reader sees the old file or the new one. A writer that was killed may leave a temporary
file behind; the next writer to take the lock removes it (``check`` reports it until then).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from toolkit.errors import ToolkitError
from toolkit.files import remove_leftover_temporary_files
from toolkit.i18n import _

#: Hidden, so the loader passes it over like any other dot-file.
LOCK_NAME = ".burgerbaan.lock"

#: How long a writer waits for another one before giving up, in seconds. Writes take well under
#: a second; a longer wait means another program holds the casebook.
DEFAULT_TIMEOUT = 10.0


class CasebookBusyError(ToolkitError):
    """Another writer holds the casebook lock for longer than we may wait."""


def lock_path(root: Path) -> Path:
    return Path(root) / LOCK_NAME


@contextmanager
def casebook_lock(root: Path, *, timeout: float = DEFAULT_TIMEOUT) -> Iterator[None]:
    """Hold the casebook's write lock for the ``with`` block; re-entrant within one thread."""
    # One lock object per path (singleton), so that nested use in one thread re-enters it.
    lock = FileLock(str(lock_path(root).resolve()), thread_local=True, is_singleton=True)
    try:
        lock.acquire(timeout=timeout)
    except Timeout as exc:
        raise CasebookBusyError(
            _(
                "The casebook {root} is being changed by someone else right now; nothing was "
                "written. Try again in a moment."
            ).format(root=root)
        ) from exc
    except OSError as exc:
        raise CasebookBusyError(
            _("Cannot lock the casebook {root}: {reason}").format(
                root=root, reason=exc.strerror or exc
            )
        ) from exc
    try:
        if lock.lock_counter == 1:
            # The first hold of this thread: no write of ours is under way, and no other writer
            # holds the lock, so a temporary file in the casebook is left by a killed write.
            remove_leftover_temporary_files(Path(root))
        yield
    finally:
        lock.release()
