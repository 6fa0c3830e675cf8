"""Outputs as bytes: the social map's picture holds its legend, and the casussen render without
writing (for the web: a mapping of files and a zip)."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path

from PIL import Image

from tests.helpers import example_casebook
from toolkit.reports.casussen.job import render_casussen
from toolkit.reports.casussen.request import Request
from toolkit.reports.kaart import render_map

DAY = date(2025, 6, 1)


def test_the_map_picture_holds_its_legend_and_note() -> None:
    png = render_map(example_casebook(), DAY, "png")
    assert isinstance(png, bytes)
    image = Image.open(io.BytesIO(png)).convert("L")
    width, height = image.size
    pixels = image.load()
    # Nothing drawn touches the picture's edge: the legend (right of the map) and the note
    # (below it) are inside, not cut off.
    edges = [(x, 0) for x in range(width)] + [(x, height - 1) for x in range(width)]
    edges += [(0, y) for y in range(height)] + [(width - 1, y) for y in range(height)]
    assert all(pixels[x, y] > 240 for x, y in edges)


def test_casussen_render_to_bytes_without_writing(tmp_path: Path) -> None:
    out = tmp_path / "handouts"
    request = Request(out=out, format="docx", select=4, tables=2, intern=True, day=DAY)
    rendered = render_casussen(example_casebook(), request)
    assert not out.exists()
    assert set(rendered.files) == {
        "tafel-1.docx",
        "tafel-2.docx",
        "overzicht.docx",
        "intern-sleutel.docx",
    }
    with zipfile.ZipFile(io.BytesIO(rendered.zip_bytes())) as archive:
        names = archive.namelist()
        assert sorted(names) == ["overzicht.docx", "tafel-1.docx", "tafel-2.docx"]
        assert archive.read("tafel-1.docx") == rendered.files["tafel-1.docx"]
