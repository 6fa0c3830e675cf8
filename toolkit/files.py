"""Writing files so that a failure never leaves half a file behind."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from toolkit.errors import OutputError, OutputExistsError, Remedy
from toolkit.i18n import _


def write_atomic(
    path: Path, content: str | bytes, *, overwrite: bool = False, private: bool = False
) -> None:
    """Write ``content`` to ``path`` through a temporary file in the same folder and a rename.

    The rename is atomic on one file system, so readers see the old file or the new one,
    never a mix. Without ``overwrite`` an existing file is refused. A replaced file keeps its
    permissions; a new one gets the user's usual ones, or owner-only with ``private`` (for
    documents that hold personal data).
    """
    path = Path(path)
    if path.exists() and not overwrite:
        raise OutputExistsError(
            _("{path} already exists; nothing was written.").format(path=path),
            path=path,
            remedy=Remedy.REPLACE,
        )
    data = content.encode("utf-8") if isinstance(content, str) else content
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(
            _("Cannot write {path}: {reason}").format(path=path, reason=exc.strerror or exc)
        ) from exc
    try:
        os.chmod(tmp_name, _mode_for(path, private))
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        if isinstance(exc, OSError):
            raise OutputError(
                _("Cannot write {path}: {reason}").format(path=path, reason=exc.strerror or exc)
            ) from exc
        raise


def _mode_for(path: Path, private: bool) -> int:
    # mkstemp creates owner-only files; a shared report should get the ordinary permissions.
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        pass
    if private:
        return 0o600
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
