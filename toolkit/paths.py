"""Where the toolkit finds its shipped files, from a source checkout or an installed wheel."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def templates_dir() -> Path:
    """The shipped templates: inside the package when installed, ``templates/`` in a checkout.

    The wheel copies the repository's ``templates/`` into the package, so there is one source
    of truth in the repository and the installed package still finds it.
    """
    packaged = PACKAGE_DIR / "templates"
    if packaged.is_dir():
        return packaged
    return PACKAGE_DIR.parent / "templates"
