"""The year's writes share the save API's guarantees: a stale base hash is refused with nothing
written (no lost update), every write adds a line to the change history; and the approvals the
app offers (one, a month, a placement), with the alerts for statements waiting."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import person
from tests.year.yearbook import YEAR, snapshot, write_yearbook
from toolkit.casebook import load_casebook
from toolkit.casebook.alerts import casebook_alerts
from toolkit.casebook.editing import RecordConflictError
from toolkit.casebook.path import set_status
from toolkit.casebook.placements import decline, place, renew
from toolkit.casebook.statements import (
    approve_statement,
    approve_statements,
    record_statement,
    waiting_statements,
)
from toolkit.casebook.year_edits import ABSENT, current_hash
from toolkit.errors import ConflictError, InvalidInputError, OutputError
from toolkit.reports.sponsor_statement import sponsor_statement

DAY = dt.date(YEAR, 3, 1)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return write_yearbook(tmp_path / "cb")


def _history(root: Path) -> list[dict[str, Any]]:
    path = root / "history.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines()]


WRITES: dict[str, tuple[str, Callable[[Path, str], object]]] = {
    "status": (
        "people/anna.yaml",
        lambda r, h: set_status(r, "anna", "voorgesteld", by="C", day=DAY, base_hash=h),
    ),
    "place": (
        "people/anna.yaml",
        lambda r, h: place(r, "anna", "uitgifte", by="C", day=DAY, base_hash=h),
    ),
    "decline": (
        "people/anna.yaml",
        lambda r, h: decline(r, "anna", "uitgifte", reason="ver", by="C", day=DAY, base_hash=h),
    ),
    "renew": (
        "people/gijs.yaml",
        lambda r, h: renew(r, "gijs", by="C", day=DAY, base_hash=h),
    ),
    "hours": (
        "hours/gijs.yaml",
        lambda r, h: record_statement(r, "gijs", f"{YEAR}-02", 10, by="C", base_hash=h),
    ),
}


@pytest.mark.parametrize("write", sorted(WRITES))
def test_a_stale_base_hash_is_refused_and_nothing_is_written(root: Path, write: str) -> None:
    relative, run = WRITES[write]
    path = root / relative
    stale = "0" * 64 if path.exists() else current_hash(root / "people" / "gijs.yaml")
    before = snapshot(root)
    with pytest.raises(RecordConflictError) as caught:
        run(root, stale)
    assert caught.value.path == path
    assert snapshot(root) == before
    # The hash of the file as it is now is accepted, and the write is in the history.
    run(root, current_hash(path))
    assert snapshot(root) != before
    for line in _history(root):
        written = f"{line['folder']}/{line['id']}.yaml".lstrip("/")
        assert line["by"] == "C"
        assert snapshot(root)[written] != before.get(written)
        assert line["action"] == ("changed" if written in before else "created")
    # A decline of a kandidaat writes the exclusions; the person's file is its base all the same.
    assert {line["id"] for line in _history(root)} <= {path.stem, "exclusions"}


def test_a_form_made_before_the_hours_file_existed_is_refused_once_it_does(root: Path) -> None:
    assert current_hash(root / "hours" / "gijs.yaml") == ABSENT
    record_statement(root, "gijs", f"{YEAR}-02", 10, by="A", base_hash=ABSENT)
    with pytest.raises(RecordConflictError):
        record_statement(root, "gijs", f"{YEAR}-03", 10, by="B", base_hash=ABSENT)
    assert [s.month for s in load_casebook(root).hours["gijs"].statements] == [f"{YEAR}-02"]
    assert [(c["by"], c["folder"], c["action"]) for c in _history(root)] == [
        ("A", "hours", "created")
    ]


def test_commands_without_a_base_hash_still_write(root: Path) -> None:
    set_status(root, "anna", "voorgesteld", by="C", day=DAY)
    assert load_casebook(root).people["anna"].status == "voorgesteld"


def _two_places_in_july(root: Path) -> None:
    place(root, "gijs", "chauffeur", by="C", day=dt.date(YEAR, 7, 16))
    record_statement(root, "gijs", f"{YEAR}-07", 20, amount=80, opportunity="keukenhulp")
    record_statement(root, "gijs", f"{YEAR}-07", 15, amount=60, opportunity="chauffeur")


def test_approving_with_a_place_named_approves_that_place_only(root: Path) -> None:
    _two_places_in_july(root)
    with pytest.raises(InvalidInputError, match="plek"):
        approve_statement(root, "gijs", f"{YEAR}-07", by="C", day=dt.date(YEAR, 8, 1))
    approved = approve_statement(
        root, "gijs", f"{YEAR}-07", by="C", day=dt.date(YEAR, 8, 1), opportunity="chauffeur"
    )
    assert (approved.opportunity, approved.state) == ("chauffeur", "goedgekeurd")
    states = {s.opportunity: s.state for s in load_casebook(root).hours["gijs"].statements}
    assert states == {"keukenhulp": "ingediend", "chauffeur": "goedgekeurd"}
    with pytest.raises(ConflictError):
        approve_statement(
            root, "gijs", f"{YEAR}-07", by="C", day=dt.date(YEAR, 8, 1), opportunity="chauffeur"
        )


def test_approving_a_month_a_placement_and_never_before_the_month_began(root: Path) -> None:
    _two_places_in_july(root)
    record_statement(root, "gijs", f"{YEAR}-08", 10, opportunity="chauffeur")
    book = load_casebook(root)
    assert [(w.month, w.opportunity) for w in waiting_statements(book)] == [
        (f"{YEAR}-07", "chauffeur"),
        (f"{YEAR}-07", "keukenhulp"),
        (f"{YEAR}-08", "chauffeur"),
    ]
    assert [a.code for a in casebook_alerts(book, DAY)].count("hours_waiting") == 1
    # On 31 July nothing of August may be approved yet: the placement gives July's only.
    done = approve_statements(
        root, by="C", day=dt.date(YEAR, 7, 31), person_id="gijs", opportunity="chauffeur"
    )
    assert [(s.month, s.opportunity) for s in done] == [(f"{YEAR}-07", "chauffeur")]
    done = approve_statements(root, by="C", day=dt.date(YEAR, 9, 1), month=f"{YEAR}-08")
    assert [(s.month, s.opportunity) for s in done] == [(f"{YEAR}-08", "chauffeur")]
    left = waiting_statements(load_casebook(root))
    assert [(w.month, w.opportunity) for w in left] == [(f"{YEAR}-07", "keukenhulp")]
    with pytest.raises(ConflictError):
        approve_statements(root, by="C", day=dt.date(YEAR, 9, 1), month=f"{YEAR}-08")
    with pytest.raises(InvalidInputError):
        approve_statements(root, by="C", day=dt.date(YEAR, 9, 1))
    # Someone else's July waits while gijs's statements are approved by person.
    place(root, "anna", "uitgifte", by="C", day=dt.date(YEAR, 7, 1))
    record_statement(root, "anna", f"{YEAR}-07", 8)
    approve_statements(root, by="C", day=dt.date(YEAR, 9, 1), person_id="gijs")
    book = load_casebook(root)
    assert [(w.person_id, w.month) for w in waiting_statements(book)] == [("anna", f"{YEAR}-07")]
    assert [a.person_id for a in casebook_alerts(book, DAY) if a.code == "hours_waiting"] == [
        "anna"
    ]
    approve_statements(root, by="C", day=dt.date(YEAR, 9, 1), month=f"{YEAR}-07")
    assert waiting_statements(load_casebook(root)) == []


def test_a_write_whose_history_cannot_be_kept_is_undone(root: Path) -> None:
    (root / "history.jsonl").mkdir()  # appending to it fails
    before = snapshot(root)
    with pytest.raises(OutputError):
        set_status(root, "anna", "voorgesteld", by="C", day=DAY)
    assert snapshot(root) == before
    assert load_casebook(root).people["anna"].status == "kandidaat"


def test_a_sponsored_placement_ending_on_the_first_of_a_month_counts_that_month(
    tmp_path: Path,
) -> None:
    root = write_yearbook(tmp_path / "cb", people={"pim": person(name="Pim Peters")})
    place(
        root,
        "pim",
        "keukenhulp",
        by="C",
        day=dt.date(YEAR, 1, 1),
        end=dt.date(YEAR, 3, 1),
        sponsor_id="winkel",
    )
    record_statement(root, "pim", f"{YEAR}-02", 30, amount=100)
    record_statement(root, "pim", f"{YEAR}-03", 2, amount=10)
    statement = sponsor_statement(load_casebook(root), "winkel", YEAR, dt.date(YEAR, 12, 1))
    assert statement.hours == 32  # March counts: the agreement's last day is 1 March
