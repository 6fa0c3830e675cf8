"""The format of an output file and its name agree.

A command that writes a file with ``--out`` takes its format from ``--format``, or when that is
not given from the file's extension (``verslag.docx`` is Word). A ``--format`` that contradicts
the extension (Markdown into ``x.docx``) is refused before anything is computed: a citizen or a
secretary would get a file that their program cannot open. An extension the toolkit does not
know (``.txt``) contradicts nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from toolkit.errors import InvalidInputError
from toolkit.i18n import _

#: The formats a file with this extension can hold.
EXTENSIONS: dict[str, tuple[str, ...]] = {
    ".md": ("md",),
    ".markdown": ("md",),
    ".html": ("html",),
    ".htm": ("html",),
    ".docx": ("docx",),
    ".csv": ("csv",),
    ".json": ("json",),
    ".png": ("png",),
    ".svg": ("svg",),
    ".graphml": ("graphml",),
    ".gexf": ("gexf",),
    # Formats the toolkit does not write: named so that they are refused, not filled with text.
    ".pdf": ("pdf",),
    ".doc": ("doc",),
    ".odt": ("odt",),
    ".rtf": ("rtf",),
    ".xlsx": ("xlsx",),
    ".xls": ("xls",),
    ".jpg": ("jpg",),
    ".jpeg": ("jpg",),
}


def choose_format(
    out: Path | None, given: str | None, formats: Sequence[str], *, default: str
) -> str:
    """The format to write: ``given``, else the one ``out``'s extension names, else ``default``.

    :class:`UsageError` when ``given`` contradicts the extension, or when the extension names a
    format this command cannot write.
    """
    implied = EXTENSIONS.get(out.suffix.lower(), ()) if out is not None else ()
    if given is not None:
        if implied and given not in implied:
            raise InvalidInputError(
                _(
                    "--format {format} does not match the file name {path}: a {suffix} file "
                    "holds {implied}. Give a file name ending in {wanted}, or leave out "
                    "--format."
                ).format(
                    format=given,
                    path=out,
                    suffix=out.suffix if out else "",
                    implied=", ".join(implied),
                    wanted=_suffix_for(given),
                ),
                field="format",
            )
        return given
    possible = [fmt for fmt in implied if fmt in formats]
    if possible:
        return possible[0]
    if implied:
        raise InvalidInputError(
            _(
                "This command cannot write a {suffix} file ({path}); it writes {formats}. "
                "Choose a file name with one of those extensions, or give --format."
            ).format(suffix=out.suffix if out else "", path=out, formats=", ".join(formats)),
            field="out",
        )
    return default


def _suffix_for(fmt: str) -> str:
    for suffix, formats in EXTENSIONS.items():
        if formats[0] == fmt:
            return suffix
    return "." + fmt
