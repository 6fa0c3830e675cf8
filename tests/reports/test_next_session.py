"""`burgerbaan verslag new`: the next session's record, with open items carried over."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from tests.helpers import EXAMPLE_CASEBOOK, example_casebook, session, write_casebook
from toolkit.casebook import load_casebook
from toolkit.errors import ConflictError, InvalidInputError, NotFoundError
from toolkit.reports.next_session import (
    next_session,
    next_session_text,
    write_next_session,
    yaml_scalar,
)

TRICKY = [
    "Bellen: 'wie' belt \"wie\"? # geen commentaar",
    "- begint met een streepje",
    "ja",
    "2024-01-01",
    "19:30",
    "~",
    "Een lange zin " + "met heel veel woorden " * 12 + "aan het eind.",
    "Twee regels\nonder elkaar\n\nen een alinea.",
    "  spaties  binnenin  ",
    "{niet: een map}",
    "€ 2.500 & 100%",
]


def book_with_session(tmp_path: Path, **fields: Any) -> Path:
    return write_casebook(tmp_path / "cases", sessions={"avond-1": session(**fields)})


def test_the_example_continues_with_the_5th_evening() -> None:
    plan = next_session(example_casebook())
    assert (plan.id, plan.number) == ("dialoogavond-5", 5)
    assert plan.title == "5e Dialoogavond Pilot Almeerse Burgerbaan"
    # The 4th evening named 'eind maart 2025', no day: the new record asks for one.
    assert not plan.date_known and plan.approximate_date == "eind maart 2025"
    assert plan.purpose == "20 Almeerse Burgerbanen"
    assert len(plan.actions) == 4
    assert [q.text for q in plan.questions][-3:] == [
        "Is armoede een selectiecriterium?",
        "Kan de gemeente burgerbaners ondersteunen met een OV-chipkaart?",
        "Hoe verloopt de instroom van inburgeraars, migranten (zonder BSN) en Wajongers?",
    ]
    assert len(plan.questions) == 7  # the three answered ones stay behind


def test_written_record_loads_back_with_the_open_items(tmp_path: Path) -> None:
    root = tmp_path / "cases"
    shutil.copytree(EXAMPLE_CASEBOOK, root)
    path = write_next_session(load_casebook(root))
    assert path == root / "sessions" / "dialoogavond-5.yaml"
    book = load_casebook(root)
    new, old = book.sessions["dialoogavond-5"], book.sessions["dialoogavond-4"]
    assert new.number == 5 and new.status == "concept"
    assert "gepland voor eind maart 2025: vul de dag in" in path.read_text(encoding="utf-8")
    assert new.purpose == "20 Almeerse Burgerbanen"
    assert (new.venue, new.chair, new.time) == (old.venue, old.chair, old.time)
    assert new.actions == old.actions
    assert new.questions == [q for q in old.questions if q.is_open]
    assert new.programme == [] and new.next is not None and new.next.date is None


def test_carries_over_only_what_is_open_and_keeps_text_exactly(tmp_path: Path) -> None:
    root = book_with_session(
        tmp_path,
        number=3,
        title="3e Verdieping",
        next={"date": "2025-06-01", "goal": "Kaders voor PGB: 'maatwerk'"},
        actions=[
            {"what": text, "who": "Secretaris: Elly", "due": "2025-05-01", "status": "lopend"}
            for text in TRICKY
        ]
        + [{"what": "Klaar", "status": "afgerond"}],
        questions=[{"text": text, "theme": "thema: x"} for text in TRICKY]
        + [{"text": "Beantwoord?", "answer": "Ja."}],
    )
    write_next_session(load_casebook(root))
    new = load_casebook(root).sessions["avond-4"]
    assert new.number == 4 and new.title == "4e Verdieping"
    assert new.purpose == "Kaders voor PGB: 'maatwerk'"
    assert [a.what for a in new.actions] == [t.strip() for t in TRICKY]
    assert {(a.who, a.due, a.status) for a in new.actions} == {
        ("Secretaris: Elly", date(2025, 5, 1), "lopend")
    }
    assert [q.text for q in new.questions] == [t.strip() for t in TRICKY]
    assert all(q.theme == "thema: x" and q.is_open for q in new.questions)


def test_every_field_has_a_dutch_comment() -> None:
    text = next_session_text(next_session(example_casebook()))
    lines = text.splitlines()
    for number, line in enumerate(lines):
        if re.match(r"^\s*(- )?[a-z_]+:", line):
            above = lines[number - 1].strip()
            assert "#" in line or above.startswith("#"), line
    assert "# volgnummer (de vorige was 4)" in text
    assert "gepland voor eind maart 2025: vul de dag in" in text


def test_without_a_planned_date_today_is_written_and_said(tmp_path: Path) -> None:
    root = book_with_session(tmp_path)
    write_next_session(load_casebook(root), today=date(2025, 1, 6))
    text = (root / "sessions" / "avond-2.yaml").read_text(encoding="utf-8")
    assert "date: 2025-01-06" in text and "nog niet gepland: vul in" in text
    assert "questions: []" in text and "actions: []" in text
    assert load_casebook(root).sessions["avond-2"].date == date(2025, 1, 6)


def test_never_over_an_existing_record(tmp_path: Path) -> None:
    root = book_with_session(tmp_path)
    existing = root / "sessions" / "avond-1.yaml"
    before = existing.read_text(encoding="utf-8")
    with pytest.raises(ConflictError, match="Er bestaat al een bijeenkomst 'avond-1'"):
        write_next_session(load_casebook(root), record_id="avond-1")
    assert existing.read_text(encoding="utf-8") == before
    assert sorted(p.name for p in existing.parent.iterdir()) == ["avond-1.yaml"]


def test_no_sessions_no_continuation(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="nog geen bijeenkomsten"):
        next_session(load_casebook(write_casebook(tmp_path / "cases")))


def test_an_invalid_id_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="geen geldige id"):
        next_session(load_casebook(book_with_session(tmp_path)), record_id="Avond 2")


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_yaml_scalar_reads_back_as_the_same_text(text: str) -> None:
    for indent in (2, 6):
        document = "key: " + yaml_scalar(text, indent) + "\n"
        assert YAML(typ="rt", pure=True).load(document)["key"] == text
