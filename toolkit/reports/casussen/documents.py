"""The handouts rendered to bytes (Markdown, HTML, Word), file name to content; writing is
the job's step apart.
"""

from __future__ import annotations

import functools
import io
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import jinja2

from toolkit.formatting import number
from toolkit.i18n import current_language
from toolkit.reports.casussen.handouts import Handouts, KeyEntry
from toolkit.reports.casussen.request import Format
from toolkit.reports.casussen.word import handout_docx, key_docx, overview_docx
from toolkit.reports.environment import make_environment, markdown_safe, render

KEY_STEM = "intern-sleutel"
OVERVIEW_STEM = "overzicht"


def table_file(number_: int, fmt: str) -> str:
    return f"tafel-{number_}.{fmt}"


def render_files(
    handouts: Handouts,
    fmt: Format,
    key: Sequence[KeyEntry] | None = None,
    environment: jinja2.Environment | None = None,
    *,
    template: Path | None = None,
) -> dict[str, bytes]:
    """Every file of the job by name, rendered but not written; the key only when given.

    ``template`` is a Word file whose styles, header and logo the Word files are written in.
    """
    if fmt == "docx":
        files = {
            table_file(t.number, fmt): handout_docx(handouts, t, template) for t in handouts.tables
        }
        files[f"{OVERVIEW_STEM}.docx"] = overview_docx(handouts, template)
        if key is not None:
            files[f"{KEY_STEM}.docx"] = key_docx(handouts, key, template)
        return files
    environment = environment or _environment(current_language())
    context = {"h": handouts}
    rendered = {
        table_file(t.number, fmt): render(
            environment, f"casussen/tafel.{fmt}.j2", table=t, **context
        )
        for t in handouts.tables
    }
    rendered[f"{OVERVIEW_STEM}.{fmt}"] = render(
        environment, f"casussen/overzicht.{fmt}.j2", **context
    )
    if key is not None:
        rendered[f"{KEY_STEM}.{fmt}"] = render(
            environment, f"casussen/sleutel.{fmt}.j2", key=key, **context
        )
    return {name: text.encode("utf-8") for name, text in rendered.items()}


@functools.cache
def _environment(language: str) -> jinja2.Environment:
    """The shared environment with the handouts' filters, one per language (compiled once)."""
    environment = make_environment()
    environment.filters.update(md_text=md_text, percent=percent)
    return environment


def md_text(value: Any) -> str:
    """Text from a case file on one Markdown line: line breaks joined, HTML tags neutralised."""
    return markdown_safe(" ".join(str(value).split()))


def percent(value: float) -> str:
    return f"{number(value * 100)} %" if current_language() == "nl" else f"{number(value * 100)}%"


def zip_files(files: Mapping[str, bytes]) -> bytes:
    """The files in one zip archive, in name order, with a fixed time so equal files zip equal."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, files[name])
    return buffer.getvalue()
