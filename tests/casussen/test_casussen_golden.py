"""Golden handouts of a small fixed casebook: any change to their text shows up as a diff.

Regenerate deliberately with ``UPDATE_GOLDEN=1`` and review the diff.
"""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from tests.casussen.casebooks import OPPORTUNITIES, ORGANISATIONS, contract_options
from tests.helpers import person, sponsor, write_casebook
from toolkit.casebook import load_casebook
from toolkit.i18n import set_language
from toolkit.reports.casussen.job import make_casussen
from toolkit.reports.casussen.request import Request

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "casussen"
DAY = date(2025, 6, 1)

SESSION_TEXT = """\
# Verdiepingssessie over casussen (voorbeeld voor de golden files).
kind: verdiepingssessie
number: 1
title: Verdiepingssessie casussen
date: 2025-06-12
venue: Buurthuis De Schakel
tables:
  - theme: Dagbesteding en PGB   # tafel bij het raam
    cases: []
  - theme: Instroom
    cases: []
"""


def golden_casebook(root: Path) -> Path:
    write_casebook(
        root,
        settings={
            "name": "Golden casebook",
            "rules_year": 2025,
            "districts": {
                "Almere Stad": [52.3709, 5.2141],
                "Almere Haven": [52.3368, 5.2180],
                "Almere Buiten": [52.3920, 5.2740],
            },
            "pseudonym_salt": "golden",
        },
        people={
            "fatima-el-amrani": person(
                name="Fatima El Amrani",
                contact={"phone": "06-12345678", "email": "fatima@example.nl"},
                birth_year=1988,
                district="Almere Haven",
                situation=["dagbesteding", "pgb"],
                talents=["koken", "gastvrijheid"],
                wishes={
                    "causes": ["ouderen", "voedsel"],
                    "text": "Ik werk graag met mensen, het liefst in een keuken.",
                    "districts": ["Almere Haven", "Almere Stad"],
                },
                availability={"hours_per_week": 8, "days": ["ma", "di", "do"]},
                values=["duurzaamheid"],
                avoid_sectors=["fossiel"],
                notes="Wil op termijn naar betaald werk in de horeca.",
            ),
            "jan-de-boer": person(
                name="Jan de Boer",
                birth_year=2006,
                situation=["wajong", "dagbesteding"],
                talents=["tuinieren"],
                wishes={
                    "causes": ["natuur"],
                    "text": "Buiten werken, met planten.",
                    "districts": [],
                },
                availability={"hours_per_week": 6, "days": ["wo"]},
            ),
            "tesfay-haile": person(
                name="Tesfay Haile",
                birth_year=1995,
                district="Almere Buiten",
                has_bsn=False,
                situation=["asielzoeker"],
                talents=["techniek", "fietsen"],
                wishes={"causes": ["duurzaamheid"], "text": "Met mijn handen werken."},
                availability={"hours_per_week": 16, "days": ["ma", "wo", "vr"]},
                values=["lokaal"],
            ),
            "sanne-bakker": person(
                name="Sanne Bakker",
                birth_year=2001,
                situation=["bijstand"],
                talents=["verkoop"],
                availability={"hours_per_week": 12, "days": ["di", "do"]},
                values=["gemeenschap"],
            ),
            "kees-visser": person(name="Kees Visser", status="gestopt", situation=["ww"]),
        },
        opportunities=OPPORTUNITIES,
        organisations=ORGANISATIONS,
        sponsors={
            "flevogas": sponsor(name="FlevoGas", sector="fossiel", values=["innovatie"]),
            "bouw-weerwater": sponsor(name="Bouw Weerwater", sector="bouw", values=["lokaal"]),
        },
    )
    (root / "sessions").mkdir(exist_ok=True)
    (root / "sessions" / "verdieping-1.yaml").write_text(SESSION_TEXT, encoding="utf-8")
    return root


def run_golden(tmp_path: Path, fmt: Any, language: str) -> dict[str, str]:
    set_language(language)
    book = load_casebook(golden_casebook(tmp_path / "cb"))
    out = tmp_path / "out"
    result = make_casussen(
        book,
        Request(out=out, format=fmt, select=4, session="verdieping-1", day=DAY),
        options=lambda ids: contract_options(book, ids),
    )
    return {p.name: p.read_text(encoding="utf-8") for p in result.written if p.parent == out}


@pytest.mark.parametrize(("fmt", "language"), [("md", "nl"), ("html", "nl"), ("md", "en")])
def test_handouts_match_the_golden_files(tmp_path: Path, fmt: Any, language: str) -> None:
    files = run_golden(tmp_path, fmt, language)
    assert sorted(files) == sorted([f"tafel-1.{fmt}", f"tafel-2.{fmt}", f"overzicht.{fmt}"])
    folder = GOLDEN / language
    if os.environ.get("UPDATE_GOLDEN"):
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")
    for name, text in files.items():
        expected = (folder / name).read_text(encoding="utf-8")
        assert text == expected, f"{name} differs from {folder / name} (UPDATE_GOLDEN=1 to accept)"


@pytest.mark.parametrize(
    ("fmt", "language"),
    [("md", "nl"), ("html", "nl"), ("md", "en"), ("docx", "nl"), ("docx", "en")],
)
def test_every_handout_says_the_caps_are_unconfirmed_and_why(
    tmp_path: Path, fmt: Any, language: str
) -> None:
    """Issue 15: figures not confirmed are shown so, with the reason, in every format and
    language; the hourly cap is explained as a guide that needs an agreed hourly rate; and a
    document the web app also serves names no command-line flag."""
    set_language(language)
    book = load_casebook(golden_casebook(tmp_path / "cb"))
    caps = book.rules.allowance
    assert not caps.confirmed
    out = tmp_path / "out"
    result = make_casussen(
        book,
        Request(out=out, format=fmt, select=4, session="verdieping-1", day=DAY),
        options=lambda ids: contract_options(book, ids),
    )
    reason = " ".join(caps.unconfirmed_because.split())
    marker = "onbevestigd" if language == "nl" else "unconfirmed"
    guide = "als richtlijn" if language == "nl" else "as a guide"
    old_frame = "Uren × tarief" if language == "nl" else "Hours × rate"
    for path in result.written:
        if path.parent != out:
            continue
        if fmt == "docx":
            document = Document(str(path))
            cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
            text = "\n".join([p.text for p in document.paragraphs] + cells)
        else:
            text = path.read_text(encoding="utf-8")
        assert reason in text, path.name
        assert not re.search(
            r"(?<![\w-])--(?!-)[a-z]", re.sub(r"<style>.*?</style>", "", text, flags=re.S)
        ), path.name
        if path.name.startswith("tafel"):
            assert text.count(reason) >= 2, path.name  # each case's frame and the sources
            assert f"({marker})" in text and guide in text and old_frame not in text, path.name
